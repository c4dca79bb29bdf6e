/**
 * bcoin's retarget code (lib/blockchain/chain.js: Chain#getTarget and Chain#retarget), run on a
 * chain of plain entries with classnet's parameters: an implementation of Bitcoin's rule written
 * apart from powlab's, to check ours against. The genesis entry carries the chain's start bits,
 * which is what classnet's rule gives the genesis's successor.
 */
// @ts-expect-error: a plain ES module without type declarations
import { bcoin } from './bcoin-regtest.mjs';

/* eslint-disable @typescript-eslint/no-explicit-any -- bcoin ships no types */
interface Entry {
  height: number;
  bits: number;
  time: number;
}

/** The bits bcoin requires of the block after `chain[chain.length - 1]` (`chain[0]` is the genesis). */
export async function bcoinNextBits(
  chain: readonly { bits: number; time: number }[],
  rule: { spacing: number; interval: number; startBits: number; powLimitBits: number },
): Promise<number> {
  const entries: Entry[] = chain.map((block, height) => ({
    height,
    bits: height === 0 ? rule.startBits : block.bits,
    time: block.time,
  }));
  const fakeChain: any = {
    network: {
      pow: {
        limit: bcoin.consensus.fromCompact(rule.powLimitBits),
        bits: rule.powLimitBits,
        targetTimespan: rule.spacing * rule.interval,
        targetSpacing: rule.spacing,
        retargetInterval: rule.interval,
        targetReset: false,
        noRetargeting: false,
      },
    },
    getAncestor: (_entry: Entry, height: number) => Promise.resolve(entries[height]),
    retarget: bcoin.Chain.prototype.retarget,
  };
  const last = entries[entries.length - 1];
  return (await bcoin.Chain.prototype.getTarget.call(fakeChain, last.time + rule.spacing, last)) as number;
}
