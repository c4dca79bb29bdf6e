/**
 * How the GPU worker cuts a range into dispatches, with a scanner that hashes at a set speed: a slow
 * device gets dispatches of about 50 ms from its first range on, so that progress, counted per
 * dispatch, is fine enough for a benchmark round of a third of a second.
 */
import { describe, expect, it } from 'vitest';
import { dispatchLimitFor, GPU_CHUNKS, scanRangeOnGpu, type CandidateScanner } from '../../src/worker/gpu-scan.js';
import { ChunkSizer, type ScanHooks } from '../../src/worker/scan.js';

/** A device that takes `count / hashesPerSecond` seconds per dispatch and never finds a candidate. */
function deviceAt(hashesPerSecond: number): CandidateScanner & { dispatches: number[] } {
  const dispatches: number[] = [];
  return {
    dispatches,
    async candidates(_start, count) {
      dispatches.push(count);
      await new Promise((resolve) => setTimeout(resolve, (count / hashesPerSecond) * 1000));
      return [];
    },
  };
}

function hooks(progress: number[]): ScanHooks {
  return { stopped: () => false, progress: (hashes) => progress.push(hashes), hit: () => false, rest: () => {} };
}

describe('GPU dispatch sizes', () => {
  it('fit a measured speed to 50 ms dispatches, within the bounds', () => {
    const sizer = new ChunkSizer(GPU_CHUNKS);
    sizer.fit(100_000);
    expect(sizer.size).toBe(5000);
    sizer.fit(1);
    expect(sizer.size).toBe(GPU_CHUNKS.min);
    sizer.fit(1e15);
    expect(sizer.size).toBe(GPU_CHUNKS.max);
  });

  it('keep a slow device to dispatches of about 50 ms, each one counted as it ends', async () => {
    const device = deviceAt(200_000);
    const sizer = new ChunkSizer(GPU_CHUNKS);
    sizer.fit(200_000);
    const progress: number[] = [];
    const outcome = await scanRangeOnGpu(device, 0, 100_000, hooks(progress), sizer);
    expect(outcome).toEqual({ next: 100_000, hashes: 100_000, stopped: false });
    expect(progress.reduce((a, b) => a + b, 0)).toBe(100_000);
    // 10,000 nonces is 50 ms at this speed: no dispatch may hold back more than a fifth of a second of work.
    expect(Math.max(...device.dispatches)).toBeLessThanOrEqual(40_000);
    expect(device.dispatches.length).toBeGreaterThanOrEqual(3);
  });

  it('come down from the first guess to a slow device in a few dispatches', async () => {
    const device = deviceAt(200_000);
    const sizer = new ChunkSizer(GPU_CHUNKS);
    await scanRangeOnGpu(device, 0, 300_000, hooks([]), sizer);
    expect(device.dispatches[0]).toBe(GPU_CHUNKS.initial);
    expect(sizer.size).toBeLessThan(GPU_CHUNKS.initial / 2);
  });

  it("count a find's whole dispatch before telling of the find, and say how many nonces it hashed past it", async () => {
    const winner = 70_123;
    const device: CandidateScanner = {
      candidates: async (start, count) => (winner >= start && winner < start + count ? [winner] : []),
    };
    const sizer = new ChunkSizer(GPU_CHUNKS);
    sizer.fit(1e9);
    let counted = 0;
    const told: { countedBefore: number; nonce: number; hashedAfter: number }[] = [];
    const outcome = await scanRangeOnGpu(
      device,
      0,
      1_000_000,
      {
        stopped: () => false,
        progress: (hashes) => (counted += hashes),
        hit: (nonce, hashedAfter) => {
          told.push({ countedBefore: counted, nonce, hashedAfter });
          return true;
        },
        rest: () => {},
      },
      sizer,
      10_000,
    );
    expect(told).toEqual([{ countedBefore: 80_000, nonce: winner, hashedAfter: 80_000 - winner - 1 }]);
    expect(outcome).toEqual({ next: 80_000, hashes: 80_000, stopped: true });
  });

  it('keep a dispatch for a stop-on-find job to a quarter of the hashes a find takes', async () => {
    expect(dispatchLimitFor(2 ** 24, true)).toBe(2 ** 22);
    expect(dispatchLimitFor(2 ** 12, true)).toBe(GPU_CHUNKS.min);
    expect(dispatchLimitFor(2 ** 12, false)).toBe(Infinity);
    const device = deviceAt(1e9);
    const sizer = new ChunkSizer(GPU_CHUNKS);
    sizer.fit(1e9);
    await scanRangeOnGpu(device, 0, 2 ** 20, hooks([]), sizer, dispatchLimitFor(2 ** 16, true));
    expect(new Set(device.dispatches)).toEqual(new Set([2 ** 14]));
    // The device's speed is still the one measured: a short dispatch says nothing about it.
    expect(sizer.size).toBe(5e7);
  });
});
