/** The GPU's Web Worker: the GPU worker life (src/worker/gpu-runner.ts) on the browser's WebGPU. */
import type { ToWorker } from '../worker/protocol.js';
import { startGpuWorker } from '../worker/gpu-runner.js';
import { WebGpuScanner } from '../hash/webgpu.js';
import { openBrowserGpu } from './gpu.js';
import type { WebWorkerStart } from './threads.js';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent) => void) | null;
  postMessage(message: unknown): void;
  close(): void;
};

let handle: ((message: ToWorker) => void) | undefined;
const early: ToWorker[] = [];

scope.onmessage = (event: MessageEvent<WebWorkerStart>) => {
  scope.onmessage = (later: MessageEvent<ToWorker>) => (handle ? handle(later.data) : early.push(later.data));
  const openScanner = async () => WebGpuScanner.open(await openBrowserGpu());
  void startGpuWorker(event.data.init, (message) => scope.postMessage(message), openScanner).then((started) => {
    // Without a device the worker has said why; it ends, and the Miner decides what that means.
    if (!started) return scope.close();
    handle = started;
    for (const message of early.splice(0)) started(message);
  });
};
