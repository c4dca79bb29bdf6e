import { describe, expect, it } from 'vitest';
import { NonceCoverage, RANGES_KEPT } from '../../src/miner/coverage.js';

describe('NonceCoverage', () => {
  it('counts every nonce after more ranges than it keeps to draw, and keeps the latest', () => {
    const coverage = new NonceCoverage();
    let hashed = 0;
    // Two workers interleave, so one worker's ranges never touch: each is kept on its own.
    for (let i = 0; i < 3 * RANGES_KEPT; i++) {
      const start = i * 10_000;
      const end = start + 4096 + i;
      coverage.add(start, end);
      hashed += end - start;
    }
    expect(coverage.count).toBe(hashed);
    expect(coverage.ranges).toHaveLength(RANGES_KEPT);
    expect(coverage.ranges[0][0]).toBe(2 * RANGES_KEPT * 10_000);
    expect(coverage.ranges.at(-1)).toEqual([
      (3 * RANGES_KEPT - 1) * 10_000,
      (3 * RANGES_KEPT - 1) * 10_000 + 4096 + 3 * RANGES_KEPT - 1,
    ]);
  });

  it('merges a range that continues the one before', () => {
    const coverage = new NonceCoverage();
    coverage.add(0, 100);
    coverage.add(100, 250);
    coverage.add(300, 400);
    expect(coverage.ranges).toEqual([
      [0, 250],
      [300, 400],
    ]);
    expect(coverage.count).toBe(350);
  });
});
