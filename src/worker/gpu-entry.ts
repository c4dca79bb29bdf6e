/**
 * The GPU's thread glue: a long-lived worker that drives one WebGPU device with the same messages
 * and shared memory as the CPU workers (protocol.ts). A GPU scan is asynchronous, so ranges are
 * scanned in an async loop; messages that arrive meanwhile are queued and taken in order.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { headerMidstate, headerTailWords, sha256dFromMidstate } from '../core/sha256.js';
import { digestMeetsTarget } from '../core/target.js';
import type { ScanJob } from '../hash/backend.js';
import { WebGpuScanner } from '../hash/webgpu.js';
import { limbsJustBelow, scanLimbsFor } from './best-bar.js';
import { GPU_CHUNKS, scanRangeOnGpu } from './gpu-scan.js';
import { CONTROL_EPOCH, CONTROL_THROTTLE, type FromWorker, type JobMessage, type RangeMessage, type ToWorker, type WorkerInit } from './protocol.js';
import { ChunkSizer } from './scan.js';

const init = workerData as WorkerInit;
const port = parentPort!;
const send = (message: FromWorker) => port.postMessage(message);

let scanner: WebGpuScanner;
try {
  scanner = await WebGpuScanner.open();
} catch (error) {
  send({ type: 'unavailable', reason: error instanceof Error ? error.message : String(error) });
  process.exit(0);
}

const control = new Int32Array(init.control);
const progress = new BigInt64Array(init.progress);
const positions = new Uint32Array(init.positions);
const sizer = new ChunkSizer(GPU_CHUNKS);
const digest = new Uint32Array(8);
let job: (ScanJob & { key: number; bestLimbs: Uint32Array }) | undefined;

function setJob(message: JobMessage): void {
  const midstate = headerMidstate(message.header);
  const tail = headerTailWords(message.header);
  job = { key: message.jobKey, header: message.header, midstate, tail, targetLimbs: message.targetLimbs, bestLimbs: message.bestLimbs };
  scanner.setJob({ ...job, targetLimbs: scanLimbsFor(message.targetLimbs, message.bestLimbs) });
}

async function runRange(message: RangeMessage): Promise<void> {
  const current = job;
  if (!current || current.key !== message.jobKey) {
    send({ type: 'rangeDone', rangeId: message.rangeId, next: message.start, hashes: 0, stopped: true });
    return;
  }
  const outcome = await scanRangeOnGpu(
    scanner,
    message.start,
    message.count,
    {
      stopped: () => Atomics.load(control, CONTROL_EPOCH) !== message.epoch,
      progress: (hashes, next) => {
        Atomics.add(progress, init.index, BigInt(hashes));
        Atomics.store(positions, init.index, next >>> 0);
      },
      // The GPU passed the top 32 bits only: the whole hash decides, against the target, then the best.
      hit: (nonce) => {
        sha256dFromMidstate(current.midstate, current.tail, nonce, digest);
        if (digestMeetsTarget(digest, current.targetLimbs)) {
          send({ type: 'found', jobKey: current.key, rangeId: message.rangeId, nonce });
          return message.stopOnFind;
        }
        if (!digestMeetsTarget(digest, current.bestLimbs)) return false;
        send({ type: 'best', jobKey: current.key, nonce });
        current.bestLimbs = limbsJustBelow(digest);
        scanner.setTopLimb(scanLimbsFor(current.targetLimbs, current.bestLimbs)[0]);
        return false;
      },
      rest: (busyMs) => {
        const throttle = Atomics.load(control, CONTROL_THROTTLE);
        if (throttle >= 100) return;
        Atomics.wait(control, CONTROL_EPOCH, message.epoch, (busyMs * (100 - throttle)) / throttle);
      },
    },
    sizer,
  );
  send({ type: 'rangeDone', rangeId: message.rangeId, next: outcome.next, hashes: outcome.hashes, stopped: outcome.stopped });
}

// One message at a time, in order: a job must not change under a range being scanned.
let queue = Promise.resolve();
port.on('message', (message: ToWorker) => {
  queue = queue.then(() => (message.type === 'job' ? setJob(message) : runRange(message)));
});
send({ type: 'ready', backend: 'webgpu', adapter: scanner.adapter });
