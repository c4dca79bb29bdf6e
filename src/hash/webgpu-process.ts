/**
 * The GPU's own process in Node (started by openGpuProcess in webgpu-node.ts). Dawn and the drivers
 * under it write their warnings from native code straight to file descriptor 2, where nothing in
 * JavaScript can stop them; in this process that descriptor is a pipe the parent reads and keeps to
 * itself. Everything of ours travels over the IPC channel: the adapter, candidates, and failures.
 */
import { errorMessage } from '../errors.js';
import { WebGpuScanner } from './webgpu.js';
import { openWebGpu, type GpuProcessReply, type GpuProcessRequest } from './webgpu-node.js';

const send = (reply: GpuProcessReply) => process.send!(reply);
const firstLine = (error: unknown) => errorMessage(error).split('\n')[0];

// The parent gone (its thread ended, or the whole program): nothing is left to hash for.
process.on('disconnect', () => process.exit(0));
// Ctrl-C reaches the whole process group: the parent stops its workers in order, and this process
// ends with them, rather than dying under a dispatch the parent still waits on.
process.on('SIGINT', () => {});

let scanner: WebGpuScanner;
try {
  scanner = await WebGpuScanner.open(await openWebGpu());
} catch (error) {
  send({ type: 'unavailable', reason: firstLine(error) });
  process.disconnect();
  process.exit(0);
}
send({ type: 'ready', adapter: scanner.adapter });

// Requests are served one at a time, in order: a job must not change under a dispatch.
let queue = Promise.resolve();
process.on('message', (request: GpuProcessRequest) => {
  queue = queue.then(async () => {
    switch (request.type) {
      case 'job':
        return scanner.setJob(request.job);
      case 'topLimb':
        return scanner.setTopLimb(request.topLimb);
      case 'candidates':
        try {
          send({ type: 'candidates', id: request.id, found: await scanner.candidates(request.start, request.count) });
        } catch (error) {
          send({ type: 'failed', id: request.id, reason: firstLine(error) });
        }
    }
  });
});
