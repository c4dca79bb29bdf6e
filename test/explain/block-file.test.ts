/**
 * Every file a user names is read with a cap and refused in one line naming it: a --block that is
 * a device, a FIFO, a folder or larger than any block, and a datadir whose files are not files.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-block-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fifo = join(root, 'block.fifo');
execFileSync('mkfifo', [fifo]);
const huge = join(root, 'huge.hex');
writeFileSync(huge, 'ab'.repeat(4_500_000));

/** Bounded, so that a read that never ends fails the test instead of hanging it. */
const BOUND = { timeoutMs: 20_000 };

describe('explain --block with a file that is no block', () => {
  it.each([
    [
      '/dev/zero, which never ends',
      '/dev/zero',
      /^powlab: --block: \/dev\/zero is a character device, not a regular file \(a block file holds at most \d+ bytes\)$/,
    ],
    [
      'a FIFO, which would block',
      fifo,
      /^powlab: --block: .*block\.fifo is a named pipe \(FIFO\), not a regular file \(a block file holds at most \d+ bytes\)$/,
    ],
    ['a folder', root, /^powlab: --block: .*powlab-block-file-\w+ is a folder, not a regular file/],
    [
      'a file larger than any block',
      huge,
      /^powlab: --block: .*huge\.hex is 9000000 bytes, more than the \d+ allowed$/,
    ],
  ])('%s: one line naming it, exit 2', async (_name, file, line) => {
    const result = await runCli(['explain', '--block', file, '--hashrate', '1e6'], BOUND);
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(line);
    expect(result.code).toBe(2);
  });
});

describe('a datadir whose store is not a file', () => {
  it.each([
    [
      'a link to /dev/zero',
      (path: string) => symlinkSync('/dev/zero', path),
      /is a character device, not a regular file/,
    ],
    ['a folder', (path: string) => mkdirSync(path), /is a folder, not a regular file/],
  ])('blocks.dat as %s: chain verify and explain refuse it in one line naming it', async (name, make, why) => {
    const datadir = join(root, name.replace(/\W+/g, '-'));
    mkdirSync(datadir);
    make(join(datadir, 'blocks.dat'));
    for (const args of [
      ['chain', 'verify', '--datadir', datadir],
      ['explain', '--datadir', datadir, '--hashrate', '1e6'],
    ]) {
      const result = await runCli(args, BOUND);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toContain(join(datadir, 'blocks.dat'));
      expect(result.stderr).toMatch(why);
      expect(result.code).not.toBe(0);
    }
  });
});
