/**
 * The thread seam in a browser: one module Web Worker per thread, running the same worker life
 * (src/worker/runner.ts) as Node's worker_threads. The wasm module bytes go with each worker's
 * start, since a browser worker has no files to read them from.
 */
import type { WasmModuleBytes } from '../../hash/wasm.js';
import type { MinerThread, ThreadEvents, ThreadHost } from '../../miner/threads.js';
import type { FromWorker, WorkerInit } from '../../worker/protocol.js';

/** The first message a web worker gets; every later one is a ToWorker. */
export interface WebWorkerStart {
  init: WorkerInit;
  wasm: WasmModuleBytes;
}

/**
 * `workers`: the scripts of a CPU worker (worker.ts) and of the GPU's (gpu-worker.ts). `sharedMemory`:
 * whether the page has SharedArrayBuffer (it is cross-origin isolated); without it, the Miner and the
 * workers talk by message.
 */
export function webThreads(workers: { cpu: URL; gpu: URL }, wasm: WasmModuleBytes, sharedMemory: boolean): ThreadHost {
  return {
    sharedMemory,
    defaultThreads: Math.max(1, navigator.hardwareConcurrency || 1),
    // In a promise, so that a worker that cannot even be created (a bad URL) is a rejection, not a throw.
    spawn: (init: WorkerInit, events: ThreadEvents) =>
      new Promise<MinerThread>((resolve) => {
        const worker = new Worker(init.backend === 'webgpu' ? workers.gpu : workers.cpu, {
          type: 'module',
          name: `powlab worker ${init.index}`,
        });
        let ended: Promise<void> | undefined;
        // A browser tells no one when a worker ends: the exit Node would report is reported here.
        const end = () =>
          (ended ??= new Promise<void>((resolve) => {
            worker.terminate();
            setTimeout(() => {
              events.exit();
              resolve();
            });
          }));
        worker.onmessage = (event: MessageEvent<FromWorker>) => {
          events.message(event.data);
          // A GPU worker with no device has said why and is done: the Miner waits for its exit.
          if (event.data.type === 'unavailable') void end();
        };
        worker.onerror = (event: ErrorEvent) => {
          event.preventDefault();
          events.error(new Error(event.message || 'the worker script could not load'));
          void end();
        };
        worker.onmessageerror = () => {
          events.error(new Error('a message from the worker could not be read'));
          void end();
        };
        const start: WebWorkerStart = { init, wasm };
        worker.postMessage(start);
        resolve({ post: (message) => worker.postMessage(message), terminate: end });
      }),
  };
}
