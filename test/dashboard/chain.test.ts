// The dashboard's account of a chain that retargets: block times and difficulties for the charts,
// each retarget as the rule computed it, and each reorg the store makes, sent the moment it happens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { calculateNextWork } from '../../src/chain/retarget.js';
import { classnetParams } from '../../src/core/params.js';
import { bitsHex, targetToDifficulty, bitsToTarget } from '../../src/core/target.js';
import type { ChainStatus } from '../../src/dashboard/api.js';
import { CHAIN_POINTS_KEPT } from '../../src/dashboard/chain.js';
import { DashboardState } from '../../src/dashboard/state.js';
import { ChainStore } from '../../src/sources/chain-store.js';
import { discardingStorage, growBranch } from '../helpers/classnet-blocks.js';
import { fakeMiner } from './fake-miner.js';

const START_BITS = 0x2007ffff;
const params = classnetParams({ spacing: 10, interval: 4, startBits: START_BITS });
const NOW = params.genesisHeader.time + 1_000_000;

/** Grind `count` blocks on the block `parentId`, each `gap` seconds after its parent. */
const grow = (store: ChainStore, parentId: string, count: number, gap: number, extranonce = 0) =>
  growBranch(store, { parentId, count, gap, now: NOW, extranonce });

describe('the dashboard on classnet', () => {
  const states: DashboardState[] = [];
  const open = (store: ChainStore) => {
    const state = new DashboardState(fakeMiner(), {
      name: 'the built-in classnet chain',
      finds: 'block',
      label: () => `block ${store.height + 1}`,
      chain: store,
    });
    states.push(state);
    return state;
  };
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => {
    for (const state of states.splice(0)) state.stop();
    vi.useRealTimers();
  });

  it('charts each block’s gap and difficulty, and lists the coming retarget as the rule computes it', async () => {
    const store = ChainStore.open(discardingStorage(), params);
    const state = open(store);
    const tip = await grow(store, store.tree.genesis.id, 3, 5);
    vi.advanceTimersByTime(1000);
    const chain = state.status().chain!;
    expect(chain).toMatchObject({ network: 'classnet', spacing: 10, interval: 4, tip: { height: 3, hash: tip.id } });
    // Block 1's gap is from a genesis mined in 2025: left out of the chart.
    expect(chain.blocks.map((block) => [block.height, block.gap])).toEqual([
      [2, 5],
      [3, 5],
    ]);
    // Block 3 is in: block 4's bits are decided, from blocks 0 to 3 (15 s against the 40 s aimed for).
    const expected = calculateNextWork(
      START_BITS,
      tip.header.time,
      params.genesisHeader.time,
      params.retarget!,
      0x207fffff,
    );
    expect(chain.retargets).toEqual([
      {
        height: 4,
        firstHeight: 0,
        lastHeight: 3,
        actualTimespan: 15,
        targetTimespan: 40,
        clampedTimespan: 15,
        clamp: 'none',
        capped: false,
        oldBits: bitsHex(START_BITS),
        newBits: bitsHex(expected.newBits),
        oldDifficulty: targetToDifficulty(bitsToTarget(START_BITS)),
        newDifficulty: targetToDifficulty(expected.newTarget),
      },
    ]);
    expect(chain.retargets[0].newDifficulty).toBeGreaterThan(chain.retargets[0].oldDifficulty);
    expect(chain.reorgs).toEqual([]);

    // 13 s a block: a window of 3 gaps takes 39 s, about the 40 s aimed for, so the target stays within reach.
    await grow(store, tip.id, CHAIN_POINTS_KEPT + 2, 13);
    vi.advanceTimersByTime(1000);
    const later = state.status().chain!;
    expect(later.blocks).toHaveLength(CHAIN_POINTS_KEPT);
    expect(later.blocks.at(-1)!.height).toBe(CHAIN_POINTS_KEPT + 5);
    // Retarget heights only, newest first; between them the difficulty holds.
    expect(later.retargets.map((event) => event.height)).toEqual([124, 120, 116, 112, 108, 104, 100, 96, 92, 88]);
    for (const [i, point] of later.blocks.entries())
      if (i > 0 && point.height % 4 !== 0) expect(point.bits).toBe(later.blocks[i - 1].bits);
  });

  it('sends a reorg the moment the store makes one: depth, old tip, new tip, fork', async () => {
    const store = ChainStore.open(discardingStorage(), params);
    const state = open(store);
    const sent: ChainStatus[] = [];
    state.on('chain', (chain) => sent.push(chain));
    const fork = await grow(store, store.tree.genesis.id, 1, 5);
    const oldTip = await grow(store, fork.id, 2, 5, 1);
    expect(sent).toEqual([]);
    const newTip = await grow(store, fork.id, 3, 6, 2);
    expect(sent).toHaveLength(1);
    expect(sent[0].reorgs).toEqual([
      {
        depth: 2,
        oldTip: { height: 3, hash: oldTip.id },
        newTip: { height: 4, hash: newTip.id },
        fork: { height: 1, hash: fork.id },
        at: expect.any(String),
      },
    ]);
    expect(sent[0].tip).toEqual({ height: 4, hash: newTip.id });
    // The charts follow the new active chain.
    expect(sent[0].blocks.map((block) => block.gap)).toEqual([6, 6, 6]);
    vi.advanceTimersByTime(1000);
    expect(state.status().chain!.reorgs).toEqual(sent[0].reorgs);
  });

  it('says nothing of a chain where the source has none', () => {
    const state = new DashboardState(fakeMiner(), { name: 'a pool', finds: 'share', label: () => '' });
    states.push(state);
    expect(state.status().chain).toBeNull();
  });
});
