/**
 * The GPU worker's message queue never stalls in silence: a dispatch that throws is reported to the
 * controller in one line ('failed'), and the worker takes no more messages, so the Miner can end and
 * replace it (test/miner/pause-death.test.ts shows the Miner's side).
 */
import { describe, expect, it } from 'vitest';
import type { GpuScanner } from '../../src/hash/webgpu.js';
import { startGpuWorker } from '../../src/worker/gpu-runner.js';
import { CONTROL_SLOTS, CONTROL_THROTTLE, type FromWorker, type WorkerInit } from '../../src/worker/protocol.js';

function init(): WorkerInit {
  const control = new SharedArrayBuffer(4 * CONTROL_SLOTS);
  Atomics.store(new Int32Array(control), CONTROL_THROTTLE, 100);
  return {
    index: 0,
    backend: 'webgpu',
    sharedMemory: true,
    control,
    progress: new SharedArrayBuffer(8),
    positions: new SharedArrayBuffer(4),
    busy: new SharedArrayBuffer(8),
  };
}

/** A device that passes its start-up probe, then fails every dispatch once `failing` is set. */
function failingScanner(): GpuScanner & { failing: boolean; dispatches: number } {
  const scanner = {
    failing: false,
    dispatches: 0,
    adapter: {
      vendor: 'test',
      architecture: '',
      device: '',
      description: 'a device that fails',
      software: false,
      via: 'default' as const,
    },
    setJob: () => {},
    setTopLimb: () => {},
    meetsTarget: () => false,
    candidates: async () => {
      if (!scanner.failing) return [];
      scanner.dispatches++;
      throw new Error('the device was lost\nwith a second line');
    },
  };
  return scanner;
}

/** Posted messages, and a promise for the first of a type. */
function inbox(): {
  messages: FromWorker[];
  post: (message: FromWorker) => void;
  next: (type: FromWorker['type']) => Promise<FromWorker>;
} {
  const messages: FromWorker[] = [];
  const waiting: { type: FromWorker['type']; resolve: (message: FromWorker) => void }[] = [];
  return {
    messages,
    post: (message) => {
      messages.push(message);
      for (const waiter of waiting.filter((w) => w.type === message.type)) waiter.resolve(message);
    },
    next: (type) =>
      new Promise((resolve) => {
        const already = messages.find((message) => message.type === type);
        if (already) resolve(already);
        else waiting.push({ type, resolve });
      }),
  };
}

const JOB = {
  type: 'job',
  jobKey: 1,
  header: new Uint8Array(80),
  targetLimbs: new Uint32Array(8).fill(0xffffffff),
  bestLimbs: new Uint32Array(8),
} as const;
const range = (rangeId: number) =>
  ({ type: 'range', jobKey: 1, rangeId, start: rangeId * 1000, count: 1000, epoch: 0, stopOnFind: false }) as const;

describe('the GPU worker when a dispatch fails', () => {
  it('says so in one line and takes no more messages: no range is left waiting in silence', async () => {
    const scanner = failingScanner();
    const box = inbox();
    const handle = await startGpuWorker(init(), box.post, async () => scanner);
    scanner.failing = true;
    expect(handle).not.toBeNull();
    handle!(JOB);
    handle!(range(0));
    handle!(range(1));
    const failed = await box.next('failed');
    expect(failed).toEqual({ type: 'failed', reason: 'the device was lost' });
    // Everything queued after the failure is dropped, not dispatched on the failed device.
    handle!(range(2));
    await new Promise((resolve) => setImmediate(resolve));
    expect(scanner.dispatches).toBe(1);
    expect(box.messages.filter((message) => message.type === 'rangeDone')).toEqual([]);
    expect(box.messages.filter((message) => message.type === 'failed')).toHaveLength(1);
  });
});
