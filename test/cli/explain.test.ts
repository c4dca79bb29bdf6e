import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, readUint32BE } from '../../src/core/bytes.js';
import { REGTEST } from '../../src/core/params.js';
import { digestWordsToBytes, SHA256_IV, sha256Compress } from '../../src/core/sha256.js';
import type { MinedBlock } from '../../src/sources/chain.js';
import vectors from '../vectors/headers.json' with { type: 'json' };
import { runCli } from '../helpers/run-cli.js';

const BLOCK_100000 = vectors.valid[2];

function midstateOf(header: Uint8Array): string {
  const state = Uint32Array.from(SHA256_IV);
  sha256Compress(state, Array.from({ length: 16 }, (_, t) => readUint32BE(header, 4 * t)));
  return bytesToHex(digestWordsToBytes(state));
}

async function explainJson(args: string[]) {
  const result = await runCli(['explain', '--json', ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

describe('powlab explain --header', () => {
  it('takes the last of an option given twice, as command lines do', async () => {
    const e = await explainJson(['--header', vectors.valid[0].hex, '--header', BLOCK_100000.hex, '--hashrate', '1000000']);
    expect(e.hash).toBe(BLOCK_100000.hash);
  });

  it.each(vectors.valid)('$description: its true hash, target, difficulty, midstate and first hash', async (v) => {
    const e = await explainJson(['--header', v.hex, '--hashrate', '1000000']);
    const header = hexToBytes(v.hex);
    expect(e.source).toEqual({ kind: 'header' });
    expect(e.hash).toBe(v.hash);
    expect(e.bits.hex).toBe(v.bits);
    expect(e.difficulty / v.difficulty).toBeCloseTo(1, 12);
    expect(e.midstate).toBe(midstateOf(header));
    expect(e.firstHash).toBe(bytesToHex(nobleSha256(header)));
    expect(e.meetsTarget).toBe(true);
  });

  it('--json: fields with offsets and bytes, the SHA-256 steps, the odds and the time at the given hashrate', async () => {
    const e = await explainJson(['--header', BLOCK_100000.hex, '--hashrate', '2.5MH/s']);
    // The layout itself is test/explain/header.test.ts's; here, that the CLI passes it through whole.
    expect(e.fields.map((f: { hex: string }) => f.hex).join('')).toBe(BLOCK_100000.hex);
    expect(e.fields.find((f: { name: string }) => f.name === 'nonce').value).toBe(BLOCK_100000.nonce);
    expect(e.target).toBe('000000000004864c000000000000000000000000000000000000000000000000');
    expect(e.difficulty).toBeCloseTo(14484.1623612254, 6);
    expect(e.hashInternal).toBe(bytesToHex(hexToBytes(e.hash).reverse()));
    expect(e.probabilityPerHash * e.expectedHashes).toBeCloseTo(1, 9);
    expect(e.expectedHashes / 2 ** 32 / e.difficulty).toBeCloseTo(1, 4);
    expect(e).toMatchObject({ hashrate: 2500000, hashrateSource: 'given', nonceSpace: 2 ** 32 });
    expect(e.expectedSeconds).toBeCloseTo(e.expectedHashes / 2500000, 6);
    expect(e.nonceSpaceSeconds).toBeCloseTo(2 ** 32 / 2500000, 9);
    expect(e.chanceWithinHour / -Math.expm1((-3600 * 2500000) / e.expectedHashes)).toBeCloseTo(1, 12);
    expect(e.measurement).toBeUndefined();
    expect(e.block).toBeUndefined();
  });

  it('measures this machine when no --hashrate is given, and says so', async () => {
    const e = await explainJson(['--header', BLOCK_100000.hex, '--measure', '--seconds', '0.5', '--threads', '1']);
    expect(e.hashrateSource).toBe('measured');
    expect(e.hashrate).toBeGreaterThan(0);
    expect(e.measurement).toMatchObject({ threads: 1 });
    expect(e.measurement.hashes / e.measurement.seconds).toBeCloseTo(e.hashrate, 6);
    expect(e.expectedSeconds).toBeCloseTo(e.expectedHashes / e.hashrate, 6);
  });

  it('the text walk-through names every step, with the numbers of this header', async () => {
    const result = await runCli(['explain', '--header', BLOCK_100000.hex, '--hashrate', '2e6']);
    expect(result.code).toBe(0);
    const text = result.stdout;
    for (const expected of [
      BLOCK_100000.hash,
      'little-endian',
      `midstate = compress(initial state, block 1)`,
      midstateOf(hexToBytes(BLOCK_100000.hex)).match(/.{8}/g)!.join(' '),
      'bits 0x1b04864c: exponent 0x1b (27), mantissa 0x04864c',
      'target 000000000004864c000000000000000000000000000000000000000000000000',
      'a valid proof of work',
      'difficulty = difficulty-1 target / target = 14484.2',
      'at 2.00 MH/s, as given with --hashrate',
      'extranonce',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('\x1b[');
  });

  it('colours the dump only when asked for and NO_COLOR is unset', async () => {
    const args = ['explain', '--header', BLOCK_100000.hex, '--hashrate', '1'];
    const forced = await runCli(args, { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[35m01 00 00 00\x1b[0m');
    const refused = await runCli(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(refused.stdout).not.toContain('\x1b[');
  });
});

describe('powlab explain on the built-in chain', () => {
  let root: string;
  let datadir: string;
  let mined: MinedBlock[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'powlab-explain-'));
    datadir = join(root, 'regtest');
    const result = await runCli(['mine', '--zeros', '8', '--blocks', '2', '--json', '--threads', '1', '--datadir', datadir]);
    expect(result.code).toBe(0);
    mined = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as MinedBlock & { type?: string }).filter((line) => line.type !== 'summary');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--height explains a stored block: its hash, coinbase (BIP 34 height, extranonce) and merkle root', async () => {
    for (const block of mined) {
      const e = await explainJson(['--height', String(block.height), '--datadir', datadir, '--hashrate', '1000']);
      expect(e.source).toEqual({ kind: 'store', datadir, height: block.height, tip: false });
      expect(e.header).toBe(block.header);
      expect(e.hash).toBe(block.hash);
      expect(e.block.coinbase).toMatchObject({ bip34Height: block.height, extranonceIndex: block.extranonce, tag: '/powlab/' });
      expect(e.block.merkleRoot).toBe(e.fields.find((f: { name: string }) => f.name === 'merkleRoot').value);
      expect(e.block.merkleRootMatchesHeader).toBe(true);
      expect(e.block.nextExtranonce.index).toBe(block.extranonce + 1);
      expect(e.block.nextExtranonce.merkleRoot).not.toBe(e.block.merkleRoot);
      expect(e.targetLeadingZeroBits).toBe(8);
    }
  });

  it('with neither --header nor --height, explains the tip', async () => {
    const e = await explainJson(['--datadir', datadir, '--hashrate', '1000']);
    expect(e.source).toEqual({ kind: 'store', datadir, height: 2, tip: true });
    expect(e.hash).toBe(mined[1].hash);
  });

  it('the text shows the coinbase pushes and the merkle root', async () => {
    const result = await runCli(['explain', '--height', '2', '--datadir', datadir, '--hashrate', '1000']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('the block height, 2 (BIP 34');
    expect(result.stdout).toContain(`the extranonce, ${mined[1].extranonce} as a little-endian number`);
    expect(result.stdout).toMatch(/merkle root [0-9a-f]{64} matches the header/);
  });

  it('--height 0, or an empty datadir, explains the regtest genesis', async () => {
    const byHeight = await explainJson(['--height', '0', '--datadir', datadir, '--hashrate', '1000']);
    const empty = await explainJson(['--datadir', join(root, 'nothing-here'), '--hashrate', '1000']);
    for (const e of [byHeight, empty]) {
      expect(e.source).toEqual({ kind: 'genesis', chain: 'regtest' });
      expect(e.hash).toBe(REGTEST.genesisHashHex);
      expect(e.block.coinbase.bip34Height).toBeNull();
      expect(e.block.merkleRootMatchesHeader).toBe(true);
    }
  });

  it.each([
    ['a height beyond the tip', () => ['--height', '3', '--datadir', datadir], /no block at height 3 \(the store holds 1\.\.2\)/],
    ['a height in a datadir with no store', () => ['--height', '1', '--datadir', join(root, 'nothing-here')], /--height: no block at height 1: there is no chain in .*nothing-here yet/],
  ])('%s: one line, exit 2', async (_name, args, message) => {
    const result = await runCli(['explain', '--hashrate', '1', ...args()]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('powlab explain: bad input', () => {
  it.each([
    ['bad hex', ['--header', 'zz'.repeat(80)], /header: not hexadecimal/],
    ['a wrong length', ['--header', '0100'], /header must be 80 bytes/],
    ['both --header and --height', ['--header', BLOCK_100000.hex, '--height', '1'], /mutually exclusive/],
    ['a negative height', ['--height', '-1'], /--height: must be a whole number/],
    ['a height without its number', ['--height'], /Not enough arguments following: height/],
    ['a zero hashrate', ['--header', BLOCK_100000.hex, '--hashrate', '0'], /--hashrate: must be a finite number above zero, got 0/],
    ['a hashrate that is not one', ['--header', BLOCK_100000.hex, '--hashrate', 'fast'], /--hashrate: not a hashrate: "fast"/],
    ['both --hashrate and --measure', ['--header', BLOCK_100000.hex, '--hashrate', '5', '--measure'], /mutually exclusive/],
    ['a measurement too long', ['--header', BLOCK_100000.hex, '--seconds', '1000'], /--seconds: a measurement of at most 60 s is plenty, got 1000/],
    ['an invalid compact target', ['--header', `${'00'.repeat(72)}ffff80ff00000000`], /invalid compact target 0xff80ffff/],
  ])('%s: one line on stderr, exit 2', async (_name, args, message) => {
    const result = await runCli(['explain', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
