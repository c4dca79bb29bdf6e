// The store keeps the block tree: side branches are written like any block, and reading the file
// again finds the same active chain (most work, first seen on a tie) and the same stale blocks.
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/core/bytes.js';
import { classnetParams } from '../../src/core/params.js';
import { BlockRefusedError } from '../../src/chain/rules.js';
import { ChainStore, scanStore, type ChainStorage } from '../../src/sources/chain-store.js';
import { grindBlock } from '../helpers/classnet-blocks.js';

const params = classnetParams({ spacing: 10, interval: 100, startBits: 0x2007ffff });

/** A storage whose appends land at once; `stored` is every byte written. */
function memoryStorage(initial = new Uint8Array(0)) {
  const storage = {
    stored: initial,
    name: 'memory',
    place: 'memory',
    checkHint: 'look at it',
    bytes: () => initial,
    truncate: () => undefined,
    append: (record: Uint8Array) => {
      storage.stored = concatBytes(storage.stored, record);
    },
    readBest: () => null,
    writeBest: () => undefined,
    close: () => undefined,
  } satisfies ChainStorage & { stored: Uint8Array };
  return storage;
}

const NOW = params.genesisHeader.time + 100_000;

/** Grind `count` blocks on `parentId` in `store`, each 10 s after its parent. */
async function grow(store: ChainStore, parentId: string, count: number, extranonce: number) {
  const added = [];
  let parent = store.tree.get(parentId)!;
  for (let i = 0; i < count; i++) {
    const { bytes } = grindBlock({
      height: parent.height + 1,
      prevHash: parent.hash,
      time: parent.header.time + 10,
      bits: store.tree.requiredWork(parent)!.bits,
      extranonce,
    });
    const appended = await store.append(bytes, NOW);
    added.push(appended);
    parent = appended.block;
  }
  return added;
}

describe('ChainStore keeps a tree', () => {
  it('writes side branches, reorgs to more work, and reads back the same tree', async () => {
    const storage = memoryStorage();
    const store = ChainStore.open(storage, params);
    const [fork] = await grow(store, store.tree.genesis.id, 1, 0);
    const main = await grow(store, fork.block.id, 2, 1);
    const side = await grow(store, fork.block.id, 3, 2);
    expect(side.slice(0, 2).every((b) => !b.active && !b.reorg)).toBe(true);
    expect(side[2].reorg).toMatchObject({ depth: 2, oldTip: main[1].block, newTip: side[2].block });
    expect(store.height).toBe(4);
    expect(store.blocks.map((b) => b.height)).toEqual([1, 2, 3, 4]);

    const again = scanStore(storage.stored, params);
    expect(again.problem).toBeUndefined();
    expect(again.tree.tip.id).toBe(side[2].block.id);
    expect(again.tree.blocks()).toHaveLength(6);
    expect(main.every((b) => !again.tree.isActive(again.tree.get(b.block.id)!))).toBe(true);
  });

  it('a block it holds already is a duplicate, written once', async () => {
    const storage = memoryStorage();
    const store = ChainStore.open(storage, params);
    const [first] = await grow(store, store.tree.genesis.id, 1, 0);
    const length = storage.stored.length;
    const bytes = storage.stored.subarray(first.offset, first.offset + first.length);
    expect(await store.append(Uint8Array.from(bytes), NOW)).toMatchObject({ duplicate: true, active: true });
    expect(storage.stored.length).toBe(length);
  });

  it('refuses an orphan, naming the rule, and writes nothing', async () => {
    const storage = memoryStorage();
    const store = ChainStore.open(storage, params);
    const orphan = grindBlock({ height: 2, prevHash: new Uint8Array(32).fill(1), time: NOW, bits: 0x2007ffff });
    await expect(store.append(orphan.bytes, NOW)).rejects.toSatisfy(
      (error) => error instanceof BlockRefusedError && error.rule === 'prev-blk-not-found',
    );
    expect(storage.stored.length).toBe(0);
  });

  it('reading a file whose block comes before its parent names the damage', async () => {
    const storage = memoryStorage();
    const store = ChainStore.open(storage, params);
    const [a, b] = await grow(store, store.tree.genesis.id, 2, 0);
    const recordOf = (x: typeof a) => storage.stored.subarray(x.offset - 12, x.offset + x.length + 4);
    const swapped = concatBytes(recordOf(b), recordOf(a));
    expect(scanStore(swapped, params).problem?.reason).toMatch(/does not link to a block stored before it/);
  });
});
