/**
 * The GPU from the command line: grind, mine and bench on webgpu (llvmpipe on CI), and what a machine
 * without an adapter or without the package sees. "No adapter" is simulated with the test-only hook
 * POWLAB_TEST_WEBGPU (src/hash/webgpu-node.ts), which hides every adapter or the package itself.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import vectors from '../vectors/headers.json' with { type: 'json' };
import { runCli } from '../helpers/run-cli.js';

const packageMissing = await import('webgpu').then(
  () => false,
  (error: NodeJS.ErrnoException) => error.code === 'ERR_MODULE_NOT_FOUND',
);
if (packageMissing) console.warn('webgpu CLI tests skipped: the optional webgpu package is not installed');

/** Dawn itself writes warnings to stderr (its OpenGL ES limits); powlab's own lines start with "powlab:" or are plain text. */
const withoutDawnWarnings = (stderr: string) =>
  stderr
    .split('\n')
    .filter((line) => line !== '' && !/^Warning: |^\s+at |^ - While /.test(line))
    .join('\n');

const genesis = vectors.valid.find((v) => v.chain === 'main')!;
const withZeroNonce = (hex: string) => `${hex.slice(0, 152)}00000000`;
const root = mkdtempSync(join(tmpdir(), 'powlab-webgpu-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe.skipIf(packageMissing)('powlab on the GPU', () => {
  it('grind --backend webgpu finds the true nonce of the main-net genesis block', async () => {
    const start = genesis.nonce - 1_000_000;
    const result = await runCli([
      'grind',
      '--backend',
      'webgpu',
      '--header',
      withZeroNonce(genesis.hex),
      '--start',
      String(start),
      '--count',
      '1500000',
      '--json',
    ]);
    expect(withoutDawnWarnings(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ nonce: genesis.nonce, hash: genesis.hash, header: genesis.hex });
  });

  it('mine --backend webgpu --blocks 2 mines two blocks on the built-in chain', async () => {
    const datadir = join(root, 'mine');
    const result = await runCli([
      'mine',
      '--backend',
      'webgpu',
      '--blocks',
      '2',
      '--zeros',
      '16',
      '--json',
      '--datadir',
      datadir,
    ]);
    expect(withoutDawnWarnings(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(
      lines.filter((line) => line.height !== undefined && line.block !== undefined).map((line) => line.height),
    ).toEqual([1, 2]);
    const verified = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(verified.code).toBe(0);
  });

  it('bench --backends wasm,webgpu --json names the adapter and measures both', async () => {
    const result = await runCli([
      'bench',
      '--backends',
      'wasm,webgpu',
      '--threads',
      '1',
      '--seconds',
      '0.4',
      '--rounds',
      '3',
      '--json',
    ]);
    // bench may warn that a busy machine spread its rounds: a warning, not a failure.
    expect(
      withoutDawnWarnings(result.stderr)
        .replace(/^powlab: warning: .*$/gm, '')
        .trim(),
    ).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.gpu.name).toMatch(/ via (default|opengles)$/);
    expect(report.results.map((r: { backend: string }) => r.backend)).toEqual(['wasm', 'webgpu']);
    for (const row of report.results) expect(row.hashrate).toBeGreaterThan(0);
  });

  it('--backend auto without --threads says in one line what it does with the GPU', async () => {
    const result = await runCli(['mine', '--blocks', '1', '--zeros', '8', '--datadir', join(root, 'auto')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^(mining on the GPU (alone|too): .+ via (default|opengles) at |not using the GPU: .+ is slower than )/m,
    );
  });
});

describe.each([
  ['no-adapter', /^powlab: --backend: webgpu is unavailable: no GPU adapter \(tried .+\)$/],
  ['no-package', /^powlab: --backend: webgpu is unavailable: the webgpu package cannot load \(.+\)$/],
])('without a GPU (POWLAB_TEST_WEBGPU=%s)', (hook, why) => {
  const env = { POWLAB_TEST_WEBGPU: hook };

  it('--backend webgpu fails in one line with exit 2', async () => {
    const result = await runCli(
      ['grind', '--backend', 'webgpu', '--header', withZeroNonce(genesis.hex), '--count', '1000'],
      { env },
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd()).toMatch(why);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('--backend auto mines on the CPU and says in one line why not on the GPU', async () => {
    const result = await runCli(['mine', '--blocks', '1', '--zeros', '8', '--datadir', join(root, hook)], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ × (noble|js|wasm)\n/);
    const notes = result.stdout.split('\n').filter((line) => line.includes('GPU'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^not using the GPU: (no GPU adapter|the webgpu package cannot load)/);
  });
});
