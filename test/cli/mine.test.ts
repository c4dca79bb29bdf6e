import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync, chmodSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Block as BitcoinJsBlock } from 'bitcoinjs-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGTEST } from '../../src/core/params.js';
import type { MinedBlock as ChainBlock } from '../../src/sources/chain.js';
import { checkBlocksWithPythonBitcoinlib } from '../helpers/python-bitcoinlib.js';
import { miningLines, runCli } from '../helpers/run-cli.js';

type MinedBlock = ChainBlock & { stopMs: number };

const leadingZeroBits = (displayHex: string) => {
  const value = BigInt(`0x${displayHex}`);
  return value === 0n ? 256 : 256 - value.toString(2).length;
};

describe('powlab mine on the built-in chain', () => {
  let root: string;
  let datadir: string;
  let blocks: MinedBlock[];
  let summary: Record<string, unknown> | undefined;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'powlab-mine-'));
    datadir = join(root, 'regtest');
    const result = await runCli([
      'mine',
      '--blocks',
      '3',
      '--zeros',
      '16',
      '--json',
      '--threads',
      '2',
      '--datadir',
      datadir,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    ({ results: blocks, summary } = miningLines<MinedBlock>(result.stdout));
    expect(summary).toMatchObject({ type: 'summary', stopped: 'blocks reached', blocks: 3 });
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('gives 3 blocks linked from the regtest genesis, each with 16 or more leading zero bits', () => {
    expect(blocks.map((b) => b.height)).toEqual([1, 2, 3]);
    let previous = REGTEST.genesisHashHex;
    for (const block of blocks) {
      const theirs = BitcoinJsBlock.fromHex(block.block);
      expect(theirs.getId()).toBe(block.hash);
      expect(Buffer.from(theirs.prevHash!).reverse().toString('hex')).toBe(previous);
      expect(theirs.checkProofOfWork()).toBe(true);
      expect(theirs.checkTxRoots()).toBe(true);
      expect(leadingZeroBits(block.hash)).toBeGreaterThanOrEqual(16);
      expect(block.header).toBe(block.block.slice(0, 160));
      expect(theirs.nonce).toBe(block.nonce);
      // Hashes on this block's work alone, the find's own included: whole, at least one.
      expect(Number.isInteger(block.hashes) && block.hashes >= 1, `hashes ${block.hashes}`).toBe(true);
      // Measured by the session and rounded to a tenth of a millisecond, as the text line says it.
      expect(String(block.stopMs)).toMatch(/^\d+(\.\d)?$/);
      previous = block.hash;
    }
  });

  it("counts each block's hashes on its own work: together no more than the run's, which the summary gives", () => {
    // A count carried over from one work to the next (the run's total at each find) would add up to more.
    const perBlock = blocks.reduce((sum, block) => sum + block.hashes, 0);
    expect(perBlock).toBeLessThanOrEqual(summary!.hashes as number);
  });

  it('each block passes python-bitcoinlib CheckBlock with regtest parameters', () => {
    const verdicts = checkBlocksWithPythonBitcoinlib(blocks.map((b) => b.block));
    expect(verdicts).toEqual(
      blocks.map((b, i) => ({ ok: true, hash: b.hash, prev: i === 0 ? REGTEST.genesisHashHex : blocks[i - 1].hash })),
    );
  });

  it('python-bitcoinlib rejects a block whose nonce was changed (the checker can fail)', () => {
    const tampered =
      blocks[0].block.slice(0, 152) +
      (blocks[0].block.slice(152, 154) === '00' ? '01' : '00') +
      blocks[0].block.slice(154);
    const [verdict] = checkBlocksWithPythonBitcoinlib([tampered]);
    expect(verdict.ok).toBe(false);
  });

  it('keeps the best hash of all runs in the datadir', async () => {
    const best = JSON.parse(readFileSync(join(datadir, 'best.json'), 'utf8'));
    const bestBlock = blocks.map((b) => b.hash).sort()[0];
    expect(best.hash <= bestBlock).toBe(true);
    expect(best.zeros).toBe(leadingZeroBits(best.hash));
  });

  it('chain verify passes on the store, and names the block when any byte of it is flipped', async () => {
    const ok = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ ok: true, blocks: 3, tip: blocks[2].hash });

    const file = join(datadir, 'blocks.dat');
    const original = readFileSync(file);
    const recordLength = original.length / 3;
    // One flip in each part of the second record: magic, length, block header, coinbase, checksum.
    for (const offsetInRecord of [0, 5, 12 + 40, recordLength - 20, recordLength - 2]) {
      const damaged = Buffer.from(original);
      damaged[recordLength + offsetInRecord] ^= 0x01;
      writeFileSync(file, damaged);
      const bad = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
      expect(bad.code, `flip at ${offsetInRecord}`).toBe(1);
      expect(JSON.parse(bad.stdout)).toMatchObject({ ok: false, badHeight: 2 });
      expect(bad.stderr).toMatch(/block 2 is bad/);
    }
    writeFileSync(file, original);
  });

  it('refuses to mine on a damaged store and leaves it untouched', async () => {
    const file = join(datadir, 'blocks.dat');
    const original = readFileSync(file);
    const damaged = Buffer.from(original);
    damaged[damaged.length - 30] ^= 0xff;
    writeFileSync(file, damaged);
    const result = await runCli(['mine', '--blocks', '1', '--zeros', '8', '--datadir', datadir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/damaged at block 3/);
    expect(readFileSync(file).equals(damaged)).toBe(true);
    writeFileSync(file, original);
  });

  it('cuts off a torn write at the end with a warning and keeps every block before it', async () => {
    const file = join(datadir, 'blocks.dat');
    const original = readFileSync(file);
    appendFileSync(file, original.subarray(0, 40)); // half a record, as a power cut would leave
    const result = await runCli(['mine', '--blocks', '1', '--zeros', '8', '--json', '--datadir', datadir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/torn write .* cut off; 3 blocks kept/);
    expect(JSON.parse(result.stdout.split('\n')[0])).toMatchObject({ height: 4 });
    const verified = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(JSON.parse(verified.stdout)).toMatchObject({ ok: true, blocks: 4 });
    expect(readFileSync(file).subarray(0, original.length).equals(original)).toBe(true);
  });
});

