/** A Web Worker's glue around the worker's life (src/worker/runner.ts): the first message starts it, the rest are carried to it. */
import { useWasmModules } from '../../hash/wasm.js';
import type { ToWorker } from '../../worker/protocol.js';
import { startWorker } from '../../worker/runner.js';
import type { WebWorkerStart } from './threads.js';

// The worker's global scope, as far as it is used: the project's DOM types describe a window.
const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
};

let handle: ((message: ToWorker) => void) | undefined;
const early: ToWorker[] = [];

scope.onmessage = (event: MessageEvent<WebWorkerStart>) => {
  const { init, wasm } = event.data;
  scope.onmessage = (later: MessageEvent<ToWorker>) => (handle ? handle(later.data) : early.push(later.data));
  useWasmModules(wasm);
  startWorker(init, (message) => scope.postMessage(message)).then(
    (started) => {
      handle = started;
      for (const message of early.splice(0)) started(message);
    },
    (error: unknown) => {
      // Thrown outside the promise, so the page's Worker sees an error event and the Miner hears of it.
      setTimeout(() => {
        throw error;
      });
    },
  );
};
