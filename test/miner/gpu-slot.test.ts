/**
 * The Miner with one GPU worker beside a CPU worker: both hash the same work from one range queue,
 * and every nonce of the work is hashed exactly once between them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Miner } from '../../src/miner/miner.js';
import { nextOf } from '../../src/events.js';
import { builtThreads } from '../helpers/built.js';
import { unsolvableWork } from '../../src/miner/measure.js';
import type { Work } from '../../src/miner/work.js';

const packageMissing = await import('webgpu').then(
  () => false,
  (error: NodeJS.ErrnoException) => error.code === 'ERR_MODULE_NOT_FOUND',
);
if (packageMissing) console.warn('Miner GPU tests skipped: the optional webgpu package is not installed');

const open: Miner[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((miner) => miner.close()));
});

describe.skipIf(packageMissing)('Miner with a GPU worker', () => {
  it('--gpu: a GPU worker and the CPU workers share one work, and no nonce is hashed twice or left out', async () => {
    const miner = await Miner.start({ host: builtThreads(), backend: 'js', threads: 1, gpu: true });
    open.push(miner);
    expect(miner.gpu?.via).toMatch(/^(default|opengles)$/);
    expect(miner.backend).toBe('js');
    expect(miner.threads).toBe(1);
    const work: Work = { ...unsolvableWork(), extranonceCount: 2, nonceStart: 0, nonceCount: 3_000_000 };
    miner.setWork(work);
    await nextOf(miner, 'exhausted');
    const stats = miner.stats();
    expect(stats.gpu).toEqual(miner.gpu);
    expect(stats.workers).toHaveLength(2);
    expect(stats.workHashes).toBe(2 * 3_000_000);
    expect(stats.workers.reduce((sum, worker) => sum + worker.hashes, 0)).toBe(2 * 3_000_000);
  });

  it('--backend webgpu: the GPU alone', async () => {
    const miner = await Miner.start({ host: builtThreads(), backend: 'webgpu' });
    open.push(miner);
    expect(miner.backend).toBe('webgpu');
    expect(miner.stats().workers).toHaveLength(1);
  });

  it('--gpu without an adapter fails in one line rather than mining without it', async () => {
    process.env.POWLAB_TEST_WEBGPU = 'no-adapter';
    try {
      await expect(Miner.start({ host: builtThreads(), backend: 'js', threads: 1, gpu: true })).rejects.toThrow(
        /^no GPU adapter/,
      );
    } finally {
      delete process.env.POWLAB_TEST_WEBGPU;
    }
  });
});
