/** Blocks ground by hand for the chain tests: a BIP 34 coinbase, any time and bits the test names. */
import type { TreeBlock } from '../../src/chain/tree.js';
import type { ChainStorage, ChainStore } from '../../src/sources/chain-store.js';
import { parseBlock, serializeBlock, type Block } from '../../src/core/block.js';
import { headerHash, serializeHeader, type BlockHeader } from '../../src/core/header.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/target.js';
import { buildCoinbase, serializeTx, txid } from '../../src/core/tx.js';

export interface GroundBlock {
  bytes: Uint8Array;
  block: Block;
}

/** A block at `height` on `prevHash`, ground until its hash meets its own bits; `extranonce` tells siblings apart. */
export function grindBlock(spec: {
  height: number;
  prevHash: Uint8Array;
  time: number;
  bits: number;
  extranonce?: number;
}): GroundBlock {
  const coinbase = buildCoinbase({
    height: spec.height,
    extranonce: Uint8Array.of(spec.extranonce ?? 0),
    value: 50n * 100_000_000n,
    payoutScript: Uint8Array.of(0x51),
  });
  const target = bitsToTarget(spec.bits);
  const header: BlockHeader = {
    version: 0x20000000,
    prevHash: spec.prevHash,
    merkleRoot: txid(coinbase),
    time: spec.time,
    bits: spec.bits,
    nonce: 0,
  };
  while (!hashMeetsTarget(headerHash(serializeHeader(header)), target)) header.nonce++;
  const bytes = serializeBlock(header, [serializeTx(coinbase)]);
  return { bytes, block: parseBlock(bytes) };
}

/** A store's storage that keeps nothing: for a test that watches the tree. */
export function discardingStorage(): ChainStorage {
  return {
    name: 'memory',
    place: 'memory',
    checkHint: 'look at it',
    bytes: () => new Uint8Array(0),
    truncate: () => undefined,
    append: () => undefined,
    readBest: () => null,
    writeBest: () => undefined,
    close: () => undefined,
  };
}

/** Grind `count` blocks by the chain's rules on the block `parentId`, each `gap` seconds after its parent; the last one. */
export async function growBranch(
  store: ChainStore,
  spec: { parentId: string; count: number; gap: number; now: number; extranonce?: number },
): Promise<TreeBlock> {
  let parent = store.tree.get(spec.parentId)!;
  for (let i = 0; i < spec.count; i++) {
    const { bytes } = grindBlock({
      height: parent.height + 1,
      prevHash: parent.hash,
      time: parent.header.time + spec.gap,
      bits: store.tree.requiredWork(parent)!.bits,
      extranonce: spec.extranonce,
    });
    parent = (await store.append(bytes, spec.now)).block;
  }
  return parent;
}
