/**
 * The merkle tree of a block's transactions: pairs of double-SHA-256 hashes (internal byte order),
 * level by level; a level with an odd count pairs its last hash with itself.
 */
import { concatBytes } from './bytes.js';
import { sha256d } from './sha256.js';

function hashPair(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256d(concatBytes(left, right));
}

/** Every level of the tree, the leaves first and the root alone last. */
export function merkleTree(leaves: readonly Uint8Array[]): Uint8Array[][] {
  if (leaves.length === 0) throw new RangeError('a merkle tree needs at least one leaf');
  const levels = [leaves.slice()];
  for (let level = levels[0]; level.length > 1;) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashPair(level[i], level[i + 1] ?? level[i]));
    levels.push(next);
    level = next;
  }
  return levels;
}

export function merkleRoot(leaves: readonly Uint8Array[]): Uint8Array {
  const levels = merkleTree(leaves);
  return Uint8Array.from(levels[levels.length - 1][0]);
}

/**
 * The sibling hashes from leaf `index` up to the root. For the coinbase (index 0) this is what a
 * miner needs to recompute the root after changing only the coinbase, as Stratum's `merkle_branch`.
 */
export function merkleBranch(leaves: readonly Uint8Array[], index = 0): Uint8Array[] {
  if (index < 0 || index >= leaves.length) throw new RangeError(`leaf index ${index} outside 0..${leaves.length - 1}`);
  const branch: Uint8Array[] = [];
  let level = leaves.slice();
  let position = index;
  while (level.length > 1) {
    const sibling = position ^ 1;
    branch.push(Uint8Array.from(level[sibling] ?? level[position]));
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(hashPair(level[i], level[i + 1] ?? level[i]));
    level = next;
    position >>= 1;
  }
  return branch;
}

/** Walk a branch from a leaf to the root; `index` says on which side the leaf sits at each level. */
export function merkleRootFromBranch(leaf: Uint8Array, branch: readonly Uint8Array[], index = 0): Uint8Array {
  let node = leaf;
  let position = index;
  for (const sibling of branch) {
    node = position & 1 ? hashPair(sibling, node) : hashPair(node, sibling);
    position >>= 1;
  }
  return Uint8Array.from(node);
}
