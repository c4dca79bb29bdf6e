/** Node's thread host: each Miner's threads come from a pool whose max is that Miner's thread count. */
import { afterEach, describe, expect, it } from 'vitest';
import type { MinerThread, ThreadEvents } from '../../src/miner/threads.js';
import { CONTROL_SLOTS, type WorkerInit } from '../../src/worker/protocol.js';
import { builtThreads } from '../helpers/built.js';

/** What a Miner of `threads` workers hands each of them: its own control block and one counter each. */
function minerInit(threads: number): WorkerInit {
  const shared = (bytesPerWorker: number) => new SharedArrayBuffer(bytesPerWorker * threads);
  return {
    index: 0,
    backend: 'js',
    sharedMemory: true,
    control: new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * CONTROL_SLOTS),
    progress: shared(BigInt64Array.BYTES_PER_ELEMENT),
    positions: shared(Uint32Array.BYTES_PER_ELEMENT),
    busy: shared(BigInt64Array.BYTES_PER_ELEMENT),
  };
}

/** Events that resolve `ready` at the worker's first message ('ready') and `exited` at its exit. */
function watched(): ThreadEvents & { ready: Promise<void>; exited: Promise<void> } {
  let onReady!: () => void;
  let onExit!: () => void;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  const exited = new Promise<void>((resolve) => (onExit = resolve));
  return { message: () => onReady(), error: () => {}, exit: () => onExit(), ready, exited };
}

const started: MinerThread[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((thread) => thread.terminate()));
});

describe('nodeThreads', () => {
  it('starts no more threads for a Miner than it has workers: the next waits until one has exited', async () => {
    const host = builtThreads();
    const init = minerInit(1);
    const firstEvents = watched();
    const first = await host.spawn(init, firstEvents);
    started.push(first);
    let secondStarted = false;
    const second = host.spawn({ ...init, index: 0 }, watched()).then((thread) => {
      secondStarted = true;
      started.push(thread);
      return thread;
    });
    // The first thread has loaded and said so: a second that did not wait would have started by now.
    await firstEvents.ready;
    expect(secondStarted).toBe(false);
    await first.terminate();
    await firstEvents.exited;
    await second;
    expect(secondStarted).toBe(true);
  });

  it("gives a Miner of two workers both at once, and another Miner's pool is its own", async () => {
    const host = builtThreads();
    const two = minerInit(2);
    const other = minerInit(1);
    const threads = await Promise.all([
      host.spawn(two, watched()),
      host.spawn({ ...two, index: 1 }, watched()),
      host.spawn(other, watched()),
    ]);
    started.push(...threads);
    expect(threads).toHaveLength(3);
  });
});
