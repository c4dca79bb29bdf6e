/** The GPU's Web Worker: the GPU worker life (src/worker/gpu-runner.ts) on the browser's WebGPU. */
import type { FromWorker, ToWorker } from '../../worker/protocol.js';
import { startGpuWorker } from '../../worker/gpu-runner.js';
import { WebGpuScanner } from '../../hash/webgpu.js';
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
  const post = (message: FromWorker) => scope.postMessage(message);
  startGpuWorker(event.data.init, post, openScanner).then(
    (started) => {
      // Without a device the worker has said why; it ends, and the Miner decides what that means.
      if (!started) return scope.close();
      handle = started;
      for (const message of early.splice(0)) started(message);
    },
    // Never a silent stall: the Miner is told, and ends this worker as it ends one with no device.
    (error: unknown) =>
      post({ type: 'unavailable', reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] }),
  );
};
