// What the page computes without a document: the chart's history and scales. Numbers are worded by
// /format/numbers.js, the terminal's own module (src/format/numbers.ts), which the server serves built.
// No DOM here, so node tests import this module as it is served (figures.d.ts gives them its types).

/** The chart keeps five minutes, one sample a second: as many as the server (HISTORY_KEPT in state.ts). */
export const HISTORY_KEPT = 300;

/** Adds the server's sample for this second, dropping the oldest beyond HISTORY_KEPT. */
export function addSample(history, sample) {
  history.push(sample);
  if (history.length > HISTORY_KEPT) history.splice(0, history.length - HISTORY_KEPT);
  return history;
}

/**
 * A worker as people count: the first is worker 1, as the web app and the docs number them. The
 * index, from 0, is the worker's place in /api/status's `workers`.
 */
export function workerName(index) {
  return `worker ${index + 1}`;
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
