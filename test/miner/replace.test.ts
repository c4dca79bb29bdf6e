/** A worker that dies is replaced with backoff; one that keeps dying stops the run; none can hang the start. */
import { afterEach, describe, expect, it } from 'vitest';
import { nextOf } from '../../src/events.js';
import { Miner } from '../../src/miner/miner.js';
import { unsolvableWork } from '../../src/miner/measure.js';
import { MAX_DEATHS_IN_A_ROW } from '../../src/miner/slot.js';
import type { MinerThread, ThreadEvents, ThreadHost } from '../../src/miner/threads.js';
import type { WorkerInit } from '../../src/worker/protocol.js';
import { builtThreads } from '../helpers/built.js';

/** Real worker threads, of which every one after the first `healthy` dies `afterMs` after it is spawned. */
function dyingThreads(healthy: number, afterMs: number, beforeReady = false): ThreadHost & { spawned: number } {
  const real = builtThreads();
  const host = {
    defaultThreads: 2,
    spawned: 0,
    async spawn(init: WorkerInit, events: ThreadEvents): Promise<MinerThread> {
      const doomed = ++host.spawned > healthy;
      // A thread that dies before it is ready: its 'ready' never reaches the Miner.
      const filtered: ThreadEvents = beforeReady && doomed ? { ...events, message: () => {} } : events;
      const thread = await real.spawn(init, filtered);
      if (doomed) setTimeout(() => void thread.terminate(), afterMs);
      return thread;
    },
  };
  return host;
}

const open: Miner[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((miner) => miner.close()));
});

describe('dead workers', () => {
  it('Miner.start fails in one message, rather than hanging, when a worker exits before it is ready', async () => {
    await expect(Miner.start({ host: dyingThreads(1, 2, true), threads: 2, backend: 'js' })).rejects.toThrow(
      // Worker index 1 is the second: people count it as worker 2.
      /worker 2 could not start/,
    );
  });

  it('a worker that keeps dying 2 ms after each start is replaced with growing pauses, then stops the run with a clear error', async () => {
    const host = dyingThreads(2, 2);
    const miner = await Miner.start({ host, threads: 2, backend: 'js' });
    open.push(miner);
    miner.setWork(unsolvableWork());
    const replaced: number[] = [];
    miner.on('workerReplaced', (index) => replaced.push(index));
    await miner.crashWorker(0);
    const [error] = await nextOf(miner, 'failed');
    expect(error.message).toMatch(new RegExp(`worker 1 died ${MAX_DEATHS_IN_A_ROW} times in a row`));
    expect(replaced).toEqual(Array(MAX_DEATHS_IN_A_ROW - 1).fill(0));
    expect(miner.stats().workersReplaced).toBe(MAX_DEATHS_IN_A_ROW - 1);
  });

  it('a replacement that dies before it is ready is replaced too, and the one after it works', async () => {
    // Threads 3 and 4 die at once (before ready); thread 5 lives.
    const host = dyingThreads(2, 1, true);
    const miner = await Miner.start({ host, threads: 2, backend: 'js' });
    open.push(miner);
    let spawnedHealthy = false;
    const original = host.spawn.bind(host);
    host.spawn = (init, events) => {
      if (host.spawned >= 4) {
        spawnedHealthy = true;
        return builtThreads().spawn(init, events);
      }
      return original(init, events);
    };
    const work = { ...unsolvableWork(), extranonceCount: 2, nonceCount: 400_000 };
    miner.setWork(work);
    await miner.crashWorker(0);
    const [exhausted] = await nextOf(miner, 'exhausted');
    expect(exhausted).toBe(work);
    expect(spawnedHealthy).toBe(true);
    expect(miner.stats().workersReplaced).toBe(3);
    expect(miner.stats().workHashes).toBe(2 * 400_000);
  });
});
