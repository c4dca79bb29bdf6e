/**
 * Files of checksummed JSON lines, one record a line:
 *   <CRC-32 of the JSON, 8 hex digits> <JSON>\n
 * so damage anywhere (a flipped digit, a line cut short, two lines run together) is found and
 * named by file and line. Lines are only ever appended whole, so text after the last newline is a
 * torn write (a crash mid-append), which the caller may cut off; anything else is refused.
 *
 * Reading streams the file in chunks, so a long history costs time, never memory: no line may be
 * longer than the cap the caller sets, and no more than one line is held at once.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { Errors } from '../errors.js';
import { describeFsError } from './durable.js';

const CHECKSUM_DIGITS = 8;
const LINE_HEAD = /^[0-9a-f]{8} /;
const CHUNK_BYTES = 1 << 20;
const NEWLINE = 0x0a;

function checksum(json: string): string {
  return crc32(json).toString(16).padStart(CHECKSUM_DIGITS, '0');
}

/** One record as a line of the file, newline included. */
export function encodeRecordLine(record: unknown): string {
  const json = JSON.stringify(record);
  return `${checksum(json)} ${json}\n`;
}

export interface RecordScan {
  /** Whole lines read. */
  lines: number;
  /** Where a torn last line starts, and its length, if the file ends in one. */
  torn?: { at: number; bytes: number };
}

/**
 * Feed every record of `path` to `each`, oldest first; `each` returns why a record is unacceptable
 * (a value out of range), or nothing. A line that fails its checksum, does not parse, is longer than
 * `maxLineBytes` or that `each` refuses stops the scan with one error naming the file and the line.
 * A missing file is an empty one.
 */
export function scanRecordFile(
  path: string,
  maxLineBytes: number,
  each: (record: unknown, line: number) => string | undefined,
): RecordScan {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: 0 };
    throw Errors.store(`cannot read ${path}: ${describeFsError(error)}`);
  }
  try {
    if (!fstatSync(fd).isFile()) throw Errors.store(`cannot read ${path}: it is not a regular file`);
    const damaged = (line: number, why: string) =>
      Errors.store(`${path} is damaged at line ${line}: ${why}; left untouched`);
    const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
    /** The start of the line being read, when it began in an earlier chunk. */
    let carried: Buffer[] = [];
    let carriedBytes = 0;
    let offset = 0;
    let lines = 0;
    const take = (bytes: Buffer) => {
      const line = ++lines;
      const why = checkLine(bytes.toString('utf8'), line, each);
      if (why) throw damaged(line, why);
    };
    for (;;) {
      let read: number;
      try {
        read = readSync(fd, chunk, 0, CHUNK_BYTES, null);
      } catch (error) {
        throw Errors.store(`cannot read ${path} (line ${lines + 1}): ${describeFsError(error)}`);
      }
      if (read === 0) break;
      let start = 0;
      for (let end = chunk.indexOf(NEWLINE, 0); end !== -1 && end < read; end = chunk.indexOf(NEWLINE, start)) {
        if (carriedBytes + end - start > maxLineBytes)
          throw damaged(lines + 1, `a line longer than the ${maxLineBytes} bytes allowed`);
        const bytes = chunk.subarray(start, end);
        take(carriedBytes > 0 ? Buffer.concat([...carried, bytes]) : bytes);
        offset += carriedBytes + end - start + 1;
        carried = [];
        carriedBytes = 0;
        start = end + 1;
      }
      if (start < read) {
        carriedBytes += read - start;
        if (carriedBytes > maxLineBytes)
          throw damaged(lines + 1, `a line longer than the ${maxLineBytes} bytes allowed`);
        carried.push(Buffer.from(chunk.subarray(start, read)));
      }
    }
    return carriedBytes > 0 ? { lines, torn: { at: offset, bytes: carriedBytes } } : { lines };
  } finally {
    closeSync(fd);
  }
}

function checkLine(
  text: string,
  line: number,
  each: (record: unknown, line: number) => string | undefined,
): string | undefined {
  if (!LINE_HEAD.test(text)) {
    return line === 1 && text.startsWith('{')
      ? 'no checksum: it was written by an older powlab, whose lines carry none (move it aside to start a new one)'
      : 'no checksum where the line should start';
  }
  const json = text.slice(CHECKSUM_DIGITS + 1);
  if (checksum(json) !== text.slice(0, CHECKSUM_DIGITS)) return 'checksum mismatch (the line changed on disk)';
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return 'not JSON';
  }
  return each(record, line);
}
