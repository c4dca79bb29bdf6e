/** The GPU's thread glue in Node: a worker_threads worker that runs gpu-runner.ts on Dawn's device, in the GPU's own process. */
import { parentPort, workerData } from 'node:worker_threads';
import { openGpuProcess } from '../hash/webgpu-node.js';
import { startGpuWorker } from './gpu-runner.js';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';

const port = parentPort!;
const handle = await startGpuWorker(
  workerData as WorkerInit,
  (message: FromWorker) => port.postMessage(message),
  openGpuProcess,
);
// Without a device the worker has said why; it ends, and the Miner decides what that means.
if (handle) port.on('message', (message: ToWorker) => handle(message));
else port.close();
