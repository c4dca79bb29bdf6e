/**
 * The built-in chain's storage in a browser: the store's records (chain-store.ts's format, byte for
 * byte what blocks.dat holds) in IndexedDB, one record per entry in order, and the best hash beside
 * them. A Web Lock keeps a second tab from mining the same chain at once.
 */
import { concatBytes } from '../../core/bytes.js';
import { Errors, errorMessage } from '../../errors.js';
import type { BestHash } from '../../miner/best.js';
import type { ChainStorage } from '../../sources/chain-store.js';

const DATABASE = 'powlab-regtest';
const RECORDS = 'records';
const META = 'meta';
const BEST_KEY = 'best';

export interface BrowserChainStorage extends ChainStorage {
  /** Every record's bytes together: a blocks.dat that powlab chain verify reads. */
  storeBytes(): Uint8Array;
}

function done(request: IDBRequest): Promise<unknown> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

function committed(transaction: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    transaction.oncomplete = () => resolve();
    transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB transaction failed'));
    transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB transaction aborted'));
  });
}

function openDatabase(): Promise<IDBDatabase> {
  const request = indexedDB.open(DATABASE, 1);
  request.onupgradeneeded = () => {
    request.result.createObjectStore(RECORDS, { autoIncrement: true });
    request.result.createObjectStore(META);
  };
  return done(request) as Promise<IDBDatabase>;
}

/** Hold the chain's lock until `release` resolves; false when another tab holds it. */
function takeLock(release: Promise<void>): Promise<boolean> {
  if (!navigator.locks) return Promise.resolve(true);
  return new Promise((resolve) => {
    void navigator.locks.request(DATABASE, { ifAvailable: true }, (lock) => {
      resolve(lock !== null);
      return lock ? release : undefined;
    });
  });
}

export async function openChainDb(warn: (message: string) => void): Promise<BrowserChainStorage> {
  let releaseLock = () => {};
  const released = new Promise<void>((resolve) => (releaseLock = resolve));
  if (!(await takeLock(released)))
    throw Errors.store('this chain is being mined in another tab of this browser: close that one first');
  let db: IDBDatabase;
  let keys: IDBValidKey[];
  let records: Uint8Array[];
  let best: unknown;
  try {
    db = await openDatabase();
    const reading = db.transaction([RECORDS, META], 'readonly');
    keys = (await done(reading.objectStore(RECORDS).getAllKeys())) as IDBValidKey[];
    records = ((await done(reading.objectStore(RECORDS).getAll())) as ArrayBuffer[]).map(
      (buffer) => new Uint8Array(buffer),
    );
    best = await done(reading.objectStore(META).get(BEST_KEY));
  } catch (error) {
    releaseLock();
    throw Errors.store(`cannot open this browser's chain (IndexedDB ${DATABASE}): ${errorMessage(error)}`);
  }
  let bytes = concatBytes(...records);
  const report = (what: string) => (error: Error) => warn(`IndexedDB ${DATABASE}: ${what}: ${error.message}`);

  return {
    name: `IndexedDB ${DATABASE}`,
    place: 'this browser',
    checkHint: 'download blocks.dat and run powlab chain verify on it, or forget this chain',
    bytes: () => bytes,
    storeBytes: () => concatBytes(...records),
    truncate: (length) => {
      // Entries are whole records, so a cut falls on an entry's start or inside the one it keeps a prefix of.
      const writing = db.transaction(RECORDS, 'readwrite');
      const keptKeys: IDBValidKey[] = [];
      const kept: Uint8Array[] = [];
      let start = 0;
      records.forEach((record, i) => {
        const end = start + record.length;
        if (start >= length) {
          writing.objectStore(RECORDS).delete(keys[i]);
        } else {
          const prefix = end > length ? record.slice(0, length - start) : record;
          if (prefix !== record) writing.objectStore(RECORDS).put(prefix.buffer, keys[i]);
          keptKeys.push(keys[i]);
          kept.push(prefix);
        }
        start = end;
      });
      committed(writing).catch(report('cutting off the torn tail'));
      keys = keptKeys;
      records = kept;
      bytes = concatBytes(...records);
    },
    append: async (record) => {
      const writing = db.transaction(RECORDS, 'readwrite', { durability: 'strict' });
      const key = writing.objectStore(RECORDS).add(record.slice().buffer);
      await committed(writing);
      keys.push(key.result);
      records.push(record.slice());
    },
    readBest: () => {
      const candidate = best as BestHash | undefined;
      return candidate && typeof candidate.hash === 'string' && /^[0-9a-f]{64}$/.test(candidate.hash)
        ? candidate
        : null;
    },
    writeBest: (next) => {
      best = next;
      const writing = db.transaction(META, 'readwrite');
      writing.objectStore(META).put(next, BEST_KEY);
      committed(writing).catch(report('saving the best hash'));
    },
    close: () => {
      db.close();
      releaseLock();
    },
  };
}

/** Delete this browser's chain (no tab may be mining it). */
export async function forgetChainDb(): Promise<void> {
  await done(indexedDB.deleteDatabase(DATABASE));
}
