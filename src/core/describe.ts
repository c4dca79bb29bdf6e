/** The facts about one header that `hash --json` (and `explain`) report, in display form. */
import { hashToDisplayHex, headerHash, parseHeader } from './header.js';
import { bitsToTarget, hashMeetsTarget, leadingZeroBits, targetToDifficulty } from './target.js';

export interface HeaderFacts {
  hash: string;
  version: number;
  prevHash: string;
  merkleRoot: string;
  time: number;
  bits: string;
  nonce: number;
  target: string;
  difficulty: number;
  leadingZeroBits: number;
  meetsTarget: boolean;
}

export function describeHeader(headerBytes: Uint8Array): HeaderFacts {
  const header = parseHeader(headerBytes);
  const hash = headerHash(headerBytes);
  const target = bitsToTarget(header.bits);
  return {
    hash: hashToDisplayHex(hash),
    version: header.version,
    prevHash: hashToDisplayHex(header.prevHash),
    merkleRoot: hashToDisplayHex(header.merkleRoot),
    time: header.time,
    bits: header.bits.toString(16).padStart(8, '0'),
    nonce: header.nonce,
    target: target.toString(16).padStart(64, '0'),
    difficulty: targetToDifficulty(target),
    leadingZeroBits: leadingZeroBits(hash),
    meetsTarget: hashMeetsTarget(hash, target),
  };
}
