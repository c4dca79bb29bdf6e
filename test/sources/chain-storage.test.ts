// The chain store over a storage that is not a file (as the web app's IndexedDB is not): the same
// records, the same torn-tail cut, appends that are durable only when their promise resolves.
import { describe, expect, it } from 'vitest';
import { serializeBlock } from '../../src/core/block.js';
import { serializeHeader } from '../../src/core/header.js';
import { blockSubsidy, REGTEST } from '../../src/core/params.js';
import { sha256d } from '../../src/core/sha256.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/target.js';
import { buildCoinbase, POWLAB_TAG, serializeTx, txid } from '../../src/core/tx.js';
import { ChainStore, encodeRecord, scanStore, type ChainStorage } from '../../src/sources/chain-store.js';

interface MemoryStorage extends ChainStorage {
  stored: Uint8Array;
  cuts: number[];
  closed: boolean;
  /** Appends wait on this, as an IndexedDB transaction waits to commit. */
  commit?: () => void;
}

function memoryStorage(initial: Uint8Array): MemoryStorage {
  const storage: MemoryStorage = {
    stored: initial,
    cuts: [],
    closed: false,
    name: 'memory',
    place: 'memory',
    checkHint: 'look at it',
    bytes: () => initial,
    truncate: (length) => {
      storage.cuts.push(length);
      storage.stored = storage.stored.slice(0, length);
    },
    append: (record) =>
      new Promise<void>((resolve) => {
        storage.commit = () => {
          storage.stored = Uint8Array.from([...storage.stored, ...record]);
          resolve();
        };
      }),
    readBest: () => null,
    writeBest: () => undefined,
    close: () => {
      storage.closed = true;
    },
  };
  return storage;
}

/** A valid easy block on top of `prevHash`, found by a plain loop (12 zero bits: a few thousand tries). */
function blockOn(prevHash: Uint8Array, height: number, time: number): Uint8Array {
  const bits = 0x1f0fffff;
  const target = bitsToTarget(bits);
  const coinbase = buildCoinbase({
    height,
    extranonce: new Uint8Array(8),
    value: blockSubsidy(height, REGTEST),
    payoutScript: Uint8Array.of(0x51),
    tag: POWLAB_TAG,
  });
  for (let nonce = 0; ; nonce++) {
    const header = serializeHeader({ version: 0x20000000, prevHash, merkleRoot: txid(coinbase), time, bits, nonce });
    if (hashMeetsTarget(sha256d(header), target)) return serializeBlock(header, [serializeTx(coinbase)]);
  }
}

describe('ChainStore over a storage seam', () => {
  const genesis = Uint8Array.from(Buffer.from(REGTEST.genesisHashHex, 'hex').reverse());
  const first = blockOn(genesis, 1, REGTEST.genesisHeader.time + 1);

  it('holds a block only once the storage says it is durable', async () => {
    const storage = memoryStorage(new Uint8Array(0));
    const store = ChainStore.open(storage);
    const appending = store.append(first);
    await Promise.resolve();
    expect(store.height).toBe(0);
    storage.commit!();
    const stored = await appending;
    expect(stored.height).toBe(1);
    expect(store.height).toBe(1);
    expect(storage.stored).toEqual(encodeRecord(first));
    expect(scanStore(storage.stored).blocks).toHaveLength(1);
  });

  it('cuts a torn tail through the storage and keeps every whole record before it', () => {
    const whole = encodeRecord(first);
    const torn = Uint8Array.from([...whole, ...encodeRecord(first).subarray(0, 20)]);
    const warnings: string[] = [];
    const storage = memoryStorage(torn);
    const store = ChainStore.open(storage, REGTEST, (message) => warnings.push(message));
    expect(storage.cuts).toEqual([whole.length]);
    expect(store.height).toBe(1);
    expect(warnings).toEqual([
      `store memory ended in a torn write (20 bytes at byte ${whole.length}): cut off; 1 block kept`,
    ]);
  });

  it('refuses damage inside, names the storage and its hint, and closes it', () => {
    const damaged = encodeRecord(first);
    damaged[100] ^= 1;
    const storage = memoryStorage(damaged);
    expect(() => ChainStore.open(storage)).toThrow(/^store memory is damaged at block 1 .*\(look at it\)$/);
    expect(storage.closed).toBe(true);
    expect(storage.cuts).toEqual([]);
  });
});
