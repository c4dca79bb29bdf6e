// Retargeting as Bitcoin Core's src/pow.cpp does it: Core's own vectors, then bcoin's code on random chains.
import { describe, expect, it } from 'vitest';
import { calculateNextWork, isRetargetHeight, nextWorkRequired } from '../../src/chain/retarget.js';
import { REGTEST } from '../../src/core/params.js';
import { bitsToTarget, targetToBits } from '../../src/core/target.js';
import { bcoinNextBits } from '../helpers/bcoin-retarget.js';

const MAINNET_RULE = { spacing: 600, interval: 2016 };

describe('calculateNextWork on main-net figures (the cases of Core src/test/pow_tests.cpp)', () => {
  it.each([
    ['the first retarget, 32256', 0x1d00ffff, 1262152739, 1261130161, 0x1d00d86a],
    ['a slow window capped at the limit', 0x1d00ffff, 1233061996, 1231006505, 0x1d00ffff],
    ['a fast window clamped to a quarter', 0x1c05a3f4, 1279297671, 1279008237, 0x1c0168fd],
    ['a slow window clamped to four times', 0x1c387f6f, 1269211443, 1263163443, 0x1d00e1fd],
  ])('%s', (_name, oldBits, lastTime, firstTime, newBits) => {
    expect(calculateNextWork(oldBits, lastTime, firstTime, MAINNET_RULE, 0x1d00ffff).newBits).toBe(newBits);
  });

  it('names the clamp it applied and the figures it used', () => {
    const fast = calculateNextWork(0x1c05a3f4, 1279297671, 1279008237, MAINNET_RULE, 0x1d00ffff);
    expect(fast).toMatchObject({
      actualTimespan: 289434,
      targetTimespan: 1209600,
      clamp: 'low',
      clampedTimespan: 302400,
    });
    const capped = calculateNextWork(0x1d00ffff, 1233061996, 1231006505, MAINNET_RULE, 0x1d00ffff);
    expect(capped).toMatchObject({ actualTimespan: 2055491, clamp: 'none', capped: true });
    expect(capped.scaledTarget).toBe((bitsToTarget(0x1d00ffff) * 2055491n) / 1209600n);
    const slow = calculateNextWork(0x1c387f6f, 1269211443, 1263163443, MAINNET_RULE, 0x1d00ffff);
    expect(slow).toMatchObject({ clamp: 'high', clampedTimespan: 4838400, capped: false });
  });
});

describe('nextWorkRequired', () => {
  const rule = { spacing: 10, interval: 20, startBits: 0x1f00ffff };
  const view = (height: number, bits: number, times: number[]) => ({
    height,
    bits,
    time: times[height],
    timeAt: (h: number) => times[h],
  });

  it('gives the genesis successor the start bits, and between retargets the parent bits', () => {
    const times = Array.from({ length: 30 }, (_, h) => 1000 + h);
    expect(nextWorkRequired(view(0, REGTEST.powLimitBits, times), rule, REGTEST.powLimitBits).bits).toBe(0x1f00ffff);
    expect(nextWorkRequired(view(5, 0x1e0fffff, times), rule, REGTEST.powLimitBits)).toEqual({ bits: 0x1e0fffff });
  });

  it('at a retarget height measures from the block interval - 1 below the parent (the off-by-one)', () => {
    // Blocks 0..19, each 5 s after the one before, except block 0, 1000 s before block 1.
    const times = Array.from({ length: 20 }, (_, h) => (h === 0 ? 0 : 1000 + 5 * h));
    const { bits, retarget } = nextWorkRequired(view(19, 0x1f00ffff, times), rule, REGTEST.powLimitBits);
    expect(retarget).toMatchObject({ firstTime: times[0], lastTime: times[19], actualTimespan: 1095, clamp: 'high' });
    expect(bits).toBe(targetToBits((bitsToTarget(0x1f00ffff) * 800n) / 200n));
    expect(isRetargetHeight(20, 20)).toBe(true);
    expect(isRetargetHeight(0, 20)).toBe(false);
  });
});

/** A small deterministic generator, so a failure names a seed that reproduces it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

describe('our rule against bcoin (lib/blockchain/chain.js) on random chains', () => {
  it.each(Array.from({ length: 40 }, (_, i) => i + 1))('chain seed %i: every block the same bits', async (seed) => {
    const next = random(seed);
    const spacing = 2 + Math.floor(next() * 30);
    const interval = 2 + Math.floor(next() * 15);
    const startBits = targetToBits(bitsToTarget(REGTEST.powLimitBits) >> BigInt(Math.floor(next() * 40)));
    const rule = { spacing, interval, startBits };
    const chain = [{ bits: REGTEST.powLimitBits, time: 1764547200 }];
    let retargets = 0;
    for (let height = 1; height <= interval * 6; height++) {
      const parentHeight = height - 1;
      const parent = chain[parentHeight];
      const ours = nextWorkRequired(
        { height: parentHeight, bits: parent.bits, time: parent.time, timeAt: (h) => chain[h].time },
        rule,
        REGTEST.powLimitBits,
      );
      if (ours.retarget) retargets++;
      const theirs = await bcoinNextBits(chain, { ...rule, powLimitBits: REGTEST.powLimitBits });
      expect(ours.bits, `height ${height}`).toBe(theirs);
      // Gaps from far too fast to far too slow, some going back in time (allowed while above the MTP).
      const gap = Math.floor((next() * 2 - 0.3) * spacing * (next() < 0.2 ? 10 : 1));
      chain.push({ bits: ours.bits, time: parent.time + gap });
    }
    expect(retargets).toBe(6);
  });
});
