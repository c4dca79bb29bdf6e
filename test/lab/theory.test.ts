// The labs' formulas against the figures their papers print.
import { describe, expect, it } from 'vitest';
import {
  nakamotoSuccess,
  rosenfeldSuccess,
  selfishRevenue,
  selfishThreshold,
  staleFirstOrder,
  wilsonInterval,
} from '../../src/lab/theory.js';

describe('Nakamoto 2008, section 11', () => {
  // The paper's own table of P for q = 0.1 and q = 0.3.
  it.each([
    [0.1, 0, 1.0],
    [0.1, 1, 0.2045873],
    [0.1, 2, 0.0509779],
    [0.1, 3, 0.0131722],
    [0.1, 4, 0.0034552],
    [0.1, 5, 0.0009137],
    [0.1, 10, 0.0000012],
    [0.3, 5, 0.1773523],
    [0.3, 10, 0.0416605],
    [0.3, 15, 0.0101008],
    [0.3, 50, 0.0000006],
  ])('q = %s, z = %s: %s', (q, z, p) => {
    expect(nakamotoSuccess(q, z)).toBeCloseTo(p, 7);
  });

  it('is 1 for an attacker with half the hashrate or more', () => {
    expect(nakamotoSuccess(0.5, 6)).toBe(1);
  });
});

describe('Rosenfeld 2014', () => {
  it('is 2q for one confirmation, as the paper derives', () => {
    for (const q of [0.05, 0.1, 0.3, 0.45]) expect(rosenfeldSuccess(q, 1)).toBeCloseTo(2 * q, 12);
  });

  it('matches a direct sum over the negative binomial and the gambler’s ruin', () => {
    for (const [q, z] of [
      [0.1, 6],
      [0.3, 2],
      [0.25, 4],
    ]) {
      const p = 1 - q;
      let direct = 0;
      // m attacker blocks while the honest chain finds z: C(z + m - 1, m) p^z q^m; then catch up from z - m.
      let choose = 1;
      for (let m = 0; m < 200; m++) {
        if (m > 0) choose = (choose * (z + m - 1)) / m;
        direct += choose * p ** z * q ** m * (m >= z ? 1 : (q / p) ** (z - m));
      }
      expect(rosenfeldSuccess(q, z)).toBeCloseTo(direct, 10);
    }
  });

  it('is below Nakamoto’s Poisson estimate at q = 0.3, z = 2 (0.432 against 0.446)', () => {
    expect(rosenfeldSuccess(0.3, 2)).toBeCloseTo(0.432, 6);
    expect(nakamotoSuccess(0.3, 2)).toBeCloseTo(0.4457, 4);
  });
});

describe('Eyal and Sirer 2014', () => {
  it('pays exactly the hash share at the threshold, for several gammas', () => {
    for (const gamma of [0, 0.25, 0.5, 0.75]) {
      const threshold = selfishThreshold(gamma);
      expect(selfishRevenue(threshold, gamma)).toBeCloseTo(threshold, 12);
    }
    expect(selfishThreshold(0)).toBeCloseTo(1 / 3, 12);
    expect(selfishThreshold(0.5)).toBeCloseTo(1 / 4, 12);
  });

  it('pays more than the share above the threshold and less below it', () => {
    expect(selfishRevenue(0.4, 0)).toBeCloseTo(0.4837, 4);
    expect(selfishRevenue(0.4, 0)).toBeGreaterThan(0.4);
    expect(selfishRevenue(0.3, 0)).toBeLessThan(0.3);
    expect(selfishRevenue(0.3, 1)).toBeGreaterThan(0.3);
  });

  it('is the whole chain for a majority, where the formula stops holding (it would exceed 1, then turn negative)', () => {
    expect(selfishRevenue(0.499999, 0)).toBeCloseTo(1, 4);
    expect(selfishRevenue(0.5, 0)).toBe(1);
    expect(selfishRevenue(0.58, 0.5)).toBe(1);
  });
});

describe('the stale rate to first order, and the interval', () => {
  it('is 1 - e^(-delay/spacing)', () => {
    expect(staleFirstOrder(0, 1)).toBe(0);
    expect(staleFirstOrder(0.5, 1)).toBeCloseTo(0.3935, 4);
    expect(staleFirstOrder(2, 600)).toBeCloseTo(0.00333, 5);
  });

  it('gives a Wilson interval that holds the proportion and narrows with trials', () => {
    const [low, high] = wilsonInterval(40, 100);
    expect(low).toBeLessThan(0.4);
    expect(high).toBeGreaterThan(0.4);
    const [low2, high2] = wilsonInterval(400, 1000);
    expect(high2 - low2).toBeLessThan(high - low);
  });
});
