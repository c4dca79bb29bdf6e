import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/bytes.js';
import { displayHexToHash, hashToDisplayHex } from '../../src/core/header.js';
import { merkleBranch, merkleRoot, merkleRootFromBranch } from '../../src/core/merkle.js';
import vectors from '../vectors/merkle.json';

describe('merkle root of real blocks', () => {
  it.each(vectors.valid)('$description', (v) => {
    const leaves = v.txids.map((id) => displayHexToHash(id));
    expect(hashToDisplayHex(merkleRoot(leaves))).toBe(v.merkleRoot);
  });
});

describe('merkle branch', () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 9, 16, 17])('rebuilds the root from every leaf of a %i-leaf tree', (count) => {
    const leaves = Array.from({ length: count }, () => Uint8Array.from(randomBytes(32)));
    const root = bytesToHex(merkleRoot(leaves));
    for (let index = 0; index < count; index++) {
      const branch = merkleBranch(leaves, index);
      expect(bytesToHex(merkleRootFromBranch(leaves[index], branch, index))).toBe(root);
    }
  });

  it('an odd level pairs its last hash with itself', () => {
    const leaves = Array.from({ length: 3 }, () => Uint8Array.from(randomBytes(32)));
    expect(bytesToHex(merkleRoot(leaves))).toBe(bytesToHex(merkleRoot([...leaves, leaves[2]])));
  });
});
