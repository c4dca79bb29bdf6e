import { describe, expect, it } from 'vitest';
import vectors from '../vectors/headers.json' with { type: 'json' };
import { runCli } from '../helpers/run-cli.js';

const withZeroNonce = (hex: string) => `${hex.slice(0, 152)}00000000`;

describe('powlab grind', () => {
  const mainnet = vectors.valid.filter((v) => v.chain === 'main');

  it.each(mainnet)('finds the true nonce of $description in a window around it, on 2 threads', async (v) => {
    const start = Math.max(0, v.nonce - 150_000);
    const result = await runCli([
      'grind',
      '--header',
      withZeroNonce(v.hex),
      '--start',
      String(start),
      '--count',
      '200000',
      '--threads',
      '2',
      '--json',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const found = JSON.parse(result.stdout);
    expect(found).toMatchObject({ nonce: v.nonce, hash: v.hash, header: v.hex });
    expect(found.hashes).toBeGreaterThan(0);
    expect(found.hashrate).toBeGreaterThan(0);
  });

  it('off a terminal too: the header alone on stdout, the nonce and hash on stderr, one hash in the singular', async () => {
    const v = mainnet[0];
    const result = await runCli([
      ...['grind', '--header', withZeroNonce(v.hex), '--start', String(v.nonce), '--count', '1'],
      ...['--threads', '1', '--backend', 'wasm'],
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${v.hex}\n`);
    expect(result.stderr).toMatch(new RegExp(`^nonce ${v.nonce} gives ${v.hash} after 1 hash in [^\n]+\n$`));
  });

  it('exits 1 when the range holds no solution', async () => {
    const v = mainnet[1];
    const result = await runCli([
      'grind',
      '--header',
      withZeroNonce(v.hex),
      '--start',
      String(v.nonce + 1),
      '--count',
      '50000',
      '--threads',
      '2',
    ]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no nonce in .* meets the target/);
  });

  it('takes a target from --zeros, ignoring the header bits', async () => {
    const v = mainnet[0];
    const result = await runCli(['grind', '--header', v.hex, '--zeros', '12', '--threads', '2', '--json']);
    expect(result.code).toBe(0);
    expect(BigInt(`0x${JSON.parse(result.stdout).hash}`) < 1n << 244n).toBe(true);
  });

  it.each([
    [['--header', 'abcd'], /header must be 80 bytes/],
    [['--header', vectors.valid[0].hex, '--start', '-1'], /--start/],
    [['--header', vectors.valid[0].hex, '--start', '4294967295', '--count', '2'], /--count/],
    [['--header', vectors.valid[0].hex, '--zeros', '8', '--bits', '1d00ffff'], /only one of/],
    [['--header', vectors.valid[0].hex, '--target', '0'], /--target: must be above zero/],
    [['--header', vectors.valid[0].hex, '--zeros'], /^powlab: --zeros needs a value\n$/],
    [
      ['--header', vectors.valid[0].hex, '--count', '10', '--no-such-option'],
      /^powlab: not understood: --no-such-option \(--help lists/,
    ],
  ])('%j: one line, exit 2', async (args, message) => {
    const result = await runCli(['grind', ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
