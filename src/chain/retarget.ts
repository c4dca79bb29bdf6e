/**
 * Difficulty retargeting as Bitcoin Core's src/pow.cpp does it (GetNextWorkRequired and
 * CalculateNextWorkRequired), written from the rule, not copied:
 * - bits change only at heights that are multiples of the interval; between them a block carries
 *   its parent's bits;
 * - at a retarget height the actual timespan is the parent's time minus the time of the block
 *   `interval - 1` below the parent: the window spans interval - 1 gaps, not interval (Satoshi's
 *   off-by-one, kept by every Bitcoin node since, so kept here);
 * - the timespan is clamped to [timespan / 4, timespan × 4] (integer division, as in Core);
 * - new target = old target × actual / timespan, capped at the proof-of-work limit, and stored
 *   through the compact encoding (which rounds down).
 * Core multiplies in 256 bits (arith_uint256), which wraps for a target within a factor of
 * 4 × timespan of 2^256: only regtest's limit comes that close, and Core's regtest never retargets.
 * Here the product is exact, as in bcoin's Chain.retarget.
 */
import type { RetargetParams } from '../core/params.js';
import { bitsToTarget, targetToBits } from '../core/target.js';

/** Every figure of one retarget, for explain and the docs as much as for the rule. */
export interface RetargetComputation {
  oldBits: number;
  oldTarget: bigint;
  /** The parent's time and the time of the block interval - 1 below it. */
  lastTime: number;
  firstTime: number;
  /** What the chain aims for: spacing × interval seconds. */
  targetTimespan: number;
  actualTimespan: number;
  /** The actual timespan after the clamp, and which bound (if any) it hit. */
  clampedTimespan: number;
  clamp: 'none' | 'low' | 'high';
  /** Old × clamped / target timespan, before the cap and the compact rounding. */
  scaledTarget: bigint;
  capped: boolean;
  newBits: number;
  newTarget: bigint;
}

function targetTimespan(rule: Pick<RetargetParams, 'spacing' | 'interval'>): number {
  return rule.spacing * rule.interval;
}

/** Does the block at `height` start a new difficulty window? */
export function isRetargetHeight(height: number, interval: number): boolean {
  return height > 0 && height % interval === 0;
}

/** Core's CalculateNextWorkRequired: the bits after a window that ended at `lastTime` and began at `firstTime`. */
export function calculateNextWork(
  oldBits: number,
  lastTime: number,
  firstTime: number,
  rule: Pick<RetargetParams, 'spacing' | 'interval'>,
  powLimitBits: number,
): RetargetComputation {
  const timespan = targetTimespan(rule);
  const actualTimespan = lastTime - firstTime;
  const low = Math.floor(timespan / 4);
  const high = timespan * 4;
  const clamp = actualTimespan < low ? 'low' : actualTimespan > high ? 'high' : 'none';
  const clampedTimespan = clamp === 'low' ? low : clamp === 'high' ? high : actualTimespan;
  const oldTarget = bitsToTarget(oldBits);
  const scaledTarget = (oldTarget * BigInt(clampedTimespan)) / BigInt(timespan);
  const powLimit = bitsToTarget(powLimitBits);
  const capped = scaledTarget > powLimit;
  const newBits = targetToBits(capped ? powLimit : scaledTarget);
  return {
    oldBits,
    oldTarget,
    lastTime,
    firstTime,
    targetTimespan: timespan,
    actualTimespan,
    clampedTimespan,
    clamp,
    scaledTarget,
    capped,
    newBits,
    newTarget: bitsToTarget(newBits),
  };
}

/** What the rule needs to know of a chain: a block's bits and time by height, below the new block. */
export interface ChainView {
  /** The parent of the new block. */
  height: number;
  bits: number;
  time: number;
  /** The time of the ancestor at `height` on this branch. */
  timeAt(height: number): number;
}

/**
 * Core's GetNextWorkRequired: the bits the block after `parent` must carry, with the computation
 * when it is a retarget. The genesis's successor carries the start bits chosen with the chain: the
 * genesis is fixed, the starting difficulty is the class's choice.
 */
export function nextWorkRequired(
  parent: ChainView,
  rule: RetargetParams,
  powLimitBits: number,
): { bits: number; retarget?: RetargetComputation } {
  const height = parent.height + 1;
  if (parent.height === 0) return { bits: rule.startBits };
  if (!isRetargetHeight(height, rule.interval)) return { bits: parent.bits };
  const retarget = calculateNextWork(
    parent.bits,
    parent.time,
    parent.timeAt(parent.height - (rule.interval - 1)),
    rule,
    powLimitBits,
  );
  return { bits: retarget.newBits, retarget };
}
