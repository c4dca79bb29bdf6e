/** The retarget that set a classnet block's bits, figure by figure, for `powlab explain`. */
import { isRetargetHeight, type RetargetComputation } from '../chain/retarget.js';
import type { BlockTree, TreeBlock } from '../chain/tree.js';
import { bitsHex } from '../core/target.js';

export interface RetargetFacts {
  height: number;
  spacing: number;
  interval: number;
  /** The window measured: the parent and the block interval - 1 below it. */
  firstHeight: number;
  lastHeight: number;
  firstTime: number;
  lastTime: number;
  actualTimespan: number;
  targetTimespan: number;
  /** The clamp's bounds: a quarter and four times the target timespan. */
  lowest: number;
  highest: number;
  clamp: RetargetComputation['clamp'];
  clampedTimespan: number;
  oldBits: string;
  oldTarget: bigint;
  scaledTarget: bigint;
  capped: boolean;
  newBits: string;
  newTarget: bigint;
}

/** The computation behind `block`'s bits when it sits at a retarget height of a retargeting chain; else undefined. */
export function retargetFacts(tree: BlockTree, block: TreeBlock): RetargetFacts | undefined {
  const rule = tree.params.retarget;
  if (!rule || !block.parent || !isRetargetHeight(block.height, rule.interval)) return undefined;
  const computation = tree.requiredWork(block.parent)?.retarget;
  if (!computation) return undefined;
  return {
    height: block.height,
    spacing: rule.spacing,
    interval: rule.interval,
    firstHeight: block.height - rule.interval,
    lastHeight: block.height - 1,
    firstTime: computation.firstTime,
    lastTime: computation.lastTime,
    actualTimespan: computation.actualTimespan,
    targetTimespan: computation.targetTimespan,
    lowest: Math.floor(computation.targetTimespan / 4),
    highest: computation.targetTimespan * 4,
    clamp: computation.clamp,
    clampedTimespan: computation.clampedTimespan,
    oldBits: bitsHex(computation.oldBits),
    oldTarget: computation.oldTarget,
    scaledTarget: computation.scaledTarget,
    capped: computation.capped,
    newBits: bitsHex(computation.newBits),
    newTarget: computation.newTarget,
  };
}
