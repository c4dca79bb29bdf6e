/**
 * The file seam: every file powlab keeps (the chain store, best.json, found blocks, the datadir
 * lock) is written through here, and nothing else in powlab imports node:fs to write.
 *
 * A write here either reaches the disk whole or throws a WriteError naming the file and the cause:
 * short writes are continued, every write is fsynced, a replaced file is written to a temporary
 * name and renamed over the old one, and the folder holding a new name is synced so the name
 * itself survives a power cut. An append that fails is cut back to where the file ended before it.
 *
 * Test hook (the only one here): POWLAB_TEST_DISK_ROOM=N lets this process write N more bytes in
 * all, then fails the way a full disk does (a short write, then ENOSPC). Tests use it to fill the
 * disk at an exact byte where mounting a small file system is not allowed.
 */
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  linkSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { Errors } from '../errors.js';

const ROOM_VARIABLE = 'POWLAB_TEST_DISK_ROOM';
let testRoom: number | undefined = roomFromEnvironment();

function roomFromEnvironment(): number | undefined {
  const text = process.env[ROOM_VARIABLE];
  if (text === undefined || text === '') return undefined;
  const room = Number(text);
  if (!Number.isSafeInteger(room) || room < 0)
    throw new RangeError(`${ROOM_VARIABLE} must be a whole number of bytes, got ${text}`);
  return room;
}

/** What an fs error code means, in words a person can act on. */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOSPC':
      return 'the disk is full (ENOSPC)';
    case 'EDQUOT':
      return 'the disk quota is used up (EDQUOT)';
    case 'EROFS':
      return 'the file system is read-only (EROFS)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'EIO':
      return 'the disk reported an I/O error (EIO)';
    case 'EISDIR':
      return 'it is a folder, not a file (EISDIR)';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder (ENOTDIR)';
    case 'ENOENT':
      return 'it does not exist (ENOENT)';
    case 'ENOTREGULAR':
    case 'ETOOBIG':
    case undefined:
      return (error as Error | undefined)?.message ?? String(error);
    default:
      return code;
  }
}

function fullDisk(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
}

/** Write every byte of `bytes` at the file's position (or its end, for O_APPEND), continuing short writes. */
function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) {
    let length = bytes.length - offset;
    if (testRoom !== undefined) {
      if (testRoom === 0) throw fullDisk();
      length = Math.min(length, testRoom);
    }
    const written = writeSync(fd, bytes, offset, length);
    if (testRoom !== undefined) testRoom -= written;
    offset += written;
  }
}

/**
 * Make `dir` (and its parents) a folder we can write in; a failure says why in words: a file in
 * the way, a read-only file system, no permission.
 */
export function ensureDirectory(dir: string, what = 'folder'): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    throw Errors.store(`cannot create the ${what} ${dir}: ${explainMkdirFailure(dir, error)}`);
  }
}

/**
 * mkdir's own code can mislead (Node's recursive mkdir says ENOENT on a read-only file system, and
 * EEXIST for a file in the way): look at the nearest part of the path that exists instead.
 */
function explainMkdirFailure(dir: string, error: unknown): string {
  let existing = dir;
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  try {
    if (!statSync(existing).isDirectory())
      return existing === dir ? 'it is a file, not a folder' : `${existing} is a file, not a folder`;
    accessSync(existing, constants.W_OK);
  } catch (inner) {
    return describeFsError(inner);
  }
  return describeFsError(error);
}

/** A file only ever appended to, each append durable before it returns, or undone. */
export class AppendOnlyFile {
  private broken?: string;

  private constructor(
    readonly path: string,
    private readonly fd: number,
    private length: number,
  ) {}

