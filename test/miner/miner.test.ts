import { afterEach, describe, expect, it } from 'vitest';
import { headerBytesFromHex, hashToDisplayHex, withNonce } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import { bitsToTarget, difficultyToTarget, hashMeetsTarget, targetFromZeroBits } from '../../src/core/target.js';
import { Miner } from '../../src/miner/miner.js';
import { nextOf } from '../../src/events.js';
import { builtThreads } from '../helpers/built.js';
import { measureRunning, unsolvableWork } from '../../src/miner/measure.js';
import type { Solution, Work } from '../../src/miner/work.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

const block100000 = vectors.valid.find((v) => v.height === 100000)!;
const open: Miner[] = [];
async function startMiner(threads = 2, backend: 'noble' | 'js' | 'wasm' = 'noble'): Promise<Miner> {
  const miner = await Miner.start({ host: builtThreads(), threads, backend });
  open.push(miner);
  return miner;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((miner) => miner.close()));
});

function grindWork(hex: string, nonce: number, before: number, after: number): Work {
  const header = headerBytesFromHex(hex);
  return {
    id: 'grind',
    target: bitsToTarget(header[72] | (header[73] << 8) | (header[74] << 16) | (header[75] << 24)),
    stopOnFind: true,
    extranonceCount: 1,
    header: () => header,
    nonceStart: nonce - before,
    nonceCount: before + after,
  };
}

