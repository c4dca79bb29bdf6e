import { describe, expect, it } from 'vitest';
import { chanceOfFindWithin, expectedSecondsToFind } from '../../src/core/odds.js';

describe('the odds of a find', () => {
  it('expects difficulty × 2^32 / hashrate seconds, and forever with no hashrate', () => {
    expect(expectedSecondsToFind(2 ** 32, 2 ** 20)).toBe(4096);
    expect(expectedSecondsToFind(65537, 0)).toBe(Infinity);
  });

  it('gives 1 - 1/e of a find within the expected time, and more with longer', () => {
    expect(chanceOfFindWithin(4096, 2 ** 32, 2 ** 20)).toBeCloseTo(1 - Math.exp(-1), 15);
    expect(chanceOfFindWithin(3 * 4096, 2 ** 32, 2 ** 20)).toBeCloseTo(1 - Math.exp(-3), 15);
    expect(chanceOfFindWithin(3600, 65536, 0)).toBe(0);
    expect(chanceOfFindWithin(3600, 0, 1e6)).toBe(0);
  });

  it('keeps a laptop’s tiny chance at mainnet difficulty, where 1 - e^-x rounds badly', () => {
    // Difficulty 10^14 (mainnet in 2025), 10 MH/s, one hour: x = H t / (D 2^32).
    const expected = 1e14 * 2 ** 32;
    const x = (1e7 * 3600) / expected;
    const chance = chanceOfFindWithin(3600, expected, 1e7);
    expect(chance / x).toBeCloseTo(1, 12);
    expect(Math.abs((1 - Math.exp(-x)) / x - 1)).toBeGreaterThan(1e-6);
  });
});