describe('powlab mine: bad input', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-bad-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    [['--threads', '0'], /--threads: must be a whole number from 1/],
    [['--zeros', '300'], /--zeros: must be a whole number from 1 to 255/],
    [['--bits', 'zz'], /--bits: must be up to 8 hex digits/],
    [['--bits', '04923456'], /invalid compact target 0x04923456: the sign bit/],
    [['--address', 'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4'], /invalid address/],
    [['--script', 'xyz'], /--script: not hexadecimal/],
    [['--throttle', '0'], /--throttle: must be a whole percentage/],
    // The engine refuses these in its own words; the command line names the flags.
    [['--backend', 'webgpu', '--threads', '2'], /^powlab: --threads contradicts --backend webgpu: /],
    [['--backend', 'webgpu', '--no-gpu'], /^powlab: --no-gpu contradicts --backend webgpu: /],
  ])('%j: one line, exit 2', async (args, message) => {
    const result = await runCli(['mine', '--blocks', '1', '--datadir', join(root, 'x'), ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unwritable datadir: one line, exit 2', async () => {
    const locked = join(root, 'readonly');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    const file = join(root, 'a-file');
    writeFileSync(file, 'not a directory');
    for (const datadir of [join(file, 'sub'), ...(process.getuid?.() === 0 ? [] : [join(locked, 'sub')])]) {
      const result = await runCli(['mine', '--blocks', '1', '--zeros', '8', '--datadir', datadir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/datadir/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
