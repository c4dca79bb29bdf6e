import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import * as bitcoin from 'bitcoinjs-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes, readUint32BE } from '../../src/core/bytes.js';
import { REGTEST } from '../../src/core/params.js';
import { digestWordsToBytes, SHA256_IV, sha256Compress } from '../../src/core/sha256.js';
import type { MinedBlock } from '../../src/sources/chain.js';
import vectors from '../vectors/headers.json' with { type: 'json' };
import { miningLines, runCli } from '../helpers/run-cli.js';

const BLOCK_100000 = vectors.valid[2];
const BLOCK_FILE = fileURLToPath(new URL('../vectors/blocks/mainnet-100000.hex', import.meta.url));
const BLOCK_HEX = readFileSync(BLOCK_FILE, 'utf8').trim();

function midstateOf(header: Uint8Array): string {
  const state = Uint32Array.from(SHA256_IV);
  sha256Compress(
    state,
    Array.from({ length: 16 }, (_, t) => readUint32BE(header, 4 * t)),
  );
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
    const e = await explainJson([
      '--header',
      vectors.valid[0].hex,
      '--header',
      BLOCK_100000.hex,
      '--hashrate',
      '1000000',
    ]);
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
      `midstate = compress(initial state, chunk 1)`,
      'chunk 2, bytes 64..79, padding',
      midstateOf(hexToBytes(BLOCK_100000.hex)).match(/.{8}/g)!.join(' '),
      'bits 0x1b04864c: exponent 0x1b (27), mantissa 0x04864c',
      'target 000000000004864c000000000000000000000000000000000000000000000000',
      'a valid proof of work',
      'difficulty = difficulty-1 target / target = 14,484.2',
      'at 2.00 MH/s, as given with --hashrate',
      'extranonce',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).not.toContain('\x1b[');
    expect(text).not.toMatch(/block [12]\b/);
  });

  it('keeps every step its number when a header alone has no step 2', async () => {
    const headerOnly = (await runCli(['explain', '--header', BLOCK_100000.hex, '--hashrate', '2e6'])).stdout;
    const whole = (await runCli(['explain', '--block', BLOCK_HEX, '--hashrate', '2e6'])).stdout;
    const steps = (text: string) => text.split('\n').filter((line) => /^\d\. /.test(line));
    expect(steps(headerOnly)).toEqual(steps(whole));
    expect(steps(headerOnly).map((line) => line.split('.')[0])).toEqual(['1', '2', '3', '4', '5', '6', '7', '8']);
    expect(steps(headerOnly)[6]).toBe('7. Difficulty and the odds');
    expect(headerOnly).toContain('a header alone does not carry its transactions');
  });

  it('words every chance one way: 1 in N when tiny, a percent otherwise', async () => {
    const text = (await runCli(['explain', '--header', BLOCK_100000.hex, '--hashrate', '2e6'])).stdout;
    expect(text).toContain('chance one hash wins = (target + 1) / 2^256 = 1 in 62.2 trillion');
    expect(text).toContain("A block takes expected hashes / 2^32 = 14,484.4 headers' worth of nonces on average.");
    expect(text.replace(/\s+/g, ' ')).toContain(
      'The chance that one header holds a winning nonce is 1 - (1 - p)^(2^32) = 1 in 14,500, so the chance that all its 2^32 nonces fail is 99.9931%. When they do, the miner changes the extranonce',
    );
    expect(text).toContain('chance of a block within the next hour 0.012%');
  });

  it('step 8 at an easy target: a chance too small for a float in powers of ten, never 0%', async () => {
    const text = (await runCli(['explain', '--hashrate', '2e6', '--datadir', join(tmpdir(), 'powlab-no-chain')]))
      .stdout;
    const step8Lines = text.slice(text.indexOf('8. When the nonces run out')).split('\n');
    const step8 = step8Lines.join(' ').replace(/\s+/g, ' ');
    expect(step8).toContain("= 4.657e-10 headers' worth of nonces on average.");
    expect(step8).toMatch(
      /fail is \(1 - p\)\^\(2\^32\) = 1 in 10\^1,292,913,\d{3}, so one header all but surely holds/,
    );
    expect(step8).not.toMatch(/ 0%|>99%/);
    expect(text).toContain('expected hashes per block = 2^256 / (target + 1) = 2 (about difficulty x 2^32)');
    for (const line of step8Lines) expect(line.length).toBeLessThanOrEqual(100);
  });

  it('colours the dump only when asked for and NO_COLOR is unset', async () => {
    const args = ['explain', '--header', BLOCK_100000.hex, '--hashrate', '1'];
    const forced = await runCli(args, { env: { NO_COLOR: '', FORCE_COLOR: '1' } });
    expect(forced.stdout).toContain('\x1b[35m01 00 00 00\x1b[0m');
    const refused = await runCli(args, { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(refused.stdout).not.toContain('\x1b[');
  });
});

