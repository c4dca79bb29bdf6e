/**
 * Block time rules, as Bitcoin Core's ContextualCheckBlockHeader (src/validation.cpp) applies them:
 * a block's time must be above the median time past of its parent (CBlockIndex::GetMedianTimePast
 * in src/chain.h: the median of the parent and up to 10 blocks below it), and at most
 * MAX_FUTURE_BLOCK_TIME (two hours) ahead of the clock. A miner picks max(now, MTP + 1), as Core's
 * UpdateTime does.
 */

/** Blocks in the median time past window (Core's CBlockIndex::nMedianTimeSpan). */
const MEDIAN_TIME_SPAN = 11;
/** Seconds a block's time may run ahead of the clock (Core's MAX_FUTURE_BLOCK_TIME). */
export const MAX_FUTURE_BLOCK_TIME = 2 * 60 * 60;

/** The median of the last MEDIAN_TIME_SPAN times given (newest last): the upper middle of an even count, as Core's. */
export function medianTimePast(times: readonly number[]): number {
  const window = times.slice(-MEDIAN_TIME_SPAN).sort((a, b) => a - b);
  return window[Math.floor(window.length / 2)];
}

export function minerTime(now: number, medianTime: number): number {
  return Math.max(now, medianTime + 1);
}

/** The time rule a block breaks, in Core's words, or undefined. */
export function timeViolation(
  time: number,
  medianTime: number,
  now: number,
): 'time-too-old' | 'time-too-new' | undefined {
  if (time <= medianTime) return 'time-too-old';
  if (time > now + MAX_FUTURE_BLOCK_TIME) return 'time-too-new';
  return undefined;
}
