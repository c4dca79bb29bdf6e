import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hexToBytes } from '../../src/core/bytes.js';
import { MAINNET } from '../../src/core/params.js';
import {
  coinbasePayout,
  DashboardState,
  FINDS_KEPT,
  HISTORY_KEPT,
  type DashboardStatus,
  type Find,
} from '../../src/dashboard/state.js';
import { fakeMiner, fakeSolution, fakeStats } from './fake-miner.js';

const chain = { name: 'a test chain', finds: 'block' as const, label: () => 'block 1' };
const pool = { name: 'a test pool', finds: 'share' as const, label: () => 'diff 1' };

describe('DashboardState', () => {
  const states: DashboardState[] = [];
  const open = (...args: ConstructorParameters<typeof DashboardState>) => {
    const state = new DashboardState(...args);
    states.push(state);
    return state;
  };
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    for (const state of states.splice(0)) state.stop();
    vi.useRealTimers();
  });

  it('sends each second’s chart sample with its snapshot, the one it adds to the history, and keeps five minutes', () => {
    let seconds = 0;
    const state = open(
      fakeMiner(() => fakeStats({ elapsedSeconds: ++seconds, hashrate: 1000 * seconds })),
      chain,
    );
    const statuses: DashboardStatus[] = [];
    state.on('status', (status) => statuses.push(status));
    vi.advanceTimersByTime(1000 * (HISTORY_KEPT + 20));
    expect(statuses).toHaveLength(HISTORY_KEPT + 20);
    for (const status of statuses)
      expect(status.sample).toEqual({
        t: status.elapsedSeconds,
        hashrate: status.hashrate,
        workers: [500_000, 500_000],
      });
    const { history, sample } = state.status(true);
    expect(history).toHaveLength(HISTORY_KEPT);
    expect(history!.at(-1)).toEqual(sample);
    expect(history![0].t).toBe(seconds - HISTORY_KEPT + 1);
    expect(state.stop().sample).toBeNull();
  });

  it('counts a worker’s nonces from the Miner, not from the ranges it keeps to draw', () => {
    const state = open(fakeMiner(), chain);
    expect(state.status().workers.map((w) => w.covered)).toEqual([9_000_000, 9_000_000]);
  });

  it('shows how many workers died and were replaced', () => {
    expect(
      open(
        fakeMiner(() => fakeStats({ workersReplaced: 3 })),
        chain,
      ).status().workersReplaced,
    ).toBe(3);
  });

  it('takes a find from the session’s found event, with its outcome', () => {
    const miner = fakeMiner();
    const state = open(miner, pool);
    (miner as unknown as { emit: (event: string, value: unknown) => void }).emit('found', {
      solution: fakeSolution(1),
      outcome: { kind: 'share', block: true, verdict: 'accepted', counts: false },
    });
    vi.advanceTimersByTime(1000);
    expect(state.status()).toMatchObject({ sharesFound: 1, blocksFound: 1 });
    expect(state.status().shares[0]).toMatchObject({ kind: 'share', block: true, verdict: 'accepted' });
  });

  it('lists only the latest finds in each snapshot, and sends every one whole as it is found', () => {
    const state = open(fakeMiner(), chain);
    const found: Find[] = [];
    state.on('found', (find) => found.push(find));
    for (let i = 0; i < FINDS_KEPT + 15; i++) state.found('block', fakeSolution(i), { height: i + 1 });
    vi.advanceTimersByTime(1000);
    const status = state.status();
    expect(status.blocksFound).toBe(FINDS_KEPT + 15);
    expect(status.blocks).toHaveLength(FINDS_KEPT);
    expect(status.blocks.map((b) => b.height)).toEqual(
      found
        .slice(-FINDS_KEPT)
        .map((b) => b.height)
        .reverse(),
    );
    expect(found).toHaveLength(FINDS_KEPT + 15);
    expect(found[0]).toMatchObject({
      kind: 'block',
      block: true,
      height: 1,
      nonce: 0,
      header: expect.stringMatching(/^[0-9a-f]{160}$/),
    });
  });

  it('carries what a found block’s coinbase pays and to whom, read from the whole block', () => {
    const state = open(fakeMiner(), chain);
    const block = readFileSync(new URL('../vectors/blocks/mainnet-100000.hex', import.meta.url), 'utf8').trim();
    const payout = coinbasePayout(hexToBytes(block), MAINNET);
    expect(payout).toEqual([{ value: 5_000_000_000, type: 'p2pk', address: '1HWqMzw1jfpXb3xyuUZ4uWXY4tqL2cW47J' }]);
    state.found('block', fakeSolution(1), { height: 1, payout });
    vi.advanceTimersByTime(1000);
    expect(state.status().blocks[0].payout).toEqual(payout);
  });

  it('reads the payout from the whole block a session’s found event carries', () => {
    const miner = fakeMiner();
    const state = open(miner, chain);
    const bytes = hexToBytes(
      readFileSync(new URL('../vectors/blocks/mainnet-100000.hex', import.meta.url), 'utf8').trim(),
    );
    (miner as unknown as { emit: (event: string, value: unknown) => void }).emit('found', {
      solution: fakeSolution(1),
      outcome: { kind: 'block', block: true, height: 100_000, counts: true, wholeBlock: { bytes, chain: 'main' } },
    });
    vi.advanceTimersByTime(1000);
    expect(state.status().blocks[0].payout).toEqual([
      { value: 5_000_000_000, type: 'p2pk', address: '1HWqMzw1jfpXb3xyuUZ4uWXY4tqL2cW47J' },
    ]);
  });

  it('counts a pool’s share that is also a block as both, and keeps the pool’s verdict as it was', () => {
    const state = open(fakeMiner(), pool);
    state.found('share', fakeSolution(1), { verdict: 'accepted' });
    state.found('share', fakeSolution(2), { verdict: 'stale', reason: 'job gone' });
    state.found('share', fakeSolution(3), { block: true, verdict: 'rejected', reason: 'duplicate' });
    state.found('share', fakeSolution(4), { verdict: 'lost', reason: 'no answer from the pool in 10 s' });
    vi.advanceTimersByTime(1000);
    const status = state.status();
    expect(status.sharesFound).toBe(4);
    expect(status.blocksFound).toBe(1);
    expect(status.shares.map((s) => [s.nonce, s.verdict, s.block])).toEqual([
      [4, 'lost', false],
      [3, 'rejected', true],
      [2, 'stale', false],
      [1, 'accepted', false],
    ]);
    expect(status.blocks).toEqual([status.shares[1]]);
    expect(status.scoreboard.find((entry) => entry.hash === status.shares[1].hash)?.kind).toBe('block');
  });
});
