/** A Web Worker's glue around the worker's life (src/worker/runner.ts): the first message starts it, the rest are carried to it. */
import { useWasmModules } from '../../hash/wasm.js';
import { startWorker } from '../../worker/runner.js';
import { serveWorker } from './worker-glue.js';

serveWorker(
  ({ init, wasm }, post) => {
    useWasmModules(wasm);
    return startWorker(init, post);
  },
  (error) =>
    // Thrown outside the promise, so the page's Worker sees an error event and the Miner hears of it.
    setTimeout(() => {
      throw error;
    }),
);
