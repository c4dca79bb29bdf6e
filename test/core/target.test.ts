import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { byteSwap32, readUint32BE } from '../../src/core/bytes.js';
import {
  bitsToTarget,
  decodeCompact,
  difficultyToTarget,
  digestMeetsTarget,
  DIFF1_TARGET,
  expectedHashes,
  hashMeetsTarget,
  hashToBigInt,
  leadingZeroBits,
  MAX_TARGET,
  probabilityPerHash,
  targetFromZeroBits,
  targetToBits,
  targetToDifficulty,
  targetToLimbs,
} from '../../src/core/target.js';
import vectors from '../vectors/compact.json' with { type: 'json' };

const parseHexTarget = (hex: string) => (hex === '' ? 0n : BigInt(`0x${hex}`));

describe('compact bits (Bitcoin Core SetCompact/GetCompact)', () => {
  it.each(vectors.valid)('$bits', (v) => {
    const bits = parseInt(v.bits, 16);
    const decoded = decodeCompact(bits);
    expect(decoded.negative).toBe(Boolean(v.negative));
    expect(decoded.overflow).toBe(Boolean(v.overflow));
    if (v.overflow) {
      expect(() => bitsToTarget(bits)).toThrow(/overflows/);
      return;
    }
    expect(decoded.target).toBe(parseHexTarget(v.target));
    if (v.negative) {
      expect(() => bitsToTarget(bits)).toThrow(/negative/);
    } else {
      expect(bitsToTarget(bits)).toBe(parseHexTarget(v.target));
    }
    if (v.compact) expect(targetToBits(decoded.target).toString(16).padStart(8, '0')).toBe(v.compact);
  });

  it.each(vectors.zero)('%s decodes to zero and is refused', (hex) => {
    const bits = parseInt(hex, 16);
    expect(decodeCompact(bits).target).toBe(0n);
    expect(() => bitsToTarget(bits)).toThrow(/zero/);
  });

  it('GetCompact moves a set top bit into the exponent', () => {
    expect(targetToBits(0x80n)).toBe(0x02008000);
    expect(targetToBits(0x12345678n)).toBe(0x04123456);
  });
});

describe('difficulty', () => {
  it('is 1 at 1d00ffff and matches the regtest powLimit', () => {
    expect(targetToDifficulty(bitsToTarget(0x1d00ffff))).toBe(1);
    expect(targetToDifficulty(bitsToTarget(0x207fffff))).toBeCloseTo(4.656542373906925e-10, 20);
  });

  it('round-trips through pool difficulties', () => {
    for (const d of [1, 2, 0.5, 0.0002, 1024, 65536]) {
      expect(targetToDifficulty(difficultyToTarget(d)) / d).toBeCloseTo(1, 9);
    }
  });
});

describe('hash against target', () => {
  it('targetFromZeroBits gives hashes with that many leading zeros', () => {
    expect(targetFromZeroBits(16)).toBe((1n << 240n) - 1n);
    expect(targetFromZeroBits(0)).toBe((1n << 256n) - 1n);
  });

  it('leadingZeroBits reads the hash as a little-endian number', () => {
    const hash = new Uint8Array(32).fill(0xff);
    hash[31] = 0;
    hash[30] = 0x0f;
    expect(leadingZeroBits(hash)).toBe(12);
    expect(leadingZeroBits(new Uint8Array(32))).toBe(256);
  });

  it('the word comparison of the hot path agrees with the bigint one, at the boundary too', () => {
    for (let i = 0; i < 2000; i++) {
      const hash = randomBytes(32);
      const zeros = i % 24;
      for (let z = 0; z < zeros >> 3; z++) hash[31 - z] = 0;
      const value = hashToBigInt(hash);
      const targets = [targetFromZeroBits(zeros), value, value - 1n, value + 1n].filter(
        (t) => t >= 0n && t < 1n << 256n,
      );
      // A digest in big-endian words is the hash bytes read four at a time.
      const digest = Uint32Array.from({ length: 8 }, (_, t) => readUint32BE(hash, 4 * t));
      for (const target of targets) {
        expect(digestMeetsTarget(digest, targetToLimbs(target))).toBe(hashMeetsTarget(hash, target));
      }
    }
    expect(byteSwap32(0x11223344) >>> 0).toBe(0x44332211);
  });
});

describe('odds of a hash', () => {
  it('every hash meets the largest target', () => {
    expect(probabilityPerHash(MAX_TARGET)).toBe(1);
    expect(expectedHashes(MAX_TARGET)).toBe(1);
  });

  it.each([1, 8, 22, 32, 64, 200])('a target of %i zero bits: one hash in 2^zeros', (zeros) => {
    expect(probabilityPerHash(targetFromZeroBits(zeros))).toBe(2 ** -zeros);
    expect(expectedHashes(targetFromZeroBits(zeros))).toBe(2 ** zeros);
  });

  it('difficulty 1 takes 2^48 / 0xffff hashes, just over 2^32', () => {
    expect(expectedHashes(DIFF1_TARGET)).toBe(Math.floor(2 ** 48 / 0xffff));
    expect(
      expectedHashes(bitsToTarget(0x1b04864c)) / 2 ** 32 / targetToDifficulty(bitsToTarget(0x1b04864c)),
    ).toBeCloseTo(1, 4);
  });
});
