/**
 * The GPU worker speaks the CPU workers' protocol: jobs and ranges in; every nonce that meets the
 * target, each new best, and the end of each range out, with the hashes counted in shared memory.
 */
import { randomBytes } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_WORKERS } from '../helpers/built.js';
import { digestWordsToBytes, headerMidstate, headerTailWords, sha256dFromMidstate } from '../../src/core/sha256.js';
import { digestMeetsTarget, hashToBigInt, targetToLimbs } from '../../src/core/target.js';
import {
  CONTROL_EPOCH,
  CONTROL_SLOTS,
  CONTROL_THROTTLE,
  type FromWorker,
  type ToWorker,
  type WorkerInit,
} from '../../src/worker/protocol.js';

const packageMissing = await import('webgpu').then(
  () => false,
  (error: NodeJS.ErrnoException) => error.code === 'ERR_MODULE_NOT_FOUND',
);
if (packageMissing) console.warn('GPU worker tests skipped: the optional webgpu package is not installed');

interface Harness {
  worker: Worker;
  control: Int32Array;
  progress: BigInt64Array;
  messages: FromWorker[];
  /** Resolves with the first message of this type from now on (or already received and not yet taken). */
  next<T extends FromWorker['type']>(type: T): Promise<Extract<FromWorker, { type: T }>>;
}

const open: Worker[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((worker) => worker.terminate()));
});

function startGpuWorker(env: NodeJS.ProcessEnv = process.env): Harness {
  const init: WorkerInit = {
    index: 0,
    backend: 'webgpu',
    sharedMemory: true,
    control: new SharedArrayBuffer(4 * CONTROL_SLOTS),
    progress: new SharedArrayBuffer(8),
    positions: new SharedArrayBuffer(4),
    busy: new SharedArrayBuffer(8),
  };
  const control = new Int32Array(init.control);
  Atomics.store(control, CONTROL_THROTTLE, 100);
  const worker = new Worker(BUILT_WORKERS.gpu, { workerData: init, env });
  open.push(worker);
  const messages: FromWorker[] = [];
  const waiting: { type: string; resolve: (message: FromWorker) => void }[] = [];
  let taken = 0;
  worker.on('message', (message: FromWorker) => {
    messages.push(message);
    const waiter = waiting.findIndex((w) => w.type === message.type);
    if (waiter >= 0) {
      taken = messages.length;
      waiting.splice(waiter, 1)[0].resolve(message);
    }
  });
  return {
    worker,
    control,
    progress: new BigInt64Array(init.progress),
    messages,
    next: (type) =>
      new Promise((resolve) => {
        const already = messages.slice(taken).find((message) => message.type === type);
        if (already) {
          taken = messages.indexOf(already) + 1;
          return resolve(already as never);
        }
        waiting.push({ type, resolve: resolve as (message: FromWorker) => void });
      }),
  };
}

const post = (harness: Harness, message: ToWorker) => harness.worker.postMessage(message);

