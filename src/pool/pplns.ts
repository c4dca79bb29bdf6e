/**
 * Pay Per Last N Shares: a block's reward is split over the last N of share difficulty before it,
 * in proportion to each miner's share difficulty within that window. Pure.
 *
 *   payout(miner) = reward × D(miner) / D(window)
 *
 * D(window) is N, or everything there is when fewer shares have been accepted; the oldest share in
 * the window counts only the part of its difficulty that fits. Satoshis are whole: each payout is
 * rounded down and what rounding leaves goes to the miner with the largest part.
 */

export const PPLNS_FORMULA =
  'payout(miner) = reward × D(miner) / D(window); D(window) = the last N of share difficulty before the block, ' +
  'N = window factor × block difficulty; the oldest share counts only the part that fits';

export interface WindowShare {
  miner: string;
  difficulty: number;
}

export interface Payout {
  miner: string;
  /** The miner's share difficulty inside the window. */
  difficulty: number;
  /** Satoshis, as a decimal string (JSON has no 64-bit integers). */
  amount: string;
}

/** Split `reward` over the shares (oldest first) that make up the last `window` of share difficulty. */
export function pplnsSplit(shares: readonly WindowShare[], window: number, reward: bigint): Payout[] {
  if (!(window > 0)) throw new RangeError(`the PPLNS window must be positive, got ${window}`);
  const byMiner = new Map<string, number>();
  let left = window;
  for (let i = shares.length - 1; i >= 0 && left > 0; i--) {
    const counted = Math.min(shares[i].difficulty, left);
    byMiner.set(shares[i].miner, (byMiner.get(shares[i].miner) ?? 0) + counted);
    left -= counted;
  }
  const total = window - left;
  if (total <= 0) return [];
  const parts = [...byMiner.entries()].map(([miner, difficulty]) => ({
    miner,
    difficulty,
    amount: BigInt(Math.floor((Number(reward) * difficulty) / total)),
  }));
  parts.sort((a, b) => b.difficulty - a.difficulty || (a.miner < b.miner ? -1 : 1));
  const paid = parts.reduce((sum, part) => sum + part.amount, 0n);
  parts[0].amount += reward - paid;
  return parts.map((part) => ({ miner: part.miner, difficulty: part.difficulty, amount: part.amount.toString() }));
}
