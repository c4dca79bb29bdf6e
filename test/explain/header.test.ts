import { createHash } from 'node:crypto';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, readUint32BE } from '../../src/core/bytes.js';
import { digestWordsToBytes, SHA256_IV, sha256Compress } from '../../src/core/sha256.js';
import { NONCE_SPACE } from '../../src/core/header.js';
import { explainHeader, timeAtHashrate } from '../../src/explain/header.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

/** The midstate the slow way: the IV and one compression of the first 64 bytes. */
function midstateOf(header: Uint8Array): string {
  const state = Uint32Array.from(SHA256_IV);
  sha256Compress(
    state,
    Array.from({ length: 16 }, (_, t) => readUint32BE(header, 4 * t)),
  );
  return bytesToHex(digestWordsToBytes(state));
}

describe('explainHeader on real headers', () => {
  it.each(vectors.valid)('$description', (v) => {
    const header = hexToBytes(v.hex);
    const e = explainHeader(header);
    expect(e.hash).toBe(v.hash);
    expect(e.midstate).toBe(midstateOf(header));
    expect(e.firstHash).toBe(bytesToHex(nobleSha256(header)));
    expect(e.hashInternal).toBe(
      createHash('sha256').update(createHash('sha256').update(header).digest()).digest('hex'),
    );
    expect(e.chunks.join('').slice(0, 160)).toBe(v.hex);
    expect(e.secondChunk.slice(0, 64)).toBe(e.firstHash);
    expect(e.difficulty / v.difficulty).toBeCloseTo(1, 12);
    expect(e.meetsTarget).toBe(true);
    expect(e.leadingZeroBits).toBeGreaterThanOrEqual(e.targetLeadingZeroBits);
    expect(BigInt(`0x${e.hash}`) <= BigInt(`0x${e.target}`)).toBe(true);
    expect(e.bits.hex).toBe(v.bits);
  });

  it('lays the fields out byte by byte, numbers decoded from little-endian, hashes reversed', () => {
    const v = vectors.valid[2];
    const e = explainHeader(hexToBytes(v.hex));
    expect(e.fields.map((f) => f.hex).join('')).toBe(v.hex);
    expect(e.fields.map((f) => [f.name, f.offset, f.length])).toEqual([
      ['version', 0, 4],
      ['prevHash', 4, 32],
      ['merkleRoot', 36, 32],
      ['time', 68, 4],
      ['bits', 72, 4],
      ['nonce', 76, 4],
    ]);
    const value = Object.fromEntries(e.fields.map((f) => [f.name, f.value]));
    expect(value).toEqual({
      version: v.version,
      prevHash: v.prevHash,
      merkleRoot: v.merkleRoot,
      time: v.time,
      bits: v.bits,
      nonce: v.nonce,
    });
  });

  it('block 100000: bits 1b04864c decode to its target and difficulty 14484.16', () => {
    const e = explainHeader(hexToBytes(vectors.valid[2].hex));
    expect(e.bits).toEqual({ hex: '1b04864c', exponent: 0x1b, mantissa: 0x04864c });
    expect(e.target).toBe('000000000004864c000000000000000000000000000000000000000000000000');
    expect(e.difficulty).toBeCloseTo(14484.1623612254, 6);
    expect(e.targetLeadingZeroBits).toBe(45);
  });

  it('difficulty 1: about 2^32 hashes a block, and a header runs out of nonces without one about 1 time in e', () => {
    const e = explainHeader(hexToBytes(vectors.valid[0].hex));
    expect(e.expectedHashes / NONCE_SPACE).toBeCloseTo(1, 4);
    expect(e.expectedHeaders).toBeCloseTo(1, 4);
    expect(e.probabilityPerHash * e.expectedHashes).toBeCloseTo(1, 9);
    expect(e.probabilityNoncesRunOut).toBeCloseTo(Math.exp(-1), 4);
  });

  it('at a real difficulty, the tiny chance that a header has a winner keeps its digits', () => {
    // bits 1701e636: difficulty about 148.2T, so p x 2^32 is about 6.7e-15, far below a double's 1 - x.
    const header = hexToBytes(`${'00'.repeat(72)}36e60117${'00'.repeat(4)}`);
    const e = explainHeader(header);
    expect(e.probabilityHeaderWins / (NONCE_SPACE / e.expectedHashes)).toBeCloseTo(1, 9);
    expect(e.probabilityNoncesRunOut).toBeCloseTo(1, 12);
  });

  it('a header whose hash misses its target is explained, and says so', () => {
    const header = hexToBytes(vectors.valid[2].hex);
    header[76] ^= 1;
    const e = explainHeader(header);
    expect(e.meetsTarget).toBe(false);
    expect(BigInt(`0x${e.hash}`) > BigInt(`0x${e.target}`)).toBe(true);
  });
});

describe('timeAtHashrate', () => {
  it('expected time is expected hashes over the hashrate; the median is ln 2 of it', () => {
    const t = timeAtHashrate({ expectedHashes: 2 ** 22 }, 2 ** 20);
    expect(t).toEqual({
      hashrate: 2 ** 20,
      expectedSeconds: 4,
      medianSeconds: 4 * Math.LN2,
      chanceWithinHour: 1,
      nonceSpaceSeconds: 2 ** 12,
    });
  });

  it("an hour at a laptop's rate against main-net: a chance of hashes in an hour over expected hashes", () => {
    const t = timeAtHashrate({ expectedHashes: 2 ** 70 }, 2 ** 21);
    expect(t.chanceWithinHour / ((3600 * 2 ** 21) / 2 ** 70)).toBeCloseTo(1, 9);
  });
});
