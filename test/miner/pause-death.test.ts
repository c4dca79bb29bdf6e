/**
 * A worker that dies while the Miner waits for it (a pause, a find's stop) ends the wait: it holds
 * no range any more. A GPU worker whose dispatch failed says so, and is ended and replaced like a
 * crashed one. The threads are fakes the test steers, so each death falls exactly mid-wait.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nextOf } from '../../src/events.js';
import { Miner } from '../../src/miner/miner.js';
import { unsolvableWork } from '../../src/miner/measure.js';
import type { ThreadEvents, ThreadHost } from '../../src/miner/threads.js';
import type { RangeMessage, ToWorker } from '../../src/worker/protocol.js';

/** A thread that says it is ready, holds every range it is given until told, and dies when told. */
interface FakeThread {
  ranges: RangeMessage[];
  /** Resolves with the next range this thread is given (or one it holds already). */
  nextRange(): Promise<RangeMessage>;
  /** Report the range held as stopped where it began, as a worker does when the epoch changes. */
  stopRange(): void;
  /** Say a GPU dispatch failed, as gpu-runner.ts does. */
  failDispatch(reason: string): void;
  die(): void;
}

/** `failEveryRange`: each thread says its dispatch failed, with this reason, as soon as it is given a range. */
function fakeThreads(options: { failEveryRange?: string } = {}): ThreadHost & { threads: FakeThread[] } {
  const threads: FakeThread[] = [];
  return {
    defaultThreads: 2,
    threads,
    async spawn(_init, events: ThreadEvents) {
      const ranges: RangeMessage[] = [];
      let waiting: ((range: RangeMessage) => void) | undefined;
      let alive = true;
      const die = () => {
        if (!alive) return;
        alive = false;
        setImmediate(() => events.exit());
      };
      threads.push({
        ranges,
        nextRange: () =>
          new Promise((resolve) => {
            const held = ranges.at(-1);
            if (held) resolve(held);
            else waiting = resolve;
          }),
        stopRange: () => {
          const range = ranges.pop()!;
          events.message({ type: 'rangeDone', rangeId: range.rangeId, next: range.start, hashes: 0, stopped: true });
        },
        failDispatch: (reason) => events.message({ type: 'failed', reason }),
        die,
      });
      // As a real thread does: ready only after spawn has handed the thread over.
      setImmediate(() => events.message({ type: 'ready', backend: 'js' }));
      return {
        post: (message: ToWorker) => {
          if (!alive || message.type !== 'range') return;
          const reason = options.failEveryRange;
          if (reason) return void setImmediate(() => events.message({ type: 'failed', reason }));
          ranges.push(message);
          waiting?.(message);
          waiting = undefined;
        },
        terminate: async () => die(),
      };
    },
  };
}

const open: Miner[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((miner) => miner.close()));
});

async function busyMiner(threads: number): Promise<{ miner: Miner; host: ReturnType<typeof fakeThreads> }> {
  const host = fakeThreads();
  const miner = await Miner.start({ host, threads, backend: 'js' });
  open.push(miner);
  miner.setWork(unsolvableWork());
  await Promise.all(host.threads.map((thread) => thread.nextRange()));
  return { miner, host };
}

describe('a worker that dies while the Miner waits for it', () => {
  it('ends a pause: pause() resolves when the only busy worker dies during it', async () => {
    const { miner, host } = await busyMiner(1);
    const paused = miner.pause();
    host.threads[0].die();
    await expect(paused).resolves.toEqual(expect.any(Number));
    // Paused, the replacement is given nothing to do.
    const [index] = await nextOf(miner, 'workerReplaced');
    expect(index).toBe(0);
    expect(host.threads).toHaveLength(2);
    expect(host.threads[1].ranges).toEqual([]);
  });

  it('ends a pause when one worker stops its range and the other dies', async () => {
    const { miner, host } = await busyMiner(2);
    const paused = miner.pause();
    host.threads[1].stopRange();
    host.threads[0].die();
    await expect(paused).resolves.toEqual(expect.any(Number));
  });

  it('ends every waiter when the worker is the last of its slot (it kept dying)', async () => {
    const { miner, host } = await busyMiner(1);
    const waiters = [miner.whenIdle(), miner.pause(), miner.whenIdle()];
    const failed = nextOf(miner, 'failed');
    // Each replacement dies as soon as it is given a range, until the slot gives up.
    const killEach = async () => {
      for (let spawned = 0; ; spawned++) {
        host.threads.at(-1)!.die();
        const outcome = await Promise.race([failed.then(() => 'failed'), nextOf(miner, 'workerReplaced')]);
        if (outcome === 'failed') return;
      }
    };
    await killEach();
    await expect(Promise.all(waiters)).resolves.toHaveLength(3);
  });
});

describe('a GPU worker whose dispatch failed', () => {
  it('is ended and replaced, and its range is redone by the replacement', async () => {
    const { miner, host } = await busyMiner(1);
    const lost = host.threads[0].ranges[0];
    host.threads[0].failDispatch('the device was lost');
    const [index] = await nextOf(miner, 'workerReplaced');
    expect(index).toBe(0);
    const redone = await host.threads[1].nextRange();
    expect({ start: redone.start, count: redone.count }).toEqual({ start: lost.start, count: lost.count });
  });

  it('stops the run with its reason when every replacement fails too', async () => {
    const host = fakeThreads({ failEveryRange: 'the device was lost' });
    const miner = await Miner.start({ host, threads: 1, backend: 'js' });
    open.push(miner);
    const failed = nextOf(miner, 'failed');
    miner.setWork(unsolvableWork());
    const [error] = await failed;
    expect(error.message).toMatch(/^worker 1 died \d+ times in a row \(last: the device was lost\)/);
  });
});
