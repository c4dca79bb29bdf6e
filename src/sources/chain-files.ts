/**
 * The built-in chain's storage in Node: <datadir>/blocks.dat appended and fsynced, best.json beside
 * it, and a lock file so that one miner at a time writes a datadir. The record format and the checks
 * are chain-store.ts's.
 */
import { closeSync, constants, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, truncateSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { REGTEST, type ChainParams } from '../core/params.js';
import { Errors, PowlabError } from '../errors.js';
import type { BestHash } from '../miner/best.js';
import { BuiltInChain, type ChainOptions } from './chain.js';
import { scanStore, type ChainStorage, type StoreScan } from './chain-store.js';

export const BLOCKS_FILE = 'blocks.dat';
const LOCK_FILE = 'LOCK';
const BEST_FILE = 'best.json';

/** The built-in chain kept in `datadir` (created if needed). */
export function openBuiltInChain(options: Omit<ChainOptions, 'openStorage'> & { datadir: string }): BuiltInChain {
  return BuiltInChain.open({ ...options, openStorage: () => openChainFiles(options.datadir) });
}

const errnoCode = (error: unknown) => (error as NodeJS.ErrnoException).code;

/** Lock `datadir` and read its blocks; the lock is held until close. */
export function openChainFiles(datadir: string): ChainStorage {
  try {
    mkdirSync(datadir, { recursive: true });
  } catch (error) {
    throw Errors.store(`cannot create datadir ${datadir}: ${errnoCode(error) ?? (error as Error).message}`);
  }
  const lockPath = join(datadir, LOCK_FILE);
  takeLock(lockPath);
  const file = join(datadir, BLOCKS_FILE);
  const cannotUse = (error: unknown) => {
    if (!(error instanceof PowlabError) && errnoCode(error)) return Errors.store(`cannot use datadir ${datadir}: ${errnoCode(error)}`);
    return error;
  };
  let bytes: Uint8Array;
  let fd: number;
  try {
    bytes = existsSync(file) ? readFileSync(file) : new Uint8Array(0);
    fd = openSync(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
  } catch (error) {
    releaseLock(lockPath);
    throw cannotUse(error);
  }
  return {
    name: file,
    checkHint: `powlab chain verify --datadir ${datadir}`,
    bytes: () => bytes,
    truncate: (length) => {
      try {
        truncateSync(file, length);
      } catch (error) {
        throw cannotUse(error);
      }
    },
    append: (record) => {
      writeSync(fd, record);
      fsyncSync(fd);
    },
    readBest: () => {
      try {
        const best = JSON.parse(readFileSync(join(datadir, BEST_FILE), 'utf8')) as BestHash;
        return typeof best.hash === 'string' && /^[0-9a-f]{64}$/.test(best.hash) ? best : null;
      } catch {
        return null;
      }
    },
    writeBest: (best) => {
      const bestFile = join(datadir, BEST_FILE);
      try {
        writeFileSync(`${bestFile}.tmp`, `${JSON.stringify(best)}\n`);
        renameSync(`${bestFile}.tmp`, bestFile);
      } catch (error) {
        throw new Error(`could not save the best hash in ${datadir}: ${(error as Error).message}`);
      }
    },
    close: () => {
      closeSync(fd);
      releaseLock(lockPath);
    },
  };
}

/** One miner per datadir: a lock file holding the owner's pid; a dead owner's lock is taken over. */
function takeLock(lockPath: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return;
    } catch (error) {
      const code = errnoCode(error);
      if (code !== 'EEXIST') throw Errors.store(`cannot write to datadir: ${lockPath}: ${code ?? (error as Error).message}`);
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw Errors.store(`datadir is in use by process ${owner} (${lockPath})`);
      unlinkSync(lockPath);
    }
  }
  throw Errors.store(`cannot lock ${lockPath}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return errnoCode(error) === 'EPERM';
  }
}

function releaseLock(lockPath: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // Already gone: nothing to release.
  }
}

/** Read a store without locking or changing it (for verify and explain, which may run beside a miner). */
export function readStore(datadir: string, params: ChainParams = REGTEST): { file: string; bytes: Uint8Array; scan: StoreScan } {
  const file = join(datadir, BLOCKS_FILE);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw Errors.store(`cannot read ${file}: ${errnoCode(error) ?? (error as Error).message}`);
  }
  return { file, bytes, scan: scanStore(bytes, params) };
}
