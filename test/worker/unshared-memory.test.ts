// The engine where there is no SharedArrayBuffer (a page over plain http is not cross-origin isolated):
// the Miner and its workers keep their slots in plain buffers, one copy each, in step by message.
// Run here on worker_threads with a host that says it has no shared memory, so the same messages flow.
import { afterEach, describe, expect, it } from 'vitest';
import { headerBytesFromHex, withNonce } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/target.js';
import { Miner } from '../../src/miner/miner.js';
import { nextOf } from '../../src/events.js';
import { builtThreads } from '../helpers/built.js';
import { unsolvableWork } from '../../src/miner/measure.js';
import type { ThreadHost } from '../../src/miner/threads.js';
import type { Work } from '../../src/miner/work.js';
import type { FromWorker, WorkerInit } from '../../src/worker/protocol.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

const block100000 = vectors.valid.find((v) => v.height === 100000)!;
const open: Miner[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((miner) => miner.close()));
});

/** Node's threads, as a host without shared memory; what went between the Miner and its workers is kept. */
function unsharedThreads() {
  const node = builtThreads();
  const seen = { inits: [] as WorkerInit[], fromWorkers: [] as FromWorker['type'][], toWorkers: [] as string[] };
  const host: ThreadHost = {
    defaultThreads: node.defaultThreads,
    sharedMemory: false,
    spawn: async (init, events) => {
      seen.inits.push(init);
      const thread = await node.spawn(init, {
        ...events,
        message: (message) => {
          seen.fromWorkers.push(message.type);
          events.message(message);
        },
      });
      return {
        post: (message) => {
          seen.toWorkers.push(message.type);
          thread.post(message);
        },
        terminate: () => thread.terminate(),
      };
    },
  };
  return { host, seen };
}

async function startMiner(host: ThreadHost, threads = 2): Promise<Miner> {
  const miner = await Miner.start({ host, threads, backend: 'noble' });
  open.push(miner);
  return miner;
}

describe('the Miner without shared memory', () => {
  it('hashes every nonce of every extranonce exactly once, counted from the workers progress messages', async () => {
    const { host, seen } = unsharedThreads();
    const miner = await startMiner(host);
    const work: Work = { ...unsolvableWork(), extranonceCount: 3, nonceStart: 1000, nonceCount: 150_000 };
    miner.setWork(work);
    await nextOf(miner, 'exhausted');
    expect(miner.stats().workHashes).toBe(3 * 150_000);
    expect(seen.inits.map((init) => [init.sharedMemory, init.control instanceof SharedArrayBuffer])).toEqual([
      [false, false],
      [false, false],
    ]);
    expect(seen.fromWorkers).toContain('progress');
  });

  it('stops every worker by message: a pause ends ranges of billions of nonces', async () => {
    const { host, seen } = unsharedThreads();
    const miner = await startMiner(host);
    miner.setWork({ ...unsolvableWork(), extranonceCount: 1, nonceStart: 0, nonceCount: 2 ** 32 });
    // Hashing has begun once the hashrate meter has seen progress.
    while (miner.stats().hashes === 0) await new Promise((resolve) => setTimeout(resolve, 20));
    const hashesBefore = miner.stats().hashes;
    await miner.pause();
    expect(seen.toWorkers).toContain('control');
    const hashesAfter = miner.stats().hashes;
    expect(hashesAfter).toBeGreaterThan(hashesBefore);
    // Far from the whole range: the workers stopped midway.
    expect(hashesAfter).toBeLessThan(2 ** 32);
  });

  it('finds the true nonce of a real main-net header, every hash counted before the find', async () => {
    const { host } = unsharedThreads();
    const miner = await startMiner(host);
    const header = headerBytesFromHex(block100000.hex);
    const before = 200_000;
    miner.setWork({
      id: 'grind',
      target: bitsToTarget(header[72] | (header[73] << 8) | (header[74] << 16) | (header[75] << 24)),
      stopOnFind: true,
      extranonceCount: 1,
      header: () => header,
      nonceStart: block100000.nonce - before,
      nonceCount: before + 100_000,
    });
    const [solution] = await nextOf(miner, 'found');
    expect(solution.nonce).toBe(block100000.nonce);
    expect(hashMeetsTarget(sha256d(withNonce(header, solution.nonce)), solution.work.target)).toBe(true);
    // A find is told only after the hashes up to it: at least the nonces before it were counted.
    expect(solution.hashes).toBeGreaterThan(before / 2);
  });

  it('refuses a throttle, which rests in Atomics.wait on shared memory', async () => {
    const { host } = unsharedThreads();
    await expect(Miner.start({ host, threads: 1, backend: 'noble', throttle: 50 })).rejects.toMatchObject({
      code: 'ERR_BAD_OPTION',
    });
  });
});
