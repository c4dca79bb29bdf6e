// What the page computes without a document: the chart's history and the nonce map's reach. No DOM
// here, so node tests import it as the page does.
import type { HashrateSample, WorkerStatus } from '../../dashboard/api.js';

/** The chart keeps five minutes, one sample a second: as many as the server (HISTORY_KEPT in state.ts). */
export const HISTORY_KEPT = 300;

/** Adds the server's sample for this second, dropping the oldest beyond HISTORY_KEPT. */
export function addSample(history: HashrateSample[], sample: HashrateSample): HashrateSample[] {
  history.push(sample);
  if (history.length > HISTORY_KEPT) history.splice(0, history.length - HISTORY_KEPT);
  return history;
}

/**
 * A worker as people count: the first is worker 1, as the web app and the docs number them. The
 * index, from 0, is the worker's place in /api/status's `workers`.
 */
export function workerName(index: number): string {
  return `worker ${index + 1}`;
}

/** The furthest nonce any worker has reached in the current header (a loop: spreading a long list into Math.max overflows the stack). */
export function furthestNonce(workers: Pick<WorkerStatus, 'ranges'>[]): number {
  let furthest = 0;
  for (const worker of workers) for (const [, end] of worker.ranges) if (end > furthest) furthest = end;
  return furthest;
}
