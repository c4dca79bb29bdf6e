/** The best hash seen: the lowest number, shown as leading zero bits and difficulty, as learners compare them. */
import { hashToDisplayHex } from '../core/header.js';
import { DIFF1_TARGET, hashToBigInt, leadingZeroBits } from '../core/target.js';

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
