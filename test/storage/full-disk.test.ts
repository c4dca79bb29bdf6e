/**
 * A full disk while mining the built-in chain, against the built CLI. The disk fills at an exact
 * byte through the durable-write module's test hook (POWLAB_TEST_DISK_ROOM), which fails the way a
 * full disk does: a short write, then ENOSPC. No mount is needed, so this runs everywhere.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Block } from 'bitcoinjs-lib';
import { afterAll, describe, expect, it } from 'vitest';
import { miningLines, runCli } from '../helpers/run-cli.js';

const NOT_STORED =
  /^powlab: block (\d+) \(([0-9a-f]{64})\) was found but not stored: cannot write (.*blocks\.dat): the disk is full \(ENOSPC\); the store still ends at block (\d+); (?:a copy is in (\S+)|it could not be saved anywhere; the block: ([0-9a-f]+))$/;

describe('mine on a disk that fills up', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-full-disk-'));
  const datadir = join(root, 'regtest');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('reports only blocks wholly on disk, rolls the failed append back, keeps the block, and mining goes on later', async () => {
    // Room for a handful of 195-byte records and a few best.json rewrites, far fewer than 40 blocks.
    const full = await runCli(
      ['mine', '--zeros', '8', '--blocks', '40', '--json', '--threads', '1', '--backend', 'js', '--datadir', datadir],
      {
        env: { POWLAB_TEST_DISK_ROOM: '2000' },
      },
    );
    expect(full.code, full.stderr).toBe(1);
    const errorLines = full.stderr.trim().split('\n');
    expect(errorLines.every((line) => line.startsWith('powlab: '))).toBe(true);
    const match = NOT_STORED.exec(errorLines.at(-1)!);
    expect(match, errorLines.at(-1)).not.toBeNull();
    const [, failedHeight, failedHash, file, storeHeight, savedTo, hexInMessage] = match!;
    expect(file).toBe(join(datadir, 'blocks.dat'));

    const reported = miningLines<{ height: number; hash: string }>(full.stdout).results;
    expect(reported.length).toBeGreaterThan(0);
    expect(reported.length).toBeLessThan(40);
    expect(Number(storeHeight)).toBe(reported.length);
    expect(Number(failedHeight)).toBe(reported.length + 1);

    // Every reported block is in the store, which ends in a whole record: no torn tail, no damage.
    const verified = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(verified.code, verified.stderr).toBe(0);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: true,
      blocks: reported.length,
      tip: reported.at(-1)!.hash,
    });

    // The block that did not fit is not lost: printed in the line, or saved in found/.
    const blockHex = hexInMessage ?? (JSON.parse(readFileSync(savedTo, 'utf8')) as { block: string }).block;
    const block = Block.fromHex(blockHex);
    expect(block.getId()).toBe(failedHash);
    expect(Buffer.from(block.prevHash!).reverse().toString('hex')).toBe(reported.at(-1)!.hash);
    expect(block.checkProofOfWork()).toBe(true);

    // Space is back: mining continues from the stored tip.
    const sizeBefore = statSync(file).size;
    const again = await runCli([
      'mine',
      '--zeros',
      '8',
      '--blocks',
      '2',
      '--json',
      '--threads',
      '1',
      '--backend',
      'js',
      '--datadir',
      datadir,
    ]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toBe('');
    expect(
      again.stdout
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { height?: number }).height),
    ).toEqual([reported.length + 1, reported.length + 2, undefined]); // the summary last
    expect(statSync(file).size).toBeGreaterThan(sizeBefore);
    const after = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(JSON.parse(after.stdout)).toMatchObject({ ok: true, blocks: reported.length + 2 });
  });
});
