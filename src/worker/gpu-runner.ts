/**
 * The GPU worker's whole life, with no platform in it, like runner.ts for the CPU: the same messages
 * and shared memory (protocol.ts), over one WebGPU device. A GPU scan is asynchronous, so ranges are
 * scanned in an async loop, and messages that arrive meanwhile wait their turn in order: a job must
 * not change under a range being scanned.
 */
import { errorMessage } from '../errors.js';
import type { GpuScanner } from '../hash/webgpu.js';
import { expectedHashes, limbsToTarget } from '../core/target.js';
import { dispatchLimitFor, GPU_CHUNKS, scanRangeOnGpu } from './gpu-scan.js';
import type { FromWorker, JobMessage, RangeMessage, ToWorker, WorkerInit } from './protocol.js';
import {
  applyControl,
  heldJob,
  rangeDone,
  rangeHooks,
  reportProgress,
  scanLimbs,
  workerMemory,
  type HeldJob,
} from './range-hooks.js';
import { ChunkSizer } from './scan.js';

/** How long the worker hashes a throwaway job on starting, to size its first dispatches and ranges. */
const PROBE_MS = 150;

/**
 * The device's speed alone, in dispatches that double until PROBE_MS has passed: it sizes the first
 * dispatches and ranges, and is never shown as a hashrate (measure.ts measures that, as mining runs).
 */
async function probeSpeed(scanner: GpuScanner): Promise<number> {
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
  while (performance.now() - began < PROBE_MS && hashes + chunk <= 2 ** 32) {
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
  openScanner: () => Promise<GpuScanner>,
): Promise<((message: ToWorker) => void) | null> {
  let scanner: GpuScanner;
  let hashrate: number;
  try {
    scanner = await openScanner();
    hashrate = await probeSpeed(scanner);
  } catch (error) {
    post({ type: 'unavailable', reason: oneLine(error) });
    return null;
  }
  const memory = workerMemory(init);
  const sizer = new ChunkSizer(GPU_CHUNKS);
  sizer.fit(hashrate);
  let job: HeldJob | undefined;

  const setJob = (message: JobMessage): void => {
    job = heldJob(message);
    scanner.setJob({ ...job, targetLimbs: scanLimbs(job) });
  };

  const runRange = async (message: RangeMessage): Promise<void> => {
    const current = job;
    if (!current || current.key !== message.jobKey) return post(rangeDone(message));
    const hooks = rangeHooks(memory, current, message, post, () => scanner.setTopLimb(scanLimbs(current)[0]));
    const limit = dispatchLimitFor(expectedHashes(limbsToTarget(current.targetLimbs)), message.stopOnFind);
    const outcome = await scanRangeOnGpu(scanner, message.start, message.count, hooks, sizer, limit);
    reportProgress(memory, post);
    post(rangeDone(message, outcome));
  };

  let queue = Promise.resolve();
  let failed = false;
  const fail = (error: unknown): void => {
    failed = true;
    post({ type: 'failed', reason: oneLine(error) });
  };
  post({ type: 'ready', backend: 'webgpu', adapter: scanner.adapter, hashrate });
  // A failed dispatch is said, never left to stall the queue: every message after it is dropped,
  // since the device that failed would fail them too, and the controller ends this worker.
  return (message: ToWorker) => {
    // A stop must reach the range being scanned, not wait behind it.
    if (message.type === 'control') return applyControl(memory, message);
    queue = queue
      .then(() => (failed ? undefined : message.type === 'job' ? setJob(message) : runRange(message)))
      .catch(fail);
  };
}

function oneLine(error: unknown): string {
  return errorMessage(error).split('\n')[0];
}
