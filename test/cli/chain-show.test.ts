// powlab chain list / chain show / chain verify's wording, on blocks just mined.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as bitcoin from 'bitcoinjs-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGTEST } from '../../src/core/params.js';
import type { MinedBlock } from '../../src/sources/chain.js';
import { miningLines, runCli } from '../helpers/run-cli.js';

const PAYEE = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';

describe('powlab chain list and chain show', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-chain-show-'));
  const datadir = join(root, 'regtest');
  let mined: MinedBlock[];

  beforeAll(async () => {
    const result = await runCli([
      'mine',
      '--zeros',
      '8',
      '--blocks',
      '2',
      '--json',
      '--threads',
      '1',
      '--address',
      PAYEE,
      '--datadir',
      datadir,
    ]);
    expect(result.code).toBe(0);
    mined = miningLines<MinedBlock>(result.stdout).results;
    expect(mined).toHaveLength(2);
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('show: the coinbase value and payee of a mined block, as bitcoinjs-lib reads the block', async () => {
    const result = await runCli(['chain', 'show', '2', '--json', '--datadir', datadir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const shown = JSON.parse(result.stdout);
    const reference = bitcoin.Block.fromHex(mined[1].block);
    const out = reference.transactions![0].outs[0];
    expect(shown.height).toBe(2);
    expect(shown.header.hash).toBe(mined[1].hash);
    expect(shown.block.coinbase.outputs[0]).toMatchObject({ value: Number(out.value), type: 'p2wpkh', address: PAYEE });
    expect(bitcoin.address.fromOutputScript(out.script, bitcoin.networks.regtest)).toBe(PAYEE);
    expect(shown.block.reward).toEqual({ coinbaseValue: 5_000_000_000, subsidy: 5_000_000_000, claimedFees: 0 });
    expect(shown.block.transactionList.map((tx: { txid: string }) => tx.txid)).toEqual(
      reference.transactions!.map((tx) => tx.getId()),
    );
  });

  it('show as text: header fields, what the coinbase pays and to whom, every transaction', async () => {
    const result = await runCli(['chain', 'show', '1', '--datadir', datadir]);
    expect(result.code).toBe(0);
    for (const expected of [
      `hash         ${mined[0].hash}`,
      `prev hash    ${REGTEST.genesisHashHex}`,
      `nonce        ${mined[0].nonce}`,
      'BIP 34 height 1',
      `50.00000000 BTC  to ${PAYEE} (P2WPKH)`,
      'transactions (1)',
    ]) {
      expect(result.stdout).toContain(expected);
    }
  });

  it('list: the genesis and each block, with its coinbase value and payee', async () => {
    const result = await runCli(['chain', 'list', '--json', '--datadir', datadir]);
    expect(result.code).toBe(0);
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(rows.map((row) => row.hash)).toEqual([REGTEST.genesisHashHex, ...mined.map((b) => b.hash)]);
    expect(rows.slice(1).map((row) => [row.coinbaseValue, row.payee])).toEqual([
      [5e9, PAYEE],
      [5e9, PAYEE],
    ]);
  });

  it.each([[['chain', 'show', '3'], /^powlab: chain show: no block at height 3: the chain in .* goes up to 2\n$/]])(
    '%j: one line on stderr, exit 2',
    async (args, message) => {
      const result = await runCli([...args, '--datadir', datadir]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    },
  );

  it('verify counts in words: 1 block, 2 blocks', async () => {
    const one = join(root, 'one');
    expect((await runCli(['mine', '--zeros', '8', '--blocks', '1', '--threads', '1', '--datadir', one])).code).toBe(0);
    expect((await runCli(['chain', 'verify', '--datadir', one])).stdout).toMatch(/^ok: 1 block in /);
    expect((await runCli(['chain', 'verify', '--datadir', datadir])).stdout).toMatch(/^ok: 2 blocks in /);
  });
});
