import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/bytes.js';
import { displayHexToHash, hashToDisplayHex } from '../../src/core/header.js';
import { merkleBranch, merkleRoot, merkleRootFromBranch, merkleTree } from '../../src/core/merkle.js';
import { concatBytes } from '../../src/core/bytes.js';
import { sha256d } from '../../src/core/sha256.js';
import vectors from '../vectors/merkle.json' with { type: 'json' };

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

describe('merkle tree levels', () => {
  it.each([
    [1, [1]],
    [2, [2, 1]],
    [5, [5, 3, 2, 1]],
    [8, [8, 4, 2, 1]],
    [9, [9, 5, 3, 2, 1]],
  ])('%i leaves make levels of %j, each node the double hash of the pair under it', (count, sizes) => {
    const leaves = Array.from({ length: count }, () => Uint8Array.from(randomBytes(32)));
    const levels = merkleTree(leaves);
    expect(levels.map((level) => level.length)).toEqual(sizes);
    expect(levels[0].map(bytesToHex)).toEqual(leaves.map(bytesToHex));
    for (let i = 1; i < levels.length; i++) {
      levels[i].forEach((node, j) => {
        const left = levels[i - 1][2 * j];
        const right = levels[i - 1][2 * j + 1] ?? left;
        expect(bytesToHex(node)).toBe(bytesToHex(sha256d(concatBytes(left, right))));
      });
    }
    expect(bytesToHex(levels[levels.length - 1][0])).toBe(bytesToHex(merkleRoot(leaves)));
  });
});
