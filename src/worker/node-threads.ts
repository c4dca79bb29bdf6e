/** The thread seam in Node: worker_threads, with their lifecycle kept by worker-threads-pool. */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import Pool from 'worker-threads-pool';
import type { MinerThread, ThreadEvents, ThreadHost } from '../miner/threads.js';
import type { FromWorker, WorkerInit } from './protocol.js';

const WORKER_FILE = fileURLToPath(new URL('./entry.js', import.meta.url));
const GPU_WORKER_FILE = fileURLToPath(new URL('./gpu-entry.js', import.meta.url));

/** A host for one Miner: its pool never holds more workers than the Miner has threads. */
export function nodeThreads(): ThreadHost {
  // No cap here: the Miner counts its own threads and starts a replacement only after an exit.
  const pool = new Pool({ max: Number.MAX_SAFE_INTEGER });
  return {
    defaultThreads: availableParallelism(),
    spawn: (init: WorkerInit, events: ThreadEvents) =>
      new Promise<MinerThread>((resolve, reject) => {
        pool.acquire(
          init.backend === 'webgpu' ? GPU_WORKER_FILE : WORKER_FILE,
          { workerData: init },
          (error: Error | null, worker: Worker) => {
            if (error) return reject(error);
            worker.on('message', (message: FromWorker) => events.message(message));
            worker.on('error', (cause: Error) => events.error(cause));
            worker.on('exit', () => events.exit());
            resolve({
              post: (message) => worker.postMessage(message),
              terminate: async () => {
                await worker.terminate();
              },
            });
          },
        );
      }),
  };
}
