/**
 * A worker's whole life, with no platform in it: take jobs and ranges from the controller, scan them
 * with one backend, report finds, new bests and finished ranges. The glue (entry.ts in Node, a Web
 * Worker in a browser) only carries the messages.
 */
import type { HashBackend } from '../hash/backend.js';
import { loadBackend } from '../hash/index.js';
import type { FromWorker, RangeMessage, ToWorker, WorkerInit } from './protocol.js';
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
import { ChunkSizer, scanRange, scanRangeInSlices } from './scan.js';

/** A turn of the event loop, so that messages waiting for this worker are read. */
const nextTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function startWorker(
  init: WorkerInit,
  post: (message: FromWorker) => void,
): Promise<(message: ToWorker) => void> {
  const memory = workerMemory(init);
  const backend: HashBackend = await loadBackend(init.backend);
  const sizer = new ChunkSizer();
  let job: HeldJob | undefined;

  const runRange = (message: RangeMessage): void => {
    const current = job;
    if (!current || current.key !== message.jobKey) return post(rangeDone(message));
    const hooks = rangeHooks(memory, current, message, post, () =>
      backend.setJob({ ...current, targetLimbs: scanLimbs(current) }),
    );
    if (memory.shared) return post(rangeDone(message, scanRange(backend, message.start, message.count, hooks, sizer)));
    void scanRangeInSlices(backend, message.start, message.count, hooks, sizer, nextTurn).then(
      (outcome) => {
        reportProgress(memory, post);
        post(rangeDone(message, outcome));
      },
      // Thrown outside the promise, as a throw in a whole-range scan is, so the thread's error event tells the controller.
      (error: unknown) =>
        setTimeout(() => {
          throw error;
        }),
    );
  };

  post({ type: 'ready', backend: backend.name });
  return (message: ToWorker) => {
    if (message.type === 'control') applyControl(memory, message);
    else if (message.type === 'job') {
      job = heldJob(message);
      backend.setJob({ ...job, targetLimbs: scanLimbs(job) });
    } else runRange(message);
  };
}
