/**
 * What the dashboard shows of a chain that retargets (classnet): the active chain's last block times
 * and difficulties for the charts, its retargets as the rule computes them, and the reorgs of this
 * run as the store reports them. Read from the block tree at each call: the tree is the one account.
 */
import { isRetargetHeight } from '../chain/retarget.js';
import type { BlockTree, Reorg, TreeBlock } from '../chain/tree.js';
import { bitsHex, bitsToTarget, targetToDifficulty } from '../core/target.js';
import type { ChainPoint, ChainStatus, ChainTip, ReorgEvent, RetargetEvent } from './api.js';

/** The chain behind a run: its block tree, and its reorgs as they happen (ChainStore has both). */
export interface WatchedChain {
  readonly tree: BlockTree;
  onReorg(listener: (reorg: Reorg) => void): () => void;
}

/** Blocks the charts draw: six windows of the default interval, few enough to send every second. */
export const CHAIN_POINTS_KEPT = 120;
/** Retargets and reorgs listed. */
export const CHAIN_EVENTS_KEPT = 10;

const tipOf = (block: TreeBlock): ChainTip => ({ height: block.height, hash: block.id });

export class ChainWatch {
  private readonly reorgs: ReorgEvent[] = [];
  private readonly difficulties = new Map<number, number>();
  private readonly unwatch: () => void;

  /** `changed` is told of each reorg once it is kept. */
  constructor(
    private readonly chain: WatchedChain,
    changed: () => void,
  ) {
    this.unwatch = chain.onReorg((reorg) => {
      this.reorgs.unshift({
        depth: reorg.depth,
        oldTip: tipOf(reorg.oldTip),
        newTip: tipOf(reorg.newTip),
        fork: tipOf(reorg.fork),
        at: new Date().toISOString(),
      });
      if (this.reorgs.length > CHAIN_EVENTS_KEPT) this.reorgs.pop();
      changed();
    });
  }

  /** The chain now; null on a chain that never retargets. */
  status(): ChainStatus | null {
    const { tree } = this.chain;
    const rule = tree.params.retarget;
    if (!rule) return null;
    const active = tree.activeChain();
    const blocks: ChainPoint[] = active.slice(Math.max(2, active.length - CHAIN_POINTS_KEPT)).map((block) => ({
      height: block.height,
      gap: block.header.time - block.parent!.header.time,
      bits: bitsHex(block.header.bits),
      difficulty: this.difficulty(block.header.bits),
    }));
    return {
      network: tree.params.name,
      spacing: rule.spacing,
      interval: rule.interval,
      tip: tipOf(tree.tip),
      blocks,
      retargets: this.retargets(),
      reorgs: this.reorgs.slice(),
    };
  }

  close(): void {
    this.unwatch();
  }

  /** The latest retargets of the active chain, newest first: the next block's too, once its window is whole. */
  private retargets(): RetargetEvent[] {
    const { tree } = this.chain;
    const interval = tree.params.retarget!.interval;
    const tip = tree.tip;
    const events: RetargetEvent[] = [];
    let height = Math.floor((tip.height + 1) / interval) * interval;
    for (; isRetargetHeight(height, interval) && events.length < CHAIN_EVENTS_KEPT; height -= interval) {
      const computed = tree.requiredWork(tree.ancestor(tip, height - 1))?.retarget;
      if (!computed) continue;
      events.push({
        height,
        firstHeight: height - interval,
        lastHeight: height - 1,
        actualTimespan: computed.actualTimespan,
        targetTimespan: computed.targetTimespan,
        clampedTimespan: computed.clampedTimespan,
        clamp: computed.clamp,
        capped: computed.capped,
        oldBits: bitsHex(computed.oldBits),
        newBits: bitsHex(computed.newBits),
        oldDifficulty: this.difficulty(computed.oldBits),
        newDifficulty: this.difficulty(computed.newBits),
      });
    }
    return events;
  }

  /** A bits value's difficulty, worked out once: a chain has few. */
  private difficulty(bits: number): number {
    let difficulty = this.difficulties.get(bits);
    if (difficulty === undefined) {
      difficulty = targetToDifficulty(bitsToTarget(bits));
      this.difficulties.set(bits, difficulty);
    }
    return difficulty;
  }
}
