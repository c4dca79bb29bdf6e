import { createHash, randomBytes } from 'node:crypto';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { describe, expect, it } from 'vitest';
import { bytesToHex, readUint32BE } from '../../src/core/bytes.js';
import { withNonce } from '../../src/core/header.js';
import {
  digestWordsToBytes,
  headerMidstate,
  headerTailWords,
  SHA256_IV,
  SHA256_K,
  sha256Compress,
  sha256dFromMidstate,
  sha256Padded,
} from '../../src/core/sha256.js';

const nobleSha256d = (data: Uint8Array) => nobleSha256(nobleSha256(data));

describe('SHA-256 constants', () => {
  // FIPS 180-4 section 4.2.2 and 5.3.3: derive them again from the primes.
  const primes: number[] = [];
  for (let n = 2; primes.length < 64; n++) if (primes.every((p) => n % p !== 0)) primes.push(n);
  const fractionBits = (x: number) => Number(BigInt(Math.floor((x - Math.floor(x)) * 2 ** 32)) & 0xffffffffn);

  it('K holds the cube roots of the first 64 primes', () => {
    expect(Array.from(SHA256_K)).toEqual(primes.map((p) => fractionBits(Math.cbrt(p))));
  });

  it('the IV holds the square roots of the first 8 primes', () => {
    expect(Array.from(SHA256_IV)).toEqual(primes.slice(0, 8).map((p) => fractionBits(Math.sqrt(p))));
  });
});

describe('sha256Compress', () => {
  it('hashes "abc" as FIPS 180-4 example B.1', () => {
    const block = new Uint8Array(64);
    block.set([0x61, 0x62, 0x63, 0x80]);
    block[63] = 24;
    const words = Array.from({ length: 16 }, (_, t) => readUint32BE(block, 4 * t));
    const state = Uint32Array.from(SHA256_IV);
    sha256Compress(state, words);
    expect(bytesToHex(digestWordsToBytes(state))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});

describe('sha256dFromMidstate', () => {
  it('agrees with @noble/hashes and node:crypto on 3000 random headers and nonces', () => {
    const digest = new Uint32Array(8);
    for (let i = 0; i < 3000; i++) {
      const header = randomBytes(80);
      const nonce = randomBytes(4).readUInt32LE(0);
      sha256dFromMidstate(headerMidstate(header), headerTailWords(header), nonce, digest);
      const full = withNonce(header, nonce);
      const expected = nobleSha256d(full);
      expect(bytesToHex(digestWordsToBytes(digest))).toBe(bytesToHex(expected));
      if (i % 100 === 0) {
        const viaNode = createHash('sha256').update(createHash('sha256').update(full).digest()).digest();
        expect(bytesToHex(expected)).toBe(viaNode.toString('hex'));
      }
    }
  });

  it('the midstate depends only on the first 64 bytes', () => {
    const header = randomBytes(80);
    const other = Uint8Array.from(header);
    other.fill(0xaa, 64);
    expect(Array.from(headerMidstate(header))).toEqual(Array.from(headerMidstate(other)));
  });
});

describe('sha256Padded', () => {
  it('pads an 80-byte header to two blocks ending in its length, 640 bits', () => {
    const padded = sha256Padded(new Uint8Array(80).fill(0xff));
    expect(padded.length).toBe(128);
    expect(bytesToHex(padded.subarray(80))).toBe(`80${'00'.repeat(45)}0280`);
  });

  it("compressing its blocks from the IV gives node:crypto's SHA-256, at every length 0..200", () => {
    for (let length = 0; length <= 200; length++) {
      const message = randomBytes(length);
      const padded = sha256Padded(message);
      expect(padded.length % 64).toBe(0);
      const state = Uint32Array.from(SHA256_IV);
      for (let block = 0; block < padded.length; block += 64) {
        sha256Compress(
          state,
          Array.from({ length: 16 }, (_, t) => readUint32BE(padded, block + 4 * t)),
        );
      }
      expect(bytesToHex(digestWordsToBytes(state))).toBe(createHash('sha256').update(message).digest('hex'));
    }
  });
});
