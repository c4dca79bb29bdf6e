/**
 * A torn tail against damage inside, when the payout script holds the record magic "PWLB"
 * (0x50574c42): bytes that prove nothing on their own. Only a whole record after the cut does.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** P2PKH to a key hash that begins with the record magic. */
const MAGIC_SCRIPT = `76a914${'50574c42'}${'00'.repeat(16)}88ac`;
const BIG_SCRIPT = `6a${'50574c42'.repeat(50)}`;

const mine = (datadir: string, blocks: number, script: string) =>
  runCli([
    'mine',
    '--zeros',
    '8',
    '--blocks',
    String(blocks),
    '--json',
    '--threads',
    '1',
    '--backend',
    'js',
    '--script',
    script,
    '--datadir',
    datadir,
  ]);

describe('a store whose blocks hold the record magic', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-torn-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('a 3-byte truncation is a torn tail: verify says so, and mine cuts it off and goes on', async () => {
    const datadir = join(root, 'truncated');
    expect((await mine(datadir, 2, MAGIC_SCRIPT)).code).toBe(0);
    const file = join(datadir, 'blocks.dat');
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, whole.length - 3));
    const verified = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: false, blocks: 1, tornAt: whole.length / 2 });
    expect(verified.stderr).toMatch(/ends in a torn write/);
    const again = await mine(datadir, 1, MAGIC_SCRIPT);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/torn write .* cut off; 1 block kept/);
    expect(JSON.parse(again.stdout.split('\n')[0])).toMatchObject({ height: 2 });
  });

  it('a record cut short with a whole record after it is damage inside, and is refused untouched', async () => {
    const datadir = join(root, 'cut-inside');
    expect((await mine(datadir, 2, BIG_SCRIPT)).code).toBe(0);
    expect((await mine(datadir, 1, MAGIC_SCRIPT)).code).toBe(0);
    const file = join(datadir, 'blocks.dat');
    const whole = readFileSync(file);
    const firstLength = 12 + whole.readUInt32LE(4) + 4;
    // Record 2 loses all but its first 50 bytes; record 3 follows whole.
    const damaged = Buffer.concat([whole.subarray(0, firstLength + 50), whole.subarray(2 * firstLength)]);
    writeFileSync(file, damaged);
    const verified = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(verified.code).toBe(1);
    expect(JSON.parse(verified.stdout)).toMatchObject({
      ok: false,
      badHeight: 2,
      reason: 'record cut short inside the store',
    });
    const refused = await mine(datadir, 1, MAGIC_SCRIPT);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/damaged at block 2 .*record cut short inside the store/);
    expect(readFileSync(file).equals(damaged)).toBe(true);
  });
});