describe('powlab explain --block', () => {
  it.each([
    ['a file of hex', () => BLOCK_FILE],
    ['hex on the command line', () => BLOCK_HEX],
  ])('%s: main-net block 100,000, its txids and the merkle tree up to the root in its header', async (_name, block) => {
    const e = await explainJson(['--block', block(), '--hashrate', '1e6']);
    const reference = bitcoin.Block.fromHex(BLOCK_HEX);
    expect(e.hash).toBe(reference.getId());
    expect(e.block.txids).toEqual(reference.transactions!.map((tx) => tx.getId()));
    expect(e.block.merkleLevels.at(-1)).toEqual([
      e.fields.find((f: { name: string }) => f.name === 'merkleRoot').value,
    ]);
    expect(e.block.merkleRootMatchesHeader).toBe(true);
    expect(e.block.coinbase.outputs[0]).toMatchObject({ value: 5e9, address: '1HWqMzw1jfpXb3xyuUZ4uWXY4tqL2cW47J' });
  });

  it('as text: the txids, each level of the tree, the coinbase output, and what the block cannot say', async () => {
    const result = await runCli(['explain', '--block', BLOCK_FILE, '--hashrate', '1e6']);
    expect(result.code).toBe(0);
    for (const expected of [
      'level 0, the txids:',
      '8c14f0db3df150123e6f3dbbf30f8b955a8249b62ac1d1ff16284aefa3d06d87',
      'e9a66845e05d5abc0ad04ec80f774a7e585c6e8db975962d069a522137b80c1d',
      'level 1, 2 hashes:',
      'level 2, the root:',
      'merkle root f3e94742aca4b5ef85488dc37c06c3282295ffec960994b2c0d5ac2a25a95766 matches the header',
      '50.00000000 BTC  to a public key (P2PK), whose address is 1HWqMzw1jfpXb3xyuUZ4uWXY4tqL2cW47J',
      'no BIP 34 height',
      'not in this block',
    ]) {
      expect(result.stdout).toContain(expected);
    }
  });

  it.each([
    ['a missing file', ['--block', 'no-such-block.hex'], /--block: neither a block in hex nor a file that can be read/],
    ['a truncated block', ['--block', BLOCK_HEX.slice(0, 400)], /block/],
    [
      'both --block and --header',
      ['--block', BLOCK_HEX, '--header', BLOCK_100000.hex],
      /give --header or --block, not both/,
    ],
  ])('%s: one line on stderr, exit 2', async (_name, args, message) => {
    const result = await runCli(['explain', '--hashrate', '1', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('powlab explain on the built-in chain', () => {
  let root: string;
  let datadir: string;
  let mined: MinedBlock[];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'powlab-explain-'));
    datadir = join(root, 'regtest');
    const result = await runCli([
      'mine',
      '--zeros',
      '8',
      '--blocks',
      '2',
      '--json',
      '--threads',
      '1',
      '--datadir',
      datadir,
    ]);
    expect(result.code).toBe(0);
    mined = miningLines<MinedBlock>(result.stdout).results;
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('--height explains a stored block: its hash, coinbase (BIP 34 height, extranonce) and merkle root', async () => {
    for (const block of mined) {
      const e = await explainJson(['--height', String(block.height), '--datadir', datadir, '--hashrate', '1000']);
      expect(e.source).toEqual({ kind: 'store', datadir, height: block.height, tip: false, chain: 'regtest' });
      expect(e.header).toBe(block.header);
      expect(e.hash).toBe(block.hash);
      expect(e.block.coinbase).toMatchObject({
        bip34Height: block.height,
        extranonceIndex: block.extranonce,
        tag: '/powlab/',
      });
      expect(e.block.merkleRoot).toBe(e.fields.find((f: { name: string }) => f.name === 'merkleRoot').value);
      expect(e.block.merkleRootMatchesHeader).toBe(true);
      expect(e.block.nextExtranonce.index).toBe(block.extranonce + 1);
      expect(e.block.nextExtranonce.merkleRoot).not.toBe(e.block.merkleRoot);
      expect(e.targetLeadingZeroBits).toBe(8);
    }
  });

  it('with neither --header nor --height, explains the tip', async () => {
    const e = await explainJson(['--datadir', datadir, '--hashrate', '1000']);
    expect(e.source).toEqual({ kind: 'store', datadir, height: 2, tip: true, chain: 'regtest' });
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
    [
      'a height beyond the tip',
      () => ['--height', '3', '--datadir', datadir],
      /^powlab: --height: no block at height 3: the chain in .* goes up to 2\n$/,
    ],
    [
      'a height in a datadir with no store',
      () => ['--height', '1', '--datadir', join(root, 'nothing-here')],
      /--height: no block at height 1: the chain in .*nothing-here goes up to 0, the regtest genesis \(powlab mine adds blocks\)/,
    ],
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
    [
      'both --header and --height',
      ['--header', BLOCK_100000.hex, '--height', '1'],
      /give --header or --height, not both/,
    ],
    [
      'a negative height',
      ['--height', '-1'],
      /--height: must be a height in decimal digits, 0 \(the regtest genesis\) or more, got "-1"/,
    ],
    ['a height that is no number', ['--height', 'abc'], /--height: must be a height in decimal digits, .*got "abc"/],
    ['an empty height', ['--height', ''], /--height: must be a height in decimal digits, .*got ""/],
    ['a height in hex', ['--height', '0x1'], /--height: must be a height in decimal digits, .*got "0x1"/],
    ['a height without its number', ['--height'], /^powlab: --height needs a value\n$/],
    [
      'a zero hashrate',
      ['--header', BLOCK_100000.hex, '--hashrate', '0'],
      /--hashrate: must be a finite number above zero, got 0/,
    ],
    [
      'a hashrate that is not one',
      ['--header', BLOCK_100000.hex, '--hashrate', 'fast'],
      /--hashrate: not a hashrate: "fast"/,
    ],
    [
      'both --hashrate and --measure',
      ['--header', BLOCK_100000.hex, '--hashrate', '5', '--measure'],
      /give --hashrate or --measure, not both/,
    ],
    [
      'a measurement too long',
      ['--header', BLOCK_100000.hex, '--seconds', '1000'],
      /--seconds: a measurement of at most 60 s is plenty, got 1000/,
    ],
    [
      'an invalid compact target',
      ['--header', `${'00'.repeat(72)}ffff80ff00000000`],
      /invalid compact target 0xff80ffff/,
    ],
  ])('%s: one line on stderr, exit 2', async (_name, args, message) => {
    const result = await runCli(['explain', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
