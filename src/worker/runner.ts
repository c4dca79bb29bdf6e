/**
 * A worker's whole life, with no platform in it: take jobs and ranges from the controller, scan them
 * with one backend, report finds, new bests and finished ranges. The glue (entry.ts in Node, a Web
 * Worker in a browser) only carries the messages.
 */
import { headerMidstate, headerTailWords, sha256dFromMidstate } from '../core/sha256.js';
import { digestMeetsTarget } from '../core/target.js';
import { loadBackend } from '../hash/index.js';
import type { HashBackend, ScanJob } from '../hash/backend.js';
import { limbsJustBelow, scanLimbsFor } from './best-bar.js';
import { ChunkSizer, scanRange } from './scan.js';
import { CONTROL_EPOCH, CONTROL_THROTTLE, type FromWorker, type JobMessage, type ToWorker, type WorkerInit } from './protocol.js';

export async function startWorker(init: WorkerInit, post: (message: FromWorker) => void): Promise<(message: ToWorker) => void> {
const control = new Int32Array(init.control);
const progress = new BigInt64Array(init.progress);
const positions = new Uint32Array(init.positions);
const backend: HashBackend = await loadBackend(init.backend);
const sizer = new ChunkSizer();

let job: (ScanJob & { key: number; bestLimbs: Uint32Array }) | undefined;
const digest = new Uint32Array(8);

const send = post;

function setJob(message: JobMessage): void {
  const midstate = headerMidstate(message.header);
  const tail = headerTailWords(message.header);
  job = { key: message.jobKey, header: message.header, midstate, tail, targetLimbs: message.targetLimbs, bestLimbs: message.bestLimbs };
  backend.setJob({ ...job, targetLimbs: scanLimbsFor(message.targetLimbs, message.bestLimbs) });
}

/** Lower the best-so-far bar to just below this hash, so only better ones are reported next. */
function lowerBestBar(current: typeof job & object): void {
  current.bestLimbs = limbsJustBelow(digest);
  backend.setJob({ ...current, targetLimbs: scanLimbsFor(current.targetLimbs, current.bestLimbs) });
}

function runRange(message: Extract<ToWorker, { type: 'range' }>): void {
  const current = job;
  if (!current || current.key !== message.jobKey) {
    send({ type: 'rangeDone', rangeId: message.rangeId, next: message.start, hashes: 0, stopped: true });
    return;
  }
  const outcome = scanRange(
    backend,
    message.start,
    message.count,
    {
      stopped: () => Atomics.load(control, CONTROL_EPOCH) !== message.epoch,
      progress: (hashes, next) => {
        Atomics.add(progress, init.index, BigInt(hashes));
        Atomics.store(positions, init.index, next >>> 0);
      },
      hit: (nonce) => {
        sha256dFromMidstate(current.midstate, current.tail, nonce, digest);
        if (digestMeetsTarget(digest, current.targetLimbs)) {
          send({ type: 'found', jobKey: current.key, rangeId: message.rangeId, nonce });
          return message.stopOnFind;
        }
        send({ type: 'best', jobKey: current.key, nonce });
        lowerBestBar(current);
        return false;
      },
      rest: (busyMs) => {
        const throttle = Atomics.load(control, CONTROL_THROTTLE);
        if (throttle >= 100) return;
        // Wakes early when the epoch moves, so a throttled worker still stops at once.
        Atomics.wait(control, CONTROL_EPOCH, message.epoch, (busyMs * (100 - throttle)) / throttle);
      },
    },
    sizer,
  );
  send({ type: 'rangeDone', rangeId: message.rangeId, next: outcome.next, hashes: outcome.hashes, stopped: outcome.stopped });
}

send({ type: 'ready', backend: backend.name });
return (message: ToWorker) => {
  if (message.type === 'job') setJob(message);
  else runRange(message);
};
}