  static open(path: string): AppendOnlyFile {
    let fd: number;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
    } catch (error) {
      throw Errors.writeFailed(path, describeFsError(error));
    }
    return new AppendOnlyFile(path, fd, fstatSync(fd).size);
  }

  get size(): number {
    return this.length;
  }

  /**
   * Append `bytes` and fsync (unless `sync` is false: then the bytes survive a kill -9 at once, a
   * power cut only after the next `sync()`). On any failure the file is cut back to its length
   * before the call, so it never ends in a part of this write, and a WriteError says why.
   */
  append(bytes: Uint8Array, sync = true): void {
    if (this.broken) throw Errors.writeFailed(this.path, this.broken);
    try {
      writeAll(this.fd, bytes);
      if (sync) fsyncSync(this.fd);
      this.length += bytes.length;
    } catch (error) {
      const why = describeFsError(error);
      try {
        ftruncateSync(this.fd, this.length);
        fsyncSync(this.fd);
      } catch (rollback) {
        // The next open cuts a torn tail; until then no append may land after it.
        this.broken = `${why}, and cutting the partial write back failed too (${describeFsError(rollback)})`;
        throw Errors.writeFailed(this.path, this.broken);
      }
      throw Errors.writeFailed(this.path, why);
    }
  }

  /** Make every append so far durable against a power cut too. */
  sync(): void {
    try {
      fsyncSync(this.fd);
    } catch (error) {
      throw Errors.writeFailed(this.path, describeFsError(error));
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

/**
 * Replace (or create) `path` with `data`, whole or not at all: a temporary file beside it is
 * written and synced, renamed over it, and the folder synced.
 */
export function writeFileAtomically(path: string, data: string | Uint8Array): void {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const temporary = `${path}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      writeAll(fd, bytes);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
    syncDirectory(dirname(path));
  } catch (error) {
    removeFile(temporary);
    throw Errors.writeFailed(path, describeFsError(error));
  }
}

/**
 * Replace (or create) `path` with what `fill` appends, whole or not at all, as writeFileAtomically
 * does, for contents too large to build in memory at once. With `keepOldAs`, the old file is first
 * hard-linked there, so it is kept under that name whatever happens next.
 */
export function replaceFileInParts(
  path: string,
  fill: (append: (bytes: Uint8Array) => void) => void,
  keepOldAs?: string,
): void {
  const temporary = `${path}.tmp`;
  try {
    const fd = openSync(temporary, 'w');
    try {
      fill((bytes) => writeAll(fd, bytes));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (keepOldAs !== undefined && existsSync(path)) linkSync(path, keepOldAs);
    renameSync(temporary, path);
    syncDirectory(dirname(path));
  } catch (error) {
    removeFile(temporary);
    throw Errors.writeFailed(path, describeFsError(error));
  }
}

/**
 * Create `path` holding `data`, failing with EEXIST (as a plain fs error, for the caller to judge)
 * if the name is taken: the file appears under its name already whole (written aside, then
 * hard-linked), so no reader ever sees it empty.
 */
export function createFileExclusively(path: string, data: string): void {
  const aside = `${path}.${process.pid}.new`;
  const fd = openSync(aside, 'w');
  try {
    writeAll(fd, new TextEncoder().encode(data));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    // link(2) fails with EEXIST when `path` exists: the one atomic "create if absent, already whole".
    linkSync(aside, path);
  } finally {
    removeFile(aside);
  }
  syncDirectory(dirname(path));
}

/** A rename is durable only once the folder holding it is synced (POSIX); where a folder cannot be opened for that (Windows), the file's own sync is what there is. */
function syncDirectory(dir: string): void {
  let fd: number;
  try {
    fd = openSync(dir, 'r');
  } catch {
    return;
  }
  try {
    fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on a folder (EINVAL): the entries are as durable as they get there.
  } finally {
    closeSync(fd);
  }
}

/** The whole file (at most `maxBytes`, as readSmallRegularFile reads it), or undefined when there is none. */
export function readFileIfPresent(path: string, maxBytes: number): Uint8Array | undefined {
  try {
    return readSmallRegularFile(path, maxBytes);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Bytes read at a time: a file is never held in more than its own size plus one chunk. */
const READ_CHUNK_BYTES = 64 * 1024;

/**
 * At most `maxBytes` of a regular file, refusing anything else (a FIFO would block for ever, a
 * device such as /dev/zero never ends, a folder has no bytes). Opened without blocking, so even a
 * FIFO answers at once, and read in chunks up to the cap, so a file that grows while it is read
 * is refused rather than followed. Every refusal names the path (code ENOTREGULAR or ETOOBIG).
 */
export function readSmallRegularFile(path: string, maxBytes: number): Uint8Array {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile())
      throw Object.assign(new Error(`${path} is ${kindOf(stats)}, not a regular file`), { code: 'ENOTREGULAR' });
    if (stats.size > maxBytes) throw tooBig(path, `is ${stats.size} bytes`, maxBytes);
    let buffer = new Uint8Array(Math.min(maxBytes, stats.size) + 1);
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        if (length > maxBytes) throw tooBig(path, 'grew while it was read', maxBytes);
        const larger = new Uint8Array(Math.min(maxBytes + 1, length + READ_CHUNK_BYTES));
        larger.set(buffer);
        buffer = larger;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.subarray(0, length);
  } finally {
    closeSync(fd);
  }
}

function tooBig(path: string, what: string, maxBytes: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`${path} ${what}, more than the ${maxBytes} allowed`), { code: 'ETOOBIG' });
}

function kindOf(stats: ReturnType<typeof fstatSync>): string {
  if (stats.isDirectory()) return 'a folder';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a plain file';
}

/** Cut a file to `length` bytes and make that durable. */
export function truncateFile(path: string, length: number): void {
  try {
    truncateSync(path, length);
    const fd = openSync(path, 'r+');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw Errors.writeFailed(path, describeFsError(error));
  }
}

/** Remove a file if it is there. */
export function removeFile(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone: nothing to remove.
  }
}
