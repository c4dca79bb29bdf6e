import { describe, expect, it } from 'vitest';
import { chanceOfFindWithin, expectedSecondsToFind, oddsAt } from '../../src/core/odds.js';

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

describe('oddsAt', () => {
  it('gives the mean wait, the median (ln 2 of it) and the chance within an hour in one place', () => {
    expect(oddsAt(2 ** 32, 2 ** 20)).toEqual({
      expectedSeconds: 4096,
      medianSeconds: 4096 * Math.LN2,
      chanceWithinHour: chanceOfFindWithin(3600, 2 ** 32, 2 ** 20),
    });
    expect(oddsAt(2 ** 32, 2 ** 20).chanceWithinHour).toBeCloseTo(1 - Math.exp(-3600 / 4096), 15);
  });

  it('waits forever with no chance before any hashing', () => {
    expect(oddsAt(65537, 0)).toEqual({ expectedSeconds: Infinity, medianSeconds: Infinity, chanceWithinHour: 0 });
  });
});
