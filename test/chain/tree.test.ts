// The block tree: most cumulative work wins, first seen wins a tie, and a switch is a reorg event.
import { describe, expect, it } from 'vitest';
import { blockViolation } from '../../src/chain/rules.js';
import { blockProof, BlockTree, type TreeBlock } from '../../src/chain/tree.js';
import { classnetParams, REGTEST } from '../../src/core/params.js';
import { grindBlock } from '../helpers/classnet-blocks.js';

const START_BITS = 0x2007ffff;
const params = classnetParams({ spacing: 10, interval: 20, startBits: START_BITS });
const NOW = params.genesisHeader.time + 10_000;

/** Grow a branch of `count` blocks on `from`, each 10 s after its parent; returns its blocks. */
function grow(tree: BlockTree, from: TreeBlock, count: number, extranonce: number): TreeBlock[] {
  const added: TreeBlock[] = [];
  let parent = from;
  for (let i = 0; i < count; i++) {
    const { block } = grindBlock({
      height: parent.height + 1,
      prevHash: parent.hash,
      time: parent.header.time + 10,
      bits: tree.requiredWork(parent)!.bits,
      extranonce,
    });
    expect(blockViolation(tree, block, NOW)).toBeUndefined();
    parent = tree.add(block.header).block;
    added.push(parent);
  }
  return added;
}

describe('BlockTree', () => {
  it('sums the work of a branch: 2^256 / (target + 1) a block', () => {
    const tree = new BlockTree(params);
    const [first, second] = grow(tree, tree.genesis, 2, 0);
    expect(second.chainwork - first.chainwork).toBe(blockProof(START_BITS));
    expect(first.chainwork).toBe(blockProof(REGTEST.powLimitBits) + blockProof(START_BITS));
  });

  it('keeps the tip seen first when a side branch has as much work, and reorgs when it has more', () => {
    const tree = new BlockTree(params);
    const [fork] = grow(tree, tree.genesis, 1, 0);
    const main = grow(tree, fork, 3, 1);
    const side = grow(tree, fork, 3, 2);
    expect(tree.tip).toBe(main[2]);
    expect(side.every((block) => !tree.isActive(block))).toBe(true);

    const { block, reorg } = tree.add(
      grindBlock({ height: 5, prevHash: side[2].hash, time: side[2].header.time + 10, bits: START_BITS, extranonce: 2 })
        .block.header,
    );
    expect(reorg).toEqual({ depth: 3, oldTip: main[2], newTip: block, fork });
    expect(tree.activeChain().map((b) => b.id)).toEqual([tree.genesis, fork, ...side, block].map((b) => b.id));
    expect(main.some((b) => tree.isActive(b))).toBe(false);
    expect(tree.ancestor(main[2], 1)).toBe(fork);
  });

  it('extending the tip is no reorg', () => {
    const tree = new BlockTree(params);
    grow(tree, tree.genesis, 2, 0);
    const { reorg } = tree.add(
      grindBlock({ height: 3, prevHash: tree.tip.hash, time: tree.tip.header.time + 10, bits: START_BITS }).block
        .header,
    );
    expect(reorg).toBeUndefined();
  });
});

describe('blockViolation names the rule in Core words', () => {
  const tree = new BlockTree(params);
  const chain = grow(tree, tree.genesis, 19, 0);
  const tip = chain[18];
  const next = (spec: { time?: number; bits?: number; prevHash?: Uint8Array }) =>
    grindBlock({
      height: 20,
      prevHash: spec.prevHash ?? tip.hash,
      time: spec.time ?? tip.header.time + 10,
      bits: spec.bits ?? tree.requiredWork(tip)!.bits,
    }).block;

  it('bad-diffbits: the parent bits carried across a retarget height', () => {
    expect(tree.requiredWork(tip)!.bits).not.toBe(START_BITS);
    expect(blockViolation(tree, next({ bits: START_BITS }), NOW)?.rule).toBe('bad-diffbits');
  });

  it('time-too-old at the median, time-too-new past two hours ahead, accepted between', () => {
    const median = tree.medianTimePast(tip);
    expect(blockViolation(tree, next({ time: median }), NOW)?.rule).toBe('time-too-old');
    expect(blockViolation(tree, next({ time: median + 1 }), NOW)).toBeUndefined();
    expect(blockViolation(tree, next({ time: NOW + 7201 }), NOW)?.rule).toBe('time-too-new');
  });

  it('prev-blk-not-found, high-hash and bad-txnmrklroot', () => {
    expect(blockViolation(tree, next({ prevHash: new Uint8Array(32).fill(7) }), NOW)?.rule).toBe('prev-blk-not-found');
    const good = next({});
    const unground = { ...good, header: { ...good.header, nonce: good.header.nonce + 1 } };
    // One nonce on, the hash meets a target this easy half the time: find a nonce that misses.
    while (blockViolation(tree, unground, NOW) === undefined) unground.header.nonce++;
    expect(blockViolation(tree, unground, NOW)?.rule).toBe('high-hash');
    // A merkle root of zeros, re-ground so that the proof of work holds.
    const otherRoot = { ...good, header: { ...good.header, merkleRoot: new Uint8Array(32) } };
    while (blockViolation(tree, otherRoot, NOW)?.rule === 'high-hash') otherRoot.header.nonce++;
    expect(blockViolation(tree, otherRoot, NOW)?.rule).toBe('bad-txnmrklroot');
  });
});