describe.skipIf(packageMissing)('GPU worker', () => {
  it('reports every nonce that meets the target, in order, and counts every hash', async () => {
    const gpu = startGpuWorker();
    const ready = await gpu.next('ready');
    expect(ready.backend).toBe('webgpu');
    expect(ready.adapter?.via).toMatch(/^(default|opengles)$/);
    expect(ready.hashrate).toBeGreaterThan(0);

    const header = new Uint8Array(randomBytes(80));
    const target = (1n << 246n) - 1n; // one hash in 1024
    const targetLimbs = targetToLimbs(target);
    post(gpu, { type: 'job', jobKey: 7, header, targetLimbs, bestLimbs: new Uint32Array(8) });
    const start = 2 ** 32 - 300_000;
    post(gpu, { type: 'range', jobKey: 7, rangeId: 1, start, count: 300_000, epoch: 0, stopOnFind: false });
    const done = await gpu.next('rangeDone');
    expect(done).toEqual({ type: 'rangeDone', rangeId: 1, next: 2 ** 32, hashes: 300_000, stopped: false });
    expect(gpu.progress[0]).toBe(300_000n);

    const midstate = headerMidstate(header);
    const tail = headerTailWords(header);
    const digest = new Uint32Array(8);
    const expected: number[] = [];
    for (let nonce = start; nonce < 2 ** 32; nonce++) {
      sha256dFromMidstate(midstate, tail, nonce, digest);
      if (digestMeetsTarget(digest, targetLimbs)) expected.push(nonce);
    }
    expect(expected.length).toBeGreaterThan(100);
    const found = gpu.messages.flatMap((m) => (m.type === 'found' ? [m.nonce] : []));
    expect(found).toEqual(expected);
  });

  it('stops at the first find when asked to, and reports better hashes on the way', async () => {
    const gpu = startGpuWorker();
    await gpu.next('ready');
    const header = new Uint8Array(randomBytes(80));
    // Target zero: nothing is found, so every report is a new best, each better than the last.
    post(gpu, {
      type: 'job',
      jobKey: 1,
      header,
      targetLimbs: new Uint32Array(8),
      bestLimbs: targetToLimbs((1n << 256n) - 1n),
    });
    post(gpu, { type: 'range', jobKey: 1, rangeId: 1, start: 0, count: 200_000, epoch: 0, stopOnFind: true });
    await gpu.next('rangeDone');
    const bests = gpu.messages.flatMap((m) => (m.type === 'best' ? [m.nonce] : []));
    expect(bests[0]).toBe(0); // with no best yet, the first nonce is the best
    const midstate = headerMidstate(header);
    const tail = headerTailWords(header);
    const hashOf = (nonce: number) => {
      const digest = new Uint32Array(8);
      sha256dFromMidstate(midstate, tail, nonce, digest);
      return hashToBigInt(digestWordsToBytes(digest));
    };
    for (let i = 1; i < bests.length; i++) expect(hashOf(bests[i]) < hashOf(bests[i - 1])).toBe(true);

    const target = (1n << 250n) - 1n;
    // Read before posting: the worker may count its first dispatch before this thread runs again.
    const progressBefore = gpu.progress[0];
    post(gpu, { type: 'job', jobKey: 2, header, targetLimbs: targetToLimbs(target), bestLimbs: new Uint32Array(8) });
    post(gpu, { type: 'range', jobKey: 2, rangeId: 2, start: 1000, count: 100_000, epoch: 0, stopOnFind: true });
    const found = await gpu.next('found');
    // The find's whole dispatch is counted before the find is told: a Miner reading the count then never sees 0.
    const countedAtFind = gpu.progress[0] - progressBefore;
    const done = await gpu.next('rangeDone');
    const dispatchEnd = found.nonce + 1 + found.hashedAfter;
    expect(done).toMatchObject({ rangeId: 2, next: dispatchEnd, hashes: dispatchEnd - 1000, stopped: true });
    expect(countedAtFind).toBe(BigInt(dispatchEnd - 1000));
  });

  it('abandons a range once the epoch moves', async () => {
    const gpu = startGpuWorker();
    await gpu.next('ready');
    post(gpu, {
      type: 'job',
      jobKey: 1,
      header: new Uint8Array(80),
      targetLimbs: new Uint32Array(8),
      bestLimbs: new Uint32Array(8),
    });
    Atomics.store(gpu.control, CONTROL_EPOCH, 1);
    post(gpu, { type: 'range', jobKey: 1, rangeId: 5, start: 0, count: 2 ** 32, epoch: 0, stopOnFind: true });
    expect(await gpu.next('rangeDone')).toEqual({ type: 'rangeDone', rangeId: 5, next: 0, hashes: 0, stopped: true });
  });

  it('says in one line that there is no adapter, and ends', async () => {
    const gpu = startGpuWorker({ ...process.env, POWLAB_TEST_WEBGPU: 'no-adapter' });
    const exited = new Promise((resolve) => gpu.worker.once('exit', resolve));
    const message = await gpu.next('unavailable');
    expect(message.reason).toMatch(/^no GPU adapter/);
    expect(await exited).toBe(0);
  });
});
