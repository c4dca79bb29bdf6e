/**
 * How powlab words a number, for the terminal and the web pages alike: counts, hashrates,
 * durations, chances and difficulties. Pure and self-contained (no imports), because the pool's page
 * is served the built module as it is (dist/format/numbers.js); the other pages bundle it.
 */

const SI_PREFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'] as const;
const HASHRATE_UNITS = SI_PREFIXES.map((prefix) => `${prefix}H/s`);

/** A value scaled by thousands into the largest unit that keeps it at or above 1. */
export function scaleByThousands(value: number, units: readonly string[]): { value: number; unit: string } {
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return { value, unit: units[unit] };
}

/** Three significant digits at most, whatever the scale: 1.90, 19.0, 190; past the largest unit, whole, with separators: 1,061. */
function threeDigits(value: number): string {
  if (value >= 1000) return formatInteger(value);
  return value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2);
}

/** 1.90 MH/s: a unit on every rate, three digits. */
export function formatHashrate(hashesPerSecond: number): string {
  const { value, unit } = scaleByThousands(hashesPerSecond, HASHRATE_UNITS);
  return `${threeDigits(value)} ${unit}`;
}

/** Hash counts and the like: 950, 12.34k, 4.29G. */
export function formatCount(n: number): string {
  const { value, unit } = scaleByThousands(n, SI_PREFIXES);
  return unit === '' ? String(Math.round(value)) : `${value.toFixed(2)}${unit}`;
}

/**
 * A count and its noun, the noun singular for exactly one: 1 block, 2 blocks, 1 hash, 12.34k hashes.
 * `format` words the number (formatInteger by default; formatCount for hashes).
 */
export function countOf(
  n: number,
  singular: string,
  plural = `${singular}s`,
  format: (n: number) => string = formatInteger,
): string {
  const shown = format(n);
  return `${shown} ${shown === '1' ? singular : plural}`;
}

/** A whole number with thousands separators: 1,490. */
export function formatInteger(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Up to four significant digits with separators (1,490, 0.7812), in exponent form beyond reading (2.26e+20). */
export function formatNumber(value: number): string {
  if (value === 0 || !Number.isFinite(value)) return String(value);
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9 || magnitude < 1e-3) return value.toExponential(2);
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

/** Large numbers in words while words read well: 25,000, 52.4 million, 6.71 trillion, then 2.52e+25. */
export function formatLarge(n: number): string {
  if (!Number.isFinite(n)) return '∞';
  if (n < 1e6) return formatInteger(Number(n.toPrecision(3)));
  const words: [number, string][] = [
    [1e6, 'million'],
    [1e9, 'billion'],
    [1e12, 'trillion'],
  ];
  for (const [size, word] of words) if (n < size * 1000) return `${Number((n / size).toPrecision(3))} ${word}`;
  return n.toPrecision(3);
}

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86400;
const YEAR = 365.25 * DAY;

/** From microseconds (an easy target at laptop speed) to years (main-net at laptop speed): 2.50 s, 4 min 05 s, 1,490 years. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '∞';
  if (seconds < 1e-3) return `${Number((seconds * 1e6).toPrecision(3))} µs`;
  if (seconds < 1) return `${Number((seconds * 1e3).toPrecision(3))} ms`;
  if (seconds < MINUTE) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  if (seconds < HOUR)
    return `${Math.floor(seconds / MINUTE)} min ${String(Math.floor(seconds % MINUTE)).padStart(2, '0')} s`;
  if (seconds < 2 * DAY) return `${(seconds / HOUR).toFixed(1)} hours`;
  if (seconds < 2 * YEAR) return `${(seconds / DAY).toFixed(1)} days`;
  return `${formatLarge(seconds / YEAR)} years`;
}

/** Below this a chance reads better as odds: 1 in 25,000 rather than 0.0040%. */
const ODDS_BELOW = 1e-4;

/**
 * A chance in percent with the digits that matter (0.49%, 13%), as "1 in N" when it is tiny, and as
 * ">99%" near certainty (a Poisson chance that rounds to 1 in floating point too), so that a rounded
 * figure never claims 0% or 100% of something that may or may not happen.
 */
export function formatChance(p: number): string {
  if (!(p > 0)) return '0%';
  if (p < ODDS_BELOW) return `1 in ${formatLarge(1 / p)}`;
  if (p < 0.01) return `${(p * 100).toPrecision(2)}%`;
  if (p < 0.995) return `${Math.round(p * 100)}%`;
  return '>99%';
}

/**
 * A chance near certainty, from the small chance `q` that it fails: as many digits as it takes for q
 * to show (99.9931%), and "all but 1 in 148 trillion" where a percent would need too many.
 */
export function formatNearCertainty(q: number): string {
  if (q < 1e-6) return `all but ${formatChance(q)}`;
  const decimals = Math.max(0, Math.ceil(-Math.log10(q * 100))) + 1;
  return `${(100 - q * 100).toFixed(decimals)}%`;
}

/** A chance from its base-10 logarithm, for one below what a float holds: 1 in 10^1,292,913,986. */
export function formatChanceFromLog10(log10: number): string {
  return log10 > -300 ? formatChance(10 ** log10) : `1 in 10^${formatInteger(-log10)}`;
}

/** Difficulty as explorers show it: 14,484.2, then 148.18T; the demo targets' tiny ones in exponent form (4.657e-10). */
export function formatDifficulty(d: number | null): string {
  if (d === null || !Number.isFinite(d)) return '∞';
  if (d === 0) return '0';
  if (d < 1e-3) return d.toExponential(3);
  if (d < 1e6) return Number(d.toPrecision(6)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  const { value, unit } = scaleByThousands(d, SI_PREFIXES);
  return `${value.toFixed(2)}${unit}`;
}

const SATOSHIS_PER_BTC = 100_000_000;

/** Satoshis as bitcoin, every digit kept: 50.00000000 BTC. */
export function formatBtc(satoshis: number): string {
  const sign = satoshis < 0 ? '-' : '';
  const magnitude = Math.abs(satoshis);
  return `${sign}${formatInteger(Math.floor(magnitude / SATOSHIS_PER_BTC))}.${String(magnitude % SATOSHIS_PER_BTC).padStart(8, '0')} BTC`;
}
