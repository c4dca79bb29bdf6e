// What the page computes without a document: number formats, and the chart's history and scales.
// No DOM here, so node tests import this module as it is served (figures.d.ts gives them its types).

/** The chart keeps five minutes, one sample a second: as many as the server (HISTORY_KEPT in state.ts). */
export const HISTORY_KEPT = 300;

// The same scales as the terminal (src/cli/output.ts), so the page and the status line read alike.
function scale(value, units) {
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return { value, unit: units[unit] };
}
export function formatHashrate(hashesPerSecond) {
  const { value, unit } = scale(hashesPerSecond, ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s']);
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${unit}`;
}
export function formatCount(n) {
  const { value, unit } = scale(n, ['', 'k', 'M', 'G', 'T', 'P', 'E']);
  return unit === '' ? String(Math.round(value)) : `${value.toFixed(2)}${unit}`;
}
export function formatDuration(seconds) {
  if (seconds === null || !Number.isFinite(seconds)) return '∞';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(Math.floor(seconds % 60)).padStart(2, '0')} s`;
  if (seconds < 86400 * 2) return `${(seconds / 3600).toFixed(1)} hours`;
  if (seconds < 86400 * 365 * 2) return `${(seconds / 86400).toFixed(1)} days`;
  return `${(seconds / (86400 * 365.25)).toExponential(2)} years`;
}
/** Worded as the terminal's summary words it (formatChance in src/cli/mining.ts). */
export function formatChance(p) {
  if (p >= 0.995) return '>99%';
  return p >= 0.01 ? `${Math.round(p * 100)}%` : `${(p * 100).toPrecision(2)}%`;
}
export function formatDifficulty(d) {
  return d === null ? '∞' : d >= 1e6 || d < 1e-3 ? d.toExponential(3) : d.toPrecision(4);
}

/** Adds the server's sample for this second, dropping the oldest beyond HISTORY_KEPT. */
export function addSample(history, sample) {
  history.push(sample);
  if (history.length > HISTORY_KEPT) history.splice(0, history.length - HISTORY_KEPT);
  return history;
}

// Loops, not Math.max(...values): spreading a long list overflows the call stack.

/** The highest rate in the history, total or of one worker. */
export function highestRate(history) {
  let highest = 0;
  for (const point of history) {
    if (point.hashrate > highest) highest = point.hashrate;
    for (const rate of point.workers) if (rate > highest) highest = rate;
  }
  return highest;
}

/** The furthest nonce any worker has reached in the current header. */
export function furthestNonce(workers) {
  let furthest = 0;
  for (const worker of workers) for (const [, end] of worker.ranges) if (end > furthest) furthest = end;
  return furthest;
}
