/**
 * The built-in chain's storage in Node: <datadir>/blocks.dat, appended durably; best.json beside it;
 * found/ for a block the store could not take; a lock so that one miner at a time writes a datadir.
 * The record format and the checks are chain-store.ts's.
 */
import { join } from 'node:path';
import { REGTEST, type ChainParams } from '../core/params.js';
import { Errors, PowlabError, errorMessage } from '../errors.js';
import type { BestHash } from '../miner/best.js';
import {
  AppendOnlyFile,
  describeFsError,
  ensureDirectory,
  readFileIfPresent,
  truncateFile,
  writeFileAtomically,
} from '../storage/durable.js';
import { lockDatadir } from '../storage/lock.js';
import { BuiltInChain, type ChainOptions } from './chain.js';
import { scanStore, type ChainStorage, type StoreScan } from './chain-store.js';
import { saveFoundBlock } from './found.js';

export const BLOCKS_FILE = 'blocks.dat';
const LOCK_FILE = 'LOCK';
const BEST_FILE = 'best.json';
/**
 * The store is read whole at open. A lab chain of a million blocks is a few hundred MB; a file past
 * this is not one powlab wrote (or not a file at all), and is refused rather than read into memory.
 */
const MAX_STORE_BYTES = 2 ** 30;
/** best.json is one hash and a few numbers. */
const MAX_BEST_BYTES = 4096;

/** The built-in chain kept in `datadir` (created if needed); `created` runs once the datadir is locked, before its blocks are read. */
export function openBuiltInChain(
  options: Omit<ChainOptions, 'openStorage'> & { datadir: string; created?: () => void },
): BuiltInChain {
  return BuiltInChain.open({
    ...options,
    openStorage: () => {
      const storage = openChainFiles(options.datadir);
      try {
        options.created?.();
      } catch (error) {
        storage.close();
        throw error;
      }
      return storage;
    },
  });
}

/** Lock `datadir` (creating it if needed) and read its blocks; the lock is held until close. */
export function openChainFiles(datadir: string): ChainStorage {
  ensureDirectory(datadir, 'datadir');
  const lock = lockDatadir(join(datadir, LOCK_FILE));
  const file = join(datadir, BLOCKS_FILE);
  const cannotUse = (error: unknown) =>
    error instanceof PowlabError ? error : Errors.store(`cannot use datadir ${datadir}: ${describeFsError(error)}`);
  let bytes: Uint8Array;
  let appender: AppendOnlyFile;
  try {
    try {
      bytes = readFileIfPresent(file, MAX_STORE_BYTES) ?? new Uint8Array(0);
    } catch (error) {
      throw Errors.store(`cannot read the store ${file}: ${describeFsError(error)}`);
    }
    appender = AppendOnlyFile.open(file);
  } catch (error) {
    lock.release();
    throw cannotUse(error);
  }
  return {
    name: file,
    place: datadir,
    checkHint: `powlab chain verify --datadir ${datadir}`,
    bytes: () => bytes,
    truncate: (length) => {
      try {
        // The appender knows the file's length: it is reopened on the cut file.
        appender.close();
        truncateFile(file, length);
        appender = AppendOnlyFile.open(file);
      } catch (error) {
        throw cannotUse(error);
      }
    },
    append: (record) => appender.append(record),
    readBest: () => {
      try {
        const best = readFileIfPresent(join(datadir, BEST_FILE), MAX_BEST_BYTES);
        if (!best) return null;
        const parsed = JSON.parse(new TextDecoder().decode(best)) as BestHash;
        return typeof parsed.hash === 'string' && /^[0-9a-f]{64}$/.test(parsed.hash) ? parsed : null;
      } catch {
        return null;
      }
    },
    writeBest: (best) => {
      try {
        writeFileAtomically(join(datadir, BEST_FILE), `${JSON.stringify(best)}\n`);
      } catch (error) {
        throw new Error(`could not save the best hash in ${datadir}: ${errorMessage(error)}`);
      }
    },
    saveRefusedBlock: (refused) => saveFoundBlock(datadir, { source: 'the built-in regtest chain', ...refused }),
    close: () => {
      appender.close();
      lock.release();
    },
  };
}

/**
 * Read a store without locking or changing it (for verify and explain, which may run beside a miner).
 * A datadir with no blocks.dat, or none at all, holds the regtest genesis alone, as a miner would start it.
 */
export function readStore(
  datadir: string,
  params: ChainParams = REGTEST,
): { file: string; bytes: Uint8Array; scan: StoreScan } {
  const file = join(datadir, BLOCKS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = readFileIfPresent(file, MAX_STORE_BYTES) ?? new Uint8Array(0);
  } catch (error) {
    throw Errors.store(`cannot read ${file}: ${describeFsError(error)}`);
  }
  return { file, bytes, scan: scanStore(bytes, params) };
}
