/** The thread glue in Node: a worker_threads worker that runs the worker's life (runner.ts) over its port. */
import { parentPort, workerData } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.js';
import { startWorker } from './runner.js';

const port = parentPort!;
const handle = await startWorker(workerData as WorkerInit, (message: FromWorker) => port.postMessage(message));
port.on('message', (message: ToWorker) => handle(message));
