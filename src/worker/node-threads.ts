/** The thread seam in Node: worker_threads, with their lifecycle kept by worker-threads-pool. */
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import Pool from 'worker-threads-pool';
import type { MinerThread, ThreadEvents, ThreadHost } from '../miner/threads.js';
import type { FromWorker, WorkerBuffer, WorkerInit } from './protocol.js';

/** The scripts a worker thread runs: the built ones beside this module, unless told others. */
const BUILT_SCRIPTS = {
  cpu: fileURLToPath(new URL('./entry.js', import.meta.url)),
  gpu: fileURLToPath(new URL('./gpu-entry.js', import.meta.url)),
};

/**
 * A host for Miners: each Miner's workers come from its own pool, whose max is that Miner's thread
 * count (a GPU worker included). A replacement for a dead worker waits in the pool's queue until
 * the dead one has exited, so a Miner never has more threads alive than it asked for.
 */
export function nodeThreads(scripts: { cpu: string; gpu: string } = BUILT_SCRIPTS): ThreadHost {
  // One pool per Miner, known by its control block (each Miner has its own); gone with the Miner.
  const pools = new WeakMap<WorkerBuffer, Pool>();
  const poolOf = (init: WorkerInit): Pool => {
    let pool = pools.get(init.control);
    if (!pool) {
      // progress holds one counter per worker: its length is the Miner's thread count.
      pool = new Pool({ max: init.progress.byteLength / BigInt64Array.BYTES_PER_ELEMENT });
      pools.set(init.control, pool);
    }
    return pool;
  };
  return {
    defaultThreads: availableParallelism(),
    spawn: (init: WorkerInit, events: ThreadEvents) =>
      new Promise<MinerThread>((resolve, reject) => {
        poolOf(init).acquire(
          init.backend === 'webgpu' ? scripts.gpu : scripts.cpu,
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
