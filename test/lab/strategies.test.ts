// The strategies' decisions, event by event, on a scripted chain: Eyal and Sirer's Algorithm 1 for the
// selfish miner, the pre-mine, race and give-up of the double spender. The labs run them on real nodes;
// here each branch of the state machine is driven on its own.
import { describe, expect, it } from 'vitest';
import type { TreeBlock } from '../../src/chain/tree.js';
import { DoubleSpender } from '../../src/lab/double-spend.js';
import type { LabNode } from '../../src/lab/network.js';
import { RaceTally, SelfishMiner } from '../../src/lab/selfish.js';

let ids = 0;
function block(parent: TreeBlock | undefined): TreeBlock {
  return { id: `b${++ids}`, height: parent ? parent.height + 1 : 0, parent } as TreeBlock;
}

/** A node that records what it announces and where it is told to mine. */
function fakeNode() {
  const published: number[] = [];
  const mineOn: (number | undefined)[] = [];
  let nexts = 0;
  const node = {
    publish: (b: TreeBlock) => published.push(b.height),
    chain: {
      mineOn: (b: TreeBlock | undefined) => mineOn.push(b?.height),
      next: () => nexts++,
    },
  } as unknown as LabNode;
  return { node, published, mineOn, nexts: () => nexts };
}

describe("the selfish miner (Eyal and Sirer's Algorithm 1)", () => {
  const genesis = block(undefined);

  it('with a lead of 1, an honest block starts a race: it announces its block, and its next find wins the race', () => {
    const { node, published } = fakeNode();
    const tally = new RaceTally();
    const miner = new SelfishMiner(tally);
    const mine1 = block(genesis);
    miner.found(node, mine1);
    expect(published).toEqual([]);
    miner.received(node, block(genesis));
    expect(published).toEqual([1]);
    expect(tally.races).toBe(1);
    miner.found(node, block(mine1));
    expect(published).toEqual([1, 2]);
  });

  it('with a lead of 2, an honest block makes it announce both: its branch is the longer', () => {
    const { node, published } = fakeNode();
    const miner = new SelfishMiner(new RaceTally());
    const a = block(genesis);
    miner.found(node, a);
    miner.found(node, block(a));
    miner.received(node, block(genesis));
    expect(published).toEqual([1, 2]);
  });

  it('further ahead, it announces only as far as the honest chain reaches, until its lead is 1 again', () => {
    const { node, published } = fakeNode();
    const miner = new SelfishMiner(new RaceTally());
    const a = block(genesis);
    const b = block(a);
    miner.found(node, a);
    miner.found(node, b);
    miner.found(node, block(b));
    const honest1 = block(genesis);
    miner.received(node, honest1);
    expect(published).toEqual([1]);
    miner.received(node, block(honest1));
    expect(published).toEqual([1, 2, 3]);
  });

  it('with nothing private, an honest block changes nothing', () => {
    const { node, published } = fakeNode();
    const miner = new SelfishMiner(new RaceTally());
    miner.received(node, block(genesis));
    miner.finish(node);
    expect(published).toEqual([]);
  });

  it('behind, it drops its private blocks: a block found on a tip the honest chain has passed is never announced', () => {
    const { node, published } = fakeNode();
    const miner = new SelfishMiner(new RaceTally());
    const honest1 = block(genesis);
    miner.received(node, honest1);
    const honest2 = block(honest1);
    miner.received(node, honest2);
    // Its workers were still on the genesis when this was found.
    miner.found(node, block(genesis));
    miner.received(node, block(honest2));
    miner.finish(node);
    expect(published).toEqual([]);
  });

  it('a find on the public tip leaves behind the private blocks of a branch that lost', () => {
    const { node, published } = fakeNode();
    const miner = new SelfishMiner(new RaceTally());
    miner.found(node, block(genesis));
    const honest1 = block(genesis);
    const honest2 = block(honest1);
    // Two honest blocks came in one go (as a peer's headers do): the private block at 1 is behind.
    miner.received(node, honest2);
    miner.found(node, block(honest2));
    miner.finish(node);
    expect(published).toEqual([3]);
  });

  it('announces what it still holds when the lab ends', () => {
    const { node, published } = fakeNode();
    const miner = new SelfishMiner(new RaceTally());
    const a = block(genesis);
    miner.found(node, a);
    miner.found(node, block(a));
    miner.finish(node);
    expect(published).toEqual([1, 2]);
  });

  it('counts gamma from the first honest block after a race, by the branch it built on', () => {
    const tally = new RaceTally();
    const selfishBlock = block(genesis);
    const honestBlock = block(genesis);
    tally.race(selfishBlock);
    tally.found(block(selfishBlock), true);
    tally.race(selfishBlock);
    tally.found(block(honestBlock), true);
    tally.race(selfishBlock);
    tally.found(block(selfishBlock), false);
    expect(tally).toMatchObject({ races: 3, honestBlocks: 2, onSelfish: 1 });
  });
});

describe('the double spender', () => {
  const genesis = block(undefined);

  it('pre-mines a block, holds its branch while the merchant waits for z, and announces it once it is the longer', () => {
    const { node, published, mineOn } = fakeNode();
    const spender = new DoubleSpender(2, 8);
    const pre = block(genesis);
    spender.found(node, pre);
    expect(mineOn).toEqual([1]);
    const payment = block(genesis);
    spender.received(node, payment);
    const second = block(pre);
    spender.found(node, second);
    // 2 against 1, but the merchant has 1 confirmation only: no announcement yet.
    expect(published).toEqual([]);
    spender.received(node, block(payment));
    expect(published).toEqual([]);
    spender.found(node, block(second));
    expect(published).toEqual([3]);
    expect(spender.trials).toEqual([{ success: true, attackerBlocks: 3, honestBlocks: 2 }]);
    expect(mineOn.at(-1)).toBeUndefined();
  });

  it('gives up when too far behind to catch up, announces nothing, and mines on the tip again', () => {
    const { node, published, mineOn, nexts } = fakeNode();
    const spender = new DoubleSpender(2, 3);
    spender.found(node, block(genesis));
    let honestTip = block(genesis);
    for (let i = 0; i < 3; i++) {
      spender.received(node, honestTip);
      honestTip = block(honestTip);
    }
    expect(spender.trials).toEqual([]);
    spender.received(node, honestTip);
    expect(spender.trials).toEqual([{ success: false, attackerBlocks: 1, honestBlocks: 4 }]);
    expect(published).toEqual([]);
    expect(mineOn.at(-1)).toBeUndefined();
    expect(nexts()).toBe(1);
  });
});
