/** The best hash seen: the lowest number, shown as leading zero bits and difficulty, as learners compare them. */
import { hashToDisplayHex } from '../core/header.js';
import { DIFF1_TARGET, hashToBigInt, leadingZeroBits, MAX_TARGET, targetToLimbs } from '../core/target.js';

export interface BestHash {
  hash: string;
  zeros: number;
  difficulty: number;
}

export function bestHashFrom(hashInternal: Uint8Array): BestHash {
  const value = hashToBigInt(hashInternal);
  return {
    hash: hashToDisplayHex(hashInternal),
    zeros: leadingZeroBits(hashInternal),
    // A hash's own difficulty: the difficulty at which it would just have been a valid block.
    difficulty: value === 0n ? Infinity : Number(DIFF1_TARGET) / Number(value),
  };
}

export function isBetter(candidate: BestHash, current: BestHash | null | undefined): boolean {
  return !current || BigInt(`0x${candidate.hash}`) < BigInt(`0x${current.hash}`);
}

/**
 * A run's best hashes: the best known (an earlier run's, until this run beats it) and this run's own.
 * Workers report each hash below `limbs`, the run's best so far, so the run's best is known as well as
 * the all-time one.
 */
export class BestTracker {
  sessionBest: BestHash | null = null;
  limbs = targetToLimbs(MAX_TARGET);

  /** `before`: the best known when the run started, to forget a calibration's bests by. */
  constructor(
    public best: BestHash | null,
    private readonly before = best,
  ) {}

  /** Takes a hash in; returns it as a BestHash when it is this run's new best, with whether it is the all-time best too. */
  note(hash: Uint8Array): { record: BestHash; allTime: boolean } | undefined {
    const candidate = bestHashFrom(hash);
    if (!isBetter(candidate, this.sessionBest)) return undefined;
    this.sessionBest = candidate;
    this.limbs = targetToLimbs(hashToBigInt(hash) - 1n);
    if (!isBetter(candidate, this.best)) return { record: candidate, allTime: false };
    this.best = candidate;
    return { record: candidate, allTime: true };
  }

  /** The bests of a calibration's job, which no one asked for, are not the run's. */
  forgetRun(): void {
    this.sessionBest = null;
    this.best = this.before;
    this.limbs = targetToLimbs(MAX_TARGET);
  }
}
