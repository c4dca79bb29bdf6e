import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/bytes.js';
import { describeHeader } from '../../src/core/describe.js';
import {
  headerBytesFromHex,
  headerHash,
  hashToDisplayHex,
  parseHeader,
  serializeHeader,
} from '../../src/core/header.js';
import { digestWordsToBytes, headerMidstate, headerTailWords, sha256dFromMidstate } from '../../src/core/sha256.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

describe('real headers', () => {
  it.each(vectors.valid)('$description: hash, fields and round trip', (v) => {
    const bytes = headerBytesFromHex(v.hex);
    expect(hashToDisplayHex(headerHash(bytes))).toBe(v.hash);
    const facts = describeHeader(bytes);
    expect(facts).toMatchObject({
      hash: v.hash,
      version: v.version,
      prevHash: v.prevHash,
      merkleRoot: v.merkleRoot,
      time: v.time,
      bits: v.bits,
      nonce: v.nonce,
      meetsTarget: true,
    });
    expect(facts.difficulty).toBeCloseTo(v.difficulty, 6);
    expect(bytesToHex(serializeHeader(parseHeader(bytes)))).toBe(v.hex);
  });

  it.each(vectors.valid)('$description: the midstate path gives the same hash', (v) => {
    const bytes = headerBytesFromHex(v.hex);
    const digest = new Uint32Array(8);
    sha256dFromMidstate(headerMidstate(bytes), headerTailWords(bytes), v.nonce, digest);
    expect(hashToDisplayHex(digestWordsToBytes(digest))).toBe(v.hash);
  });
});

describe('bad header input', () => {
  it.each(vectors.invalid)('$description', (v) => {
    expect(() => headerBytesFromHex(v.input)).toThrow(v.error);
  });
});
