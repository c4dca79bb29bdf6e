/** The GPU's Web Worker: the GPU worker life (src/worker/gpu-runner.ts) on the browser's WebGPU. */
import { WebGpuScanner } from '../../hash/webgpu.js';
import { startGpuWorker } from '../../worker/gpu-runner.js';
import { openBrowserGpu } from './gpu.js';
import { serveWorker } from './worker-glue.js';

serveWorker(
  // Without a device the worker has said why; it ends, and the Miner decides what that means.
  ({ init }, post) => startGpuWorker(init, post, async () => WebGpuScanner.open(await openBrowserGpu())),
  // Never a silent stall: the Miner is told, and ends this worker as it ends one with no device.
  (error, post) =>
    post({ type: 'unavailable', reason: (error instanceof Error ? error.message : String(error)).split('\n')[0] }),
);
