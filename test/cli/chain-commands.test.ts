// How `powlab chain` answers a student who has not mined yet, or who names a block oddly (issue 20).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REGTEST } from '../../src/core/params.js';
import { runCli, type CliResult } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-chain-commands-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** One line on stderr, exit 2, and none of the words a student should never meet. */
function expectOneClearLine(result: CliResult): string {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(result.stderr).not.toMatch(/NaN|ENOENT|non-option|Unknown argument|\n\s+at /);
  return lines[0];
}

describe('powlab chain with no command', () => {
  it('names the commands it takes, in one line, exit 2', async () => {
    const line = expectOneClearLine(await runCli(['chain']));
    expect(line).toBe(
      'powlab: chain needs a command: list, show N, verify, export, submit or tree (powlab chain --help says more)',
    );
  });

  it('names an unknown chain command as typed', async () => {
    const line = expectOneClearLine(await runCli(['chain', 'shw']));
    expect(line).toMatch(/^powlab: unknown command shw: did you mean show\?$/);
  });
});

describe('powlab chain show: what names a block', () => {
  const datadir = join(root, 'never-mined');

  it.each([['abc'], [''], ['0x1'], ['1e0'], ['+1'], ['1.0']])(
    '%j is no height: the line says what is taken, from 0 to the tip',
    async (name) => {
      const line = expectOneClearLine(await runCli(['chain', 'show', name, '--datadir', datadir]));
      expect(line).toBe(
        `powlab: chain show: ${JSON.stringify(name)} names no block: give a height from 0 to 0, or a block hash (64 hex digits)`,
      );
    },
  );

  it('no block named at all: the same words', async () => {
    const line = expectOneClearLine(await runCli(['chain', 'show', '--datadir', datadir]));
    expect(line).toBe('powlab: chain show: name a block: a height from 0 to 0, or a block hash (64 hex digits)');
  });

  it('a height above the tip says where the chain ends', async () => {
    const line = expectOneClearLine(await runCli(['chain', 'show', '1', '--datadir', datadir]));
    expect(line).toMatch(
      /^powlab: chain show: no block at height 1: the chain in .* goes up to 0, the regtest genesis/,
    );
  });

  it('the genesis by height and by its hash', async () => {
    for (const name of ['0', REGTEST.genesisHashHex, REGTEST.genesisHashHex.toUpperCase()]) {
      const result = await runCli(['chain', 'show', name, '--json', '--datadir', datadir]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout)).toMatchObject({ height: 0, header: { hash: REGTEST.genesisHashHex } });
    }
  });

  it('a hash that is in no block of the chain', async () => {
    const line = expectOneClearLine(await runCli(['chain', 'show', 'ab'.repeat(32), '--datadir', datadir]));
    expect(line).toMatch(/^powlab: chain show: no block abab.* in the chain in /);
  });
});

describe('powlab chain verify and chain list agree before any block is mined', () => {
  const empty = join(root, 'empty');
  mkdirSync(empty);
  const missing = join(root, 'does-not-exist');

  it.each([
    ['an empty datadir', empty],
    ['a datadir that does not exist', missing],
  ])('%s: list shows the genesis alone, verify finds nothing wrong, exit 0', async (_name, datadir) => {
    const list = await runCli(['chain', 'list', '--datadir', datadir]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/: 0 blocks after the genesis\n/);

    const verify = await runCli(['chain', 'verify', '--datadir', datadir]);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toBe(`ok: 0 blocks after the genesis in ${datadir}: nothing to check yet\n`);

    const json = await runCli(['chain', 'verify', '--json', '--datadir', datadir]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      ok: true,
      network: 'regtest',
      blocks: 0,
      height: 0,
      stale: 0,
      tip: null,
    });
  });
});