describe('Miner', () => {
  it('hashes every nonce of every extranonce exactly once, then reports the work exhausted', async () => {
    const miner = await startMiner();
    const asked: number[] = [];
    const base = unsolvableWork();
    const work: Work = {
      ...base,
      extranonceCount: 3,
      nonceStart: 1000,
      nonceCount: 150_000,
      header: (index) => (asked.push(index), base.header(index)),
    };
    miner.setWork(work);
    const [exhausted] = await nextOf(miner, 'exhausted');
    expect(exhausted).toBe(work);
    expect(asked).toEqual([0, 1, 2]);
    expect(miner.stats().workHashes).toBe(3 * 150_000);
  });

  it('counts the nonces each worker hashed in the current header, all of them, and starts again at a new header', async () => {
    const miner = await startMiner(2);
    const work: Work = { ...unsolvableWork(), extranonceCount: 2, nonceStart: 0, nonceCount: 300_000 };
    miner.setWork(work);
    await nextOf(miner, 'exhausted');
    const stats = miner.stats();
    expect(stats.extranonceIndex).toBe(1);
    expect(stats.workHashes).toBe(2 * 300_000);
    // The second header's nonces only: the first header's were counted, then dropped with it.
    expect(stats.workers.reduce((sum, w) => sum + w.covered, 0)).toBe(300_000);
    for (const worker of stats.workers) {
      expect(worker.ranges.reduce((sum, [start, end]) => sum + end - start, 0)).toBe(worker.covered);
    }
  });

  it('retargets the work being mined: no nonce hashed twice, finds at the old target then the new', async () => {
    const miner = await startMiner(2);
    const nonceCount = 400_000;
    const base: Work = { ...unsolvableWork(), stopOnFind: false, extranonceCount: 1, nonceStart: 0, nonceCount };
    const easy: Work = { ...base, id: 'easy', target: difficultyToTarget(2 ** -16) };
    const easier: Work = { ...base, id: 'easier', target: difficultyToTarget(2 ** -17) };
    const found: Solution[] = [];
    miner.on('found', (solution) => {
      found.push(solution);
      if (found.length === 1) miner.retarget(easier);
    });
    miner.setWork(easy);
    const [exhausted] = await nextOf(miner, 'exhausted');
    expect(exhausted).toBe(easier);
    expect(miner.stats().hashes).toBe(nonceCount);
    expect(new Set(found.map((solution) => solution.nonce)).size).toBe(found.length);
    expect(found.some((solution) => solution.work === easier)).toBe(true);
    for (const solution of found) expect(hashMeetsTarget(solution.hash, solution.work.target)).toBe(true);
    // Every nonce meeting the easier target after the retarget's first range is found: a brute force check.
    const header = base.header(0);
    const expected = [];
    for (let nonce = 0; nonce < nonceCount; nonce++)
      if (hashMeetsTarget(sha256d(withNonce(header, nonce)), easy.target)) expected.push(nonce);
    expect(found.map((solution) => solution.nonce)).toEqual(expect.arrayContaining(expected));
  });

  it('finds the true nonce of a real main-net header and stops every worker', async () => {
    const miner = await startMiner();
    miner.setWork(grindWork(block100000.hex, block100000.nonce, 200_000, 100_000));
    const [solution] = (await nextOf(miner, 'found')) as [Solution];
    expect(solution.nonce).toBe(block100000.nonce);
    expect(hashToDisplayHex(solution.hash)).toBe(block100000.hash);
    // Measured from the halt the find caused: 0 only when the workers were never halted.
    const stopMs = await miner.whenIdle();
    expect(stopMs).toBeGreaterThan(0);
    expect(miner.stats().workers.every((w) => w.hashes > 0)).toBe(true);
  });

  it.each(['js', 'wasm'] as const)('finds the same block through the %s backend in every worker', async (backend) => {
    const miner = await startMiner(2, backend);
    expect(miner.backend).toBe(backend);
    miner.setWork(grindWork(block100000.hex, block100000.nonce, 3_000_000, 1_000_000));
    const [solution] = (await nextOf(miner, 'found')) as [Solution];
    expect(solution.nonce).toBe(block100000.nonce);
    expect(hashToDisplayHex(solution.hash)).toBe(block100000.hash);
  });

  it('reports every share when it does not stop on a find: exactly the nonces a brute-force scan finds', async () => {
    const miner = await startMiner();
    const header = headerBytesFromHex(block100000.hex);
    const target = targetFromZeroBits(10);
    const work: Work = {
      id: 'shares',
      target,
      stopOnFind: false,
      extranonceCount: 1,
      header: () => header,
      nonceStart: 5_000,
      nonceCount: 60_000,
    };
    const expected: number[] = [];
    for (let nonce = 5_000; nonce < 65_000; nonce++)
      if (hashMeetsTarget(sha256d(withNonce(header, nonce)), target)) expected.push(nonce);
    const found: number[] = [];
    miner.on('found', (solution) => found.push(solution.nonce));
    miner.setWork(work);
    await nextOf(miner, 'exhausted');
    expect(expected.length).toBeGreaterThan(20);
    expect(found.sort((a, b) => a - b)).toEqual(expected);
  });

  it('replaces a worker that dies and redoes its range', async () => {
    const miner = await startMiner(2);
    const base = unsolvableWork();
    const work: Work = { ...base, extranonceCount: 1, nonceStart: 0, nonceCount: 400_000 };
    const replaced: number[] = [];
    miner.on('workerReplaced', (index) => replaced.push(index));
    miner.setWork(work);
    await nextOf(miner, 'best'); // hashing has begun
    await miner.crashWorker(0);
    await nextOf(miner, 'exhausted');
    expect(replaced).toEqual([0]);
    expect(miner.stats().workersReplaced).toBe(1);
    // The dead worker's range was handed out again whole: nothing is lost, some may be hashed twice.
    expect(miner.stats().workHashes).toBeGreaterThanOrEqual(400_000);
  });

  it('still finds the block when the worker holding it is killed', async () => {
    const miner = await startMiner(1);
    miner.setWork(grindWork(block100000.hex, block100000.nonce, 30_000, 1_000));
    await nextOf(miner, 'best');
    await miner.crashWorker(0);
    const [solution] = (await nextOf(miner, 'found')) as [Solution];
    expect(solution.nonce).toBe(block100000.nonce);
    expect(miner.stats().workersReplaced).toBe(1);
  });

  it('switches every worker to new work', async () => {
    const miner = await startMiner();
    miner.setWork(unsolvableWork('first'));
    await nextOf(miner, 'best');
    const second = grindWork(block100000.hex, block100000.nonce, 100_000, 10);
    miner.setWork(second);
    const [solution] = (await nextOf(miner, 'found')) as [Solution];
    expect(solution.work).toBe(second);
  });

  it('tracks the best hash as leading zero bits and difficulty', async () => {
    const miner = await startMiner();
    miner.setWork(grindWork(block100000.hex, block100000.nonce, 50_000, 10));
    await nextOf(miner, 'found');
    const best = miner.stats().best!;
    expect(best.hash).toBe(block100000.hash);
    expect(best.zeros).toBe(46); // 000000000003ba27…: eleven zero hex digits, then 0b0011
    expect(best.difficulty).toBeGreaterThan(14484);
  });

  it('throttled to 50%, its workers hash about half of the time, and its stats say how much', async () => {
    const miner = await Miner.start({ host: builtThreads(), threads: 1, backend: 'js', throttle: 50 });
    open.push(miner);
    await measureRunning(miner, 1000);
    const { throttle, dutyCycle } = miner.stats();
    expect(throttle).toBe(50);
    // The rest's arithmetic is test/worker/throttle.test.ts's; here, that the stats report a share the
    // rests cut (below 75%) yet not nothing. Not a tight band: a loaded machine starts the worker late.
    expect(dutyCycle).toBeGreaterThan(0);
    expect(dutyCycle).toBeLessThan(0.75);
  });

  it.each([
    [{ threads: 0 }, /^threads: must be a whole number from 1 to \d+/],
    [{ throttle: 0 }, /^throttle: /],
    [{ throttle: 101 }, /^throttle: /],
    [{ backend: 'gpu' as never }, /^backend: unknown backend gpu/],
    [{ backend: 'webgpu' as const, threads: 2 }, /^threads contradicts backend webgpu: /],
    [{ backend: 'webgpu' as const, gpu: false }, /^no-gpu contradicts backend webgpu: /],
  ])('rejects %j in its own words, naming no flag (a page shows them too)', async (options, message) => {
    const refusal = Miner.start({ host: builtThreads(), ...options });
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.not.toThrow(/--/);
    await expect(refusal).rejects.toMatchObject({ code: 'ERR_BAD_OPTION' });
  });
});
