// The one set of number words the terminal and the dashboard's page share (src/format/numbers.ts).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  countOf,
  formatBtc,
  formatChance,
  formatChanceFromLog10,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
  formatLarge,
  formatNearCertainty,
  formatNumber,
} from '../../src/format/numbers.js';

describe('countOf', () => {
  it('puts the noun in the singular for exactly one, as the number is worded', () => {
    expect([
      countOf(0, 'block'),
      countOf(1, 'block'),
      countOf(2, 'block'),
      countOf(1490, 'block'),
      countOf(1, 'hash', 'hashes', formatCount),
      countOf(950, 'hash', 'hashes', formatCount),
      countOf(1001, 'hash', 'hashes', formatCount),
      countOf(1, 'zero bit'),
    ]).toEqual([
      '0 blocks',
      '1 block',
      '2 blocks',
      '1,490 blocks',
      '1 hash',
      '950 hashes',
      '1.00k hashes',
      '1 zero bit',
    ]);
  });
});

describe('formatNearCertainty and formatChanceFromLog10', () => {
  it.each([
    [6.9037e-5, '99.9931%'],
    [0.005, '99.50%'],
    [1e-7, 'all but 1 in 10 million'],
  ])('a failure chance of %d leaves %s', (q, words) => expect(formatNearCertainty(q)).toBe(words));

  it.each([
    [-2, '1%'],
    [-10, '1 in 10 billion'],
    [-1292913764.4, '1 in 10^1,292,913,764'],
  ])('10^%d reads %s', (log10, words) => expect(formatChanceFromLog10(log10)).toBe(words));
});

describe('formatChance', () => {
  it.each([
    [0, '0%'],
    [1e-300, '1 in 1.00e+300'],
    [3.976e-11, '1 in 25.2 billion'],
    [4e-5, '1 in 25,000'],
    [0.00049, '0.049%'],
    [0.005, '0.50%'],
    [0.0099, '0.99%'],
    [0.01, '1%'],
    [0.125, '13%'],
    [0.994, '99%'],
    [0.995, '>99%'],
    [1 - 1e-12, '>99%'],
    [1, '>99%'],
  ])('%d reads %s', (p, words) => expect(formatChance(p)).toBe(words));

  it('never rounds a possible event to 0% or a doubtful one to 100%', () => {
    for (let e = -300; e < 0; e += 0.5) {
      expect(formatChance(10 ** e)).not.toBe('0%');
      if (e > -15) expect(formatChance(1 - 10 ** e)).not.toBe('100%');
    }
  });
});

describe('formatDuration', () => {
  it.each([
    [null, '∞'],
    [Infinity, '∞'],
    [2.5e-6, '2.5 µs'],
    [0.0123, '12.3 ms'],
    [2.5, '2.50 s'],
    [42.25, '42.3 s'],
    [245, '4 min 05 s'],
    [5400, '1.5 hours'],
    [3 * 86400, '3.0 days'],
    [1490 * 365.25 * 86400, '1,490 years'],
    [2.3e6 * 365.25 * 86400, '2.3 million years'],
    [4.5e20 * 365.25 * 86400, '4.50e+20 years'],
  ])('%d s reads %s', (seconds, words) => expect(formatDuration(seconds)).toBe(words));
});

describe('counts, rates, numbers, difficulty and bitcoin', () => {
  it('puts a unit on every rate and scales by thousands', () => {
    expect(formatHashrate(950)).toBe('950 H/s');
    expect(formatHashrate(1.9e6)).toBe('1.90 MH/s');
    expect(formatHashrate(867e3)).toBe('867 kH/s');
    expect(formatHashrate(5.71e18)).toBe('5.71 EH/s');
    expect(formatHashrate(1.061e21)).toBe('1,061 EH/s');
    expect(formatCount(12_345)).toBe('12.35k');
    expect(formatCount(999)).toBe('999');
  });

  it('words large numbers while words read well', () => {
    expect(formatLarge(25_000)).toBe('25,000');
    expect(formatLarge(6.71e12)).toBe('6.71 trillion');
    expect(formatLarge(2.52e25)).toBe('2.52e+25');
    expect(formatNumber(1490.4)).toBe('1,490');
    expect(formatNumber(0.78123)).toBe('0.7812');
    expect(formatNumber(2.264e20)).toBe('2.26e+20');
  });

  it('shows difficulty as explorers do', () => {
    expect(formatDifficulty(14484.1623612254)).toBe('14,484.2');
    expect(formatDifficulty(148.2e12)).toBe('148.20T');
    expect(formatDifficulty(4.656542373906925e-10)).toBe('4.657e-10');
    expect(formatDifficulty(null)).toBe('∞');
  });

  it('keeps every satoshi of a bitcoin amount', () => {
    expect(formatBtc(5_000_000_000)).toBe('50.00000000 BTC');
    expect(formatBtc(2_100_000_000_000_000)).toBe('21,000,000.00000000 BTC');
    expect(formatBtc(-1)).toBe('-0.00000001 BTC');
  });
});

describe('the module as the page gets it', () => {
  it('imports nothing, so the built file runs in a browser as it is', () => {
    const source = readFileSync(new URL('../../src/format/numbers.ts', import.meta.url), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    const built = readFileSync(new URL('../../dist/format/numbers.js', import.meta.url), 'utf8');
    expect(built).not.toMatch(/^\s*import\s/m);
    expect(built).toContain('export function formatChance');
  });
});
