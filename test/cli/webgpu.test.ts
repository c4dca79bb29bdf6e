/**
 * The GPU from the command line: grind, mine and bench on webgpu (llvmpipe on CI), and what a machine
 * without an adapter or without the package sees. "No adapter" is simulated with the test-only hook
 * POWLAB_TEST_WEBGPU (src/hash/webgpu-node.ts), which hides every adapter or the package itself.
 * Dawn writes warnings from native code (on OpenGL ES: "... artificially reduced ..."); powlab keeps
 * Dawn in a process of its own, so none may reach stderr.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import vectors from '../vectors/headers.json' with { type: 'json' };
import { miningLines, runCli } from '../helpers/run-cli.js';

const packageMissing = await import('webgpu').then(
  () => false,
  (error: NodeJS.ErrnoException) => error.code === 'ERR_MODULE_NOT_FOUND',
);
if (packageMissing) console.warn('webgpu CLI tests skipped: the optional webgpu package is not installed');

/** A bench run may warn, in one line of ours, that its rounds are too few or too spread to judge: a warning, not a failure. */
const withoutSpreadWarning = (stderr: string) => stderr.replace(/^powlab: warning: .*\n/m, '');

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
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ nonce: genesis.nonce, hash: genesis.hash, header: genesis.hex });
  });

  it('mine --backend webgpu --zeros 12 --blocks 100: every block counts its hashes, as many as the odds say, on the adapter as it reports itself', async () => {
    const datadir = join(root, 'mine');
    const result = await runCli([
      'mine',
      '--backend',
      'webgpu',
      '--blocks',
      '100',
      '--zeros',
      '12',
      '--json',
      '--datadir',
      datadir,
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const { results, summary } = miningLines<{ height: number; hashes: number; adapter: unknown }>(result.stdout);
    expect(results.map((block) => block.height)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    // Each block's hashes run up to and including its find: never 0.
    expect(Math.min(...results.map((block) => block.hashes))).toBeGreaterThanOrEqual(1);
    // Hashes to a find are exponential with mean 2^12, so the mean of 100 has a standard deviation of 2^12 / 10.
    const mean = results.reduce((sum, block) => sum + block.hashes, 0) / results.length;
    expect(Math.abs(mean - 2 ** 12)).toBeLessThan(4 * (2 ** 12 / 10));
    // The nonces hashed past each find are work done: in the run's total, not in any block's count.
    expect(summary!.hashes as number).toBeGreaterThanOrEqual(results.reduce((sum, block) => sum + block.hashes, 0));
    const adapter = summary!.adapter as Record<string, unknown>;
    expect(Object.keys(adapter).sort()).toEqual(['architecture', 'description', 'device', 'software', 'vendor', 'via']);
    for (const block of results) expect(block.adapter).toEqual(adapter);
    const verified = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(verified.code).toBe(0);

    // On a software renderer (CI's llvmpipe), --backend webgpu says so, and mine's default never uses it.
    if (adapter.software !== true) return;
    const told = await runCli([
      'mine',
      '--backend',
      'webgpu',
      '--blocks',
      '1',
      '--zeros',
      '8',
      '--datadir',
      join(root, 'told'),
    ]);
    expect(told.stderr).toBe('');
    expect(told.stdout.split('\n').filter((line) => line.includes('software renderer'))).toEqual([
      expect.stringMatching(
        /^webgpu on (llvmpipe|lavapipe|softpipe|swiftshader|warp|basic render|a fallback adapter), a software renderer on the CPU, not a GPU: /,
      ),
    ]);
    const byDefault = await runCli([
      'mine',
      '--blocks',
      '1',
      '--zeros',
      '8',
      '--json',
      '--datadir',
      join(root, 'default'),
    ]);
    expect(byDefault.stderr).toBe('');
    const { summary: defaultSummary } = miningLines(byDefault.stdout);
    expect(defaultSummary!.backend).not.toBe('webgpu');
    expect(defaultSummary!.adapter).toBeUndefined();
  });

  it('bench --backends wasm,webgpu --json gives the webgpu entry its adapter, as reported', async () => {
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
    expect(withoutSpreadWarning(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.gpu.name).toMatch(/ via (default|opengles)$/);
    expect(report.results.map((r: { backend: string }) => r.backend)).toEqual(['wasm', 'webgpu']);
    for (const row of report.results) expect(row.hashrate).toBeGreaterThan(0);
    const [wasm, webgpu] = report.results;
    expect(wasm.adapter).toBeUndefined();
    expect(webgpu.adapter).toMatchObject({
      vendor: expect.any(String),
      architecture: expect.any(String),
      description: expect.any(String),
      software: expect.any(Boolean),
    });
  });

  it('bench without --backends measures every backend, webgpu included, as the README says', async () => {
    const result = await runCli(['bench', '--threads', '1', '--seconds', '0.2', '--rounds', '1', '--json']);
    expect(withoutSpreadWarning(result.stderr)).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.results.map((r: { backend: string }) => r.backend)).toEqual(['noble', 'js', 'wasm', 'webgpu']);
    expect(report.notMeasured).toEqual([]);
  });

  it('--backend auto without --threads says in one line what it does with the GPU', async () => {
    const result = await runCli(['mine', '--blocks', '1', '--zeros', '8', '--datadir', join(root, 'auto')]);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const notes = result.stdout.split('\n').filter((line) => line.includes('GPU'));
    expect(notes).toEqual([
      expect.stringMatching(
        /^(mining on the GPU too: .+ measured over .+ and the GPU, against .+|not using the GPU: (.+ adds nothing; .+|webgpu on .+, a software renderer on the CPU, not a GPU: .+))$/,
      ),
    ]);
  });
});

describe.each([
  ['no-adapter', /^powlab: webgpu is unavailable: no GPU adapter \(tried .+\)$/],
  ['no-package', /^powlab: webgpu is unavailable: the webgpu package cannot load \(.+\)$/],
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

  it('bench without --backends measures the CPU backends and says in one line why not webgpu', async () => {
    const result = await runCli(['bench', '--threads', '1', '--seconds', '0.2', '--rounds', '1'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^webgpu +not measured: (no GPU adapter|the webgpu package cannot load) /m);
    const json = await runCli(['bench', '--threads', '1', '--seconds', '0.2', '--rounds', '1', '--json'], { env });
    const report = JSON.parse(json.stdout);
    expect(report.results.map((r: { backend: string }) => r.backend)).toEqual(['noble', 'js', 'wasm']);
    expect(report.notMeasured).toEqual([
      { backend: 'webgpu', reason: expect.stringMatching(/^(no GPU adapter|the webgpu package cannot load) /) },
    ]);
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
