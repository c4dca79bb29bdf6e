import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('powlab bench', () => {
  it('measures every backend at every thread count and reports ratios from the same run', async () => {
    const run = await runCli(['bench', '--backends', 'noble,wasm', '--threads', '1,2', '--seconds', '0.4', '--rounds', '2', '--json']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version, wasm: 'simd' });
    expect(report.machine.cpu).toEqual(expect.any(String));
    expect(report.complete).toBe(true);
    expect(report.results.map((r: { backend: string; threads: number }) => `${r.backend}/${r.threads}`)).toEqual(['noble/1', 'noble/2', 'wasm/1', 'wasm/2']);
    const rate = (backend: string, threads: number) => report.results.find((r: { backend: string; threads: number }) => r.backend === backend && r.threads === threads);
    for (const result of report.results) {
      expect(result.rounds).toHaveLength(2);
      expect(result.hashrate).toBeGreaterThan(0);
      expect(result.perThread).toBeCloseTo(result.hashrate / result.threads, 6);
      expect(result.scaling).toBeCloseTo(result.hashrate / (result.threads * rate(result.backend, 1).hashrate), 6);
      expect(result.vsNoble).toBeCloseTo(result.hashrate / rate('noble', result.threads).hashrate, 6);
    }
  });

  it('prints a table a person can read', async () => {
    const run = await runCli(['bench', '--backends', 'js', '--threads', '1', '--seconds', '0.2', '--rounds', '1']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^machine .+cores/m);
    expect(run.stdout).toMatch(/^js\s+1\s+[\d.]+ [kM]?H\/s/m);
  });

  it.each([
    [['--backends', 'noble,gpu']],
    [['--backends', 'noble,,js']],
    [['--threads', '0']],
    [['--threads', '1,two']],
    [['--seconds', '0']],
    [['--rounds', '1.5']],
  ])('%j: one line, exit 2', async (args) => {
    const run = await runCli(['bench', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^powlab: --/);
  });
});
