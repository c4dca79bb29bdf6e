/**
 * Targets: a block is valid when its hash, read as a 256-bit little-endian number, is at most the
 * target. Headers carry the target in Bitcoin's compact `bits` form, decoded exactly as Bitcoin
 * Core's arith_uint256::SetCompact does (including its negative and overflow cases).
 */
import { Errors } from '../errors.js';
import { byteSwap32 } from './bytes.js';

export const MAX_TARGET = (1n << 256n) - 1n;

export interface CompactDecoding {
  target: bigint;
  negative: boolean;
  overflow: boolean;
}

/** Bitcoin Core's SetCompact, flags included, without judging the result. */
export function decodeCompact(bits: number): CompactDecoding {
  const size = bits >>> 24;
  let word = bits & 0x007fffff;
  let target: bigint;
  if (size <= 3) {
    word >>>= 8 * (3 - size);
    target = BigInt(word);
  } else {
    target = BigInt(word) << BigInt(8 * (size - 3));
  }
  const negative = word !== 0 && (bits & 0x00800000) !== 0;
  const overflow = word !== 0 && (size > 34 || (word > 0xff && size > 33) || (word > 0xffff && size > 32));
  // arith_uint256 keeps 256 bits: an overflowing shift loses its high bits there too.
  return { target: target & MAX_TARGET, negative, overflow };
}

/** Compact bits to a target a hash can be checked against: negative, overflowing or zero is an error. */
export function bitsToTarget(bits: number): bigint {
  const { target, negative, overflow } = decodeCompact(bits);
  if (negative) throw Errors.badCompact(bits, 'the sign bit is set (negative target)');
  if (overflow) throw Errors.badCompact(bits, 'the target overflows 256 bits');
  if (target === 0n) throw Errors.badCompact(bits, 'the target is zero');
  return target;
}

/** Bitcoin Core's GetCompact: the shortest compact form, rounding the target down. */
export function targetToBits(target: bigint): number {
  if (target < 0n || target > MAX_TARGET) throw Errors.badTarget('must be between 0 and 2^256-1');
  let size = byteLength(target);
  let compact: number;
  if (size <= 3) {
    compact = Number(target) << (8 * (3 - size));
  } else {
    compact = Number(target >> BigInt(8 * (size - 3)));
  }
  // The mantissa's top bit means "negative": move one byte into the exponent instead.
  if (compact & 0x00800000) {
    compact >>>= 8;
    size++;
  }
  return ((size << 24) | compact) >>> 0;
}

/** Compact bits as Core prints them: 8 hex digits. */
export function bitsHex(bits: number): string {
  return (bits >>> 0).toString(16).padStart(8, '0');
}

function byteLength(value: bigint): number {
  let bytes = 0;
  while (value > 0n) {
    value >>= 8n;
    bytes++;
  }
  return bytes;
}

/** The target of difficulty 1: compact 0x1d00ffff. */
export const DIFF1_TARGET = 0xffffn << 208n;
/** Hashes a difficulty-1 target takes on average (2^256 / DIFF1_TARGET, close enough): one unit of difficulty. */
export const HASHES_PER_DIFFICULTY = 2 ** 32;

/** Difficulty as Bitcoin Core reports it: how many times harder than the difficulty-1 target. */
export function targetToDifficulty(target: bigint): number {
  if (target <= 0n) throw Errors.badTarget('must be positive');
  return Number(DIFF1_TARGET) / Number(target);
}

/** The chance that one hash meets the target: (target + 1) / 2^256. */
export function probabilityPerHash(target: bigint): number {
  return Number(target + 1n) / 2 ** 256;
}

/** Hashes expected before one meets the target, 2^256 / (target + 1): about difficulty x 2^32. */
export function expectedHashes(target: bigint): number {
  return Number((1n << 256n) / (target + 1n));
}

/** The target for a difficulty (as pools send it): difficulty-1 target / difficulty, rounded down. */
export function difficultyToTarget(difficulty: number): bigint {
  if (!(difficulty > 0) || !Number.isFinite(difficulty))
    throw Errors.badTarget(`difficulty must be a positive number, got ${difficulty}`);
  // Scale to keep precision for fractional difficulties (pools send 0.0001 and the like).
  const scale = 1n << 64n;
  const scaled = BigInt(Math.round(difficulty * 2 ** 64));
  if (scaled === 0n) return MAX_TARGET;
  const target = (DIFF1_TARGET * scale) / scaled;
  return target > MAX_TARGET ? MAX_TARGET : target;
}

/** The largest target whose hashes start with `zeros` zero bits. */
export function targetFromZeroBits(zeros: number): bigint {
  if (!Number.isInteger(zeros) || zeros < 0 || zeros > 255)
    throw Errors.badTarget(`zero bits must be a whole number from 0 to 255, got ${zeros}`);
  return (1n << BigInt(256 - zeros)) - 1n;
}

/** A 256-bit number from 32 bytes stored little-endian (a hash in internal order). */
export function hashToBigInt(hashInternal: Uint8Array): bigint {
  let value = 0n;
  for (let i = hashInternal.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(hashInternal[i]);
  return value;
}

/** Leading zero bits of a hash read as a number (as in its reversed display form). */
export function leadingZeroBits(hashInternal: Uint8Array): number {
  let zeros = 0;
  for (let i = hashInternal.length - 1; i >= 0; i--) {
    const byte = hashInternal[i];
    if (byte === 0) {
      zeros += 8;
      continue;
    }
    return zeros + Math.clz32(byte) - 24;
  }
  return zeros;
}

export function hashMeetsTarget(hashInternal: Uint8Array, target: bigint): boolean {
  return hashToBigInt(hashInternal) <= target;
}

/**
 * The target as eight 32-bit limbs, most significant first: the form the hot path compares
 * digest words against without building a bigint.
 */
export function targetToLimbs(target: bigint): Uint32Array {
  const limbs = new Uint32Array(8);
  for (let i = 7; i >= 0; i--) {
    limbs[i] = Number(target & 0xffffffffn);
    target >>= 32n;
  }
  return limbs;
}

export function limbsToTarget(limbs: Uint32Array): bigint {
  let target = 0n;
  for (let i = 0; i < 8; i++) target = (target << 32n) | BigInt(limbs[i] >>> 0);
  return target;
}

/**
 * Does a digest (8 big-endian SHA-256 output words) meet the target limbs? The hash number's most
 * significant limb is the byte swap of the digest's last word, and so on down.
 */
export function digestMeetsTarget(digest: Uint32Array, targetLimbs: Uint32Array): boolean {
  for (let i = 0; i < 8; i++) {
    const limb = byteSwap32(digest[7 - i]) >>> 0;
    const bound = targetLimbs[i];
    if (limb !== bound) return limb < bound;
  }
  return true;
}
