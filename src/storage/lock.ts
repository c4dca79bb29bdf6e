/**
 * One powlab per datadir: a lock file holding the owner's pid, created atomically (written aside,
 * then hard-linked into place, so it is never seen empty). A lock whose owner is dead (kill -9, a
 * power cut) is taken over; the takeover is atomic too. To remove a dead owner's lock a process
 * must first create the reap token LOCK.reap-<dead pid> exclusively: of any number of processes
 * that find the same dead lock at once, one wins the token, checks the lock still names that pid,
 * and removes it; the others start over and find the winner's lock. No one else can remove a lock
 * naming a dead pid, so between that check and the removal it cannot change.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Errors, errorMessage } from '../errors.js';
import { createFileExclusively, describeFsError, readSmallRegularFile, removeFile } from './durable.js';

/** A pid is a few digits; anything longer in a lock file is not powlab's. */
const MAX_LOCK_BYTES = 64;
/** Tries before giving up when other processes keep taking and dropping the lock under us. */
const MAX_ATTEMPTS = 20;

export interface DatadirLock {
  readonly path: string;
  release(): void;
}

type Owner = { pid: number } | { pid: null; content: string };

export function lockDatadir(lockPath: string): DatadirLock {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (tryCreate(lockPath)) {
      removeLeftoverTokens(lockPath);
      return { path: lockPath, release: () => removeFile(lockPath) };
    }
    const owner = readOwner(lockPath);
    if (owner === undefined) continue; // released between our create and our read: try again
    if (owner.pid !== null && owner.pid !== process.pid && isAlive(owner.pid)) {
      throw Errors.store(`datadir is in use by process ${owner.pid} (${lockPath})`);
    }
    reapDeadLock(lockPath, owner);
  }
  throw Errors.store(`cannot lock ${lockPath}: other processes keep taking it`);
}

function tryCreate(lockPath: string): boolean {
  try {
    createFileExclusively(lockPath, String(process.pid));
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      if (isDirectory(lockPath))
        throw Errors.store(`${lockPath} is a folder, not powlab's lock file: remove it if no powlab uses this datadir`);
      return false;
    }
    throw Errors.store(`cannot lock the datadir: cannot create ${lockPath}: ${describeFsError(error)}`);
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The lock's owner, or undefined when the lock has gone. */
function readOwner(lockPath: string): Owner | undefined {
  let content: string;
  try {
    content = new TextDecoder().decode(readSmallRegularFile(lockPath, MAX_LOCK_BYTES)).trim();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ENOTREGULAR' || code === 'ETOOBIG')
      throw Errors.store(
        `${errorMessage(error)}: it is not powlab's lock file; remove it if no powlab uses this datadir`,
      );
    throw Errors.store(`cannot read the datadir lock ${lockPath}: ${describeFsError(error)}`);
  }
  const pid = /^\d{1,10}$/.test(content) ? Number(content) : 0;
  return pid > 0 ? { pid } : { pid: null, content };
}

function tokenFor(lockPath: string, owner: Owner): string {
  return `${lockPath}.reap-${owner.pid ?? 'unknown'}`;
}

function reapDeadLock(lockPath: string, owner: Owner): void {
  const token = tokenFor(lockPath, owner);
  try {
    createFileExclusively(token, String(process.pid));
  } catch (error) {
    // EEXIST: another process is reaping it. ENOENT: the lock's new owner cleared tokens meanwhile. Either way, start over.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOENT') return;
    throw Errors.store(`cannot lock the datadir: cannot create ${token}: ${describeFsError(error)}`);
  }
  try {
    const now = readOwner(lockPath);
    if (now !== undefined && sameOwner(now, owner)) removeFile(lockPath);
  } finally {
    removeFile(token);
  }
}

function sameOwner(a: Owner, b: Owner): boolean {
  return a.pid === b.pid && (a.pid !== null || (b.pid === null && a.content === b.content));
}

/**
 * Tokens a reaper killed mid-takeover left behind. Once we hold the lock every token names an
 * owner the lock no longer has, so none can be in use for a removal: all may go.
 */
function removeLeftoverTokens(lockPath: string): void {
  const token = new RegExp(`^${basename(lockPath).replace(/\W/g, '\\$&')}\\.reap-(\\d+|unknown)$`);
  let names: string[];
  try {
    names = readdirSync(dirname(lockPath));
  } catch {
    return;
  }
  for (const name of names) if (token.test(name)) removeFile(join(dirname(lockPath), name));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
