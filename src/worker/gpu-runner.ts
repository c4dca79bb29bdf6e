/**
 * The GPU worker's whole life, with no platform in it, like runner.ts for the CPU: the same messages
 * and shared memory (protocol.ts), over one WebGPU device. A GPU scan is asynchronous, so ranges are
 * scanned in an async loop, and messages that arrive meanwhile wait their turn in order: a job must
 * not change under a range being scanned.
 */
import { headerMidstate, headerTailWords, sha256dFromMidstate } from '../core/sha256.js';
import { digestMeetsTarget } from '../core/target.js';
import type { ScanJob } from '../hash/backend.js';
import { WebGpuScanner, type OpenedGpu } from '../hash/webgpu.js';
import { limbsJustBelow, scanLimbsFor } from './best-bar.js';
import { GPU_CHUNKS, scanRangeOnGpu } from './gpu-scan.js';
import {
  CONTROL_EPOCH,
  CONTROL_THROTTLE,
  type FromWorker,
  type JobMessage,
  type RangeMessage,
  type ToWorker,
  type WorkerInit,
} from './protocol.js';
import { ChunkSizer } from './scan.js';

/** How long the worker hashes a throwaway job on starting, to tell the Miner its speed. */
const MEASURE_MS = 150;

/** Hashes per second on a job no hash meets, in dispatches that double until MEASURE_MS has passed. */
async function measureHashrate(scanner: WebGpuScanner): Promise<number> {
  scanner.setJob({
    header: new Uint8Array(80),
    midstate: new Uint32Array(8),
    tail: new Uint32Array(3),
    targetLimbs: new Uint32Array(8),
  });
  await scanner.candidates(0, GPU_CHUNKS.initial); // the first dispatch compiles and uploads
  let hashes = 0;
  let chunk = GPU_CHUNKS.initial;
  const began = performance.now();
  while (performance.now() - began < MEASURE_MS && hashes + chunk <= 2 ** 32) {
    await scanner.candidates(hashes, chunk);
    hashes += chunk;
    chunk *= 2;
  }
  return hashes / ((performance.now() - began) / 1000);
}

/**
 * Open the device and answer 'ready' (or 'unavailable', with the reason in one line, and null);
 * then the returned function takes each message from the controller.
 */
export async function startGpuWorker(
  init: WorkerInit,
  post: (message: FromWorker) => void,
  openGpu: () => Promise<OpenedGpu>,
): Promise<((message: ToWorker) => void) | null> {
  let scanner: WebGpuScanner;
  let hashrate: number;
  try {
    scanner = await WebGpuScanner.open(await openGpu());
    hashrate = await measureHashrate(scanner);
  } catch (error) {
    post({ type: 'unavailable', reason: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    return null;
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
    job = {
      key: message.jobKey,
      header: message.header,
      midstate,
      tail,
      targetLimbs: message.targetLimbs,
      bestLimbs: message.bestLimbs,
    };
    scanner.setJob({ ...job, targetLimbs: scanLimbsFor(message.targetLimbs, message.bestLimbs) });
  }

  async function runRange(message: RangeMessage): Promise<void> {
    const current = job;
    if (!current || current.key !== message.jobKey) {
      post({ type: 'rangeDone', rangeId: message.rangeId, next: message.start, hashes: 0, stopped: true });
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
            post({ type: 'found', jobKey: current.key, rangeId: message.rangeId, nonce });
            return message.stopOnFind;
          }
          if (!digestMeetsTarget(digest, current.bestLimbs)) return false;
          post({ type: 'best', jobKey: current.key, nonce });
          current.bestLimbs = limbsJustBelow(digest);
          scanner.setTopLimb(scanLimbsFor(current.targetLimbs, current.bestLimbs)[0]);
          return false;
        },
        rest: (busyMs) => {
          const throttle = Atomics.load(control, CONTROL_THROTTLE);
          if (throttle >= 100) return;
          // Wakes early when the epoch moves, so a throttled GPU still stops at once.
          Atomics.wait(control, CONTROL_EPOCH, message.epoch, (busyMs * (100 - throttle)) / throttle);
        },
      },
      sizer,
    );
    post({
      type: 'rangeDone',
      rangeId: message.rangeId,
      next: outcome.next,
      hashes: outcome.hashes,
      stopped: outcome.stopped,
    });
  }

  let queue = Promise.resolve();
  post({ type: 'ready', backend: 'webgpu', adapter: scanner.adapter, hashrate });
  return (message: ToWorker) => {
    queue = queue.then(() => (message.type === 'job' ? setJob(message) : runRange(message)));
  };
}
