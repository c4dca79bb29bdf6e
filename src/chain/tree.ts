/**
 * The block tree: every valid block, side branches included, each linked to its parent. The active
 * chain is the branch with the most cumulative work (Core's nChainWork, the sum of GetBlockProof
 * over the branch); on a tie the tip seen first stays, as in Core (CBlockIndexWorkComparator
 * orders equal work by arrival). Moving the tip onto another branch is a reorg, returned as an event.
 * No I/O: the store (src/sources/chain-store.ts) feeds it and keeps the bytes.
 */
import { hashToDisplayHex, headerHash, serializeHeader, type BlockHeader } from '../core/header.js';
import { genesisHash, type ChainParams } from '../core/params.js';
import { bitsToTarget } from '../core/target.js';
import { nextWorkRequired, type RetargetComputation } from './retarget.js';
import { medianTimePast } from './time-rules.js';

export interface TreeBlock {
  /** Internal byte order. */
  readonly hash: Uint8Array;
  /** Display order, the tree's key. */
  readonly id: string;
  readonly header: BlockHeader;
  readonly height: number;
  /** Work of the branch from the genesis up to and including this block. */
  readonly chainwork: bigint;
  readonly parent: TreeBlock | undefined;
  /** Arrival order: 0 for the genesis. */
  readonly seq: number;
}

/** The tip moved to another branch: `depth` blocks of the old one left the active chain. */
export interface Reorg {
  depth: number;
  oldTip: TreeBlock;
  newTip: TreeBlock;
  /** The last block both branches share. */
  fork: TreeBlock;
}

/** Core's GetBlockProof: the expected hashes to meet the target, 2^256 / (target + 1). */
export function blockProof(bits: number): bigint {
  return (1n << 256n) / (bitsToTarget(bits) + 1n);
}

export class BlockTree {
  private readonly byId = new Map<string, TreeBlock>();
  private readonly arrivals: TreeBlock[] = [];
  /** The active chain by height, the genesis at 0. */
  private active: TreeBlock[];

  constructor(readonly params: ChainParams) {
    const hash = genesisHash(params);
    const genesis: TreeBlock = {
      hash,
      id: hashToDisplayHex(hash),
      header: params.genesisHeader,
      height: 0,
      chainwork: blockProof(params.genesisHeader.bits),
      parent: undefined,
      seq: 0,
    };
    this.byId.set(genesis.id, genesis);
    this.active = [genesis];
  }

  get genesis(): TreeBlock {
    return this.active[0];
  }

  get tip(): TreeBlock {
    return this.active[this.active.length - 1];
  }

  /** The active chain, the genesis first. */
  activeChain(): readonly TreeBlock[] {
    return this.active;
  }

  /** Every block but the genesis, in the order they arrived. */
  blocks(): readonly TreeBlock[] {
    return this.arrivals;
  }

  get(id: string): TreeBlock | undefined {
    return this.byId.get(id);
  }

  isActive(block: TreeBlock): boolean {
    return this.active[block.height] === block;
  }

  /** The block at `height` on the branch that ends at `block`. */
  ancestor(block: TreeBlock, height: number): TreeBlock {
    if (height < 0 || height > block.height) throw new RangeError(`no ancestor at height ${height}`);
    if (this.isActive(block)) return this.active[height];
    let at = block;
    while (at.height > height) at = at.parent!;
    return at;
  }

  /** Median time past of `block` and up to 10 blocks below it. */
  medianTimePast(block: TreeBlock): number {
    const times: number[] = [];
    for (let at: TreeBlock | undefined = block; at && times.length < 11; at = at.parent) times.unshift(at.header.time);
    return medianTimePast(times);
  }

  /** The bits a child of `parent` must carry, and the retarget computation where there is one; none on chains that never retarget. */
  requiredWork(parent: TreeBlock): { bits: number; retarget?: RetargetComputation } | undefined {
    const rule = this.params.retarget;
    if (!rule) return undefined;
    return nextWorkRequired(
      {
        height: parent.height,
        bits: parent.header.bits,
        time: parent.header.time,
        timeAt: (height) => this.ancestor(parent, height).header.time,
      },
      rule,
      this.params.powLimitBits,
    );
  }

  /** Add a block whose parent is in the tree (checked by the caller's rules); says how the tip moved. */
  add(header: BlockHeader): { block: TreeBlock; reorg?: Reorg } {
    const hash = headerHash(serializeHeader(header));
    const parent = this.byId.get(hashToDisplayHex(header.prevHash));
    if (!parent) throw new RangeError('the parent is not in the tree');
    const block: TreeBlock = {
      hash,
      id: hashToDisplayHex(hash),
      header,
      height: parent.height + 1,
      chainwork: parent.chainwork + blockProof(header.bits),
      parent,
      seq: this.arrivals.length + 1,
    };
    this.byId.set(block.id, block);
    this.arrivals.push(block);
    const oldTip = this.tip;
    if (block.chainwork <= oldTip.chainwork) return { block };
    if (parent === oldTip) {
      this.active.push(block);
      return { block };
    }
    const branch: TreeBlock[] = [];
    let fork: TreeBlock = block;
    while (!this.isActive(fork)) {
      branch.unshift(fork);
      fork = fork.parent!;
    }
    this.active = [...this.active.slice(0, fork.height + 1), ...branch];
    return { block, reorg: { depth: oldTip.height - fork.height, oldTip, newTip: block, fork } };
  }
}
