import { describe, expect, it } from 'vitest';
import { spreadWarning } from '../../src/cli/bench.js';
import { roundSpread, TRUSTED_SPREAD, type BenchReport, type BenchResult } from '../../src/miner/bench.js';
import { runCli } from '../helpers/run-cli.js';

describe("the spread of a case's rounds", () => {
  it('is the interquartile range over the median, and needs 3 rounds', () => {
    expect(roundSpread([100, 100])).toBeNull();
    expect(roundSpread([90, 100, 110])).toBeCloseTo(0.1, 12);
    // One round ruined by a busy machine moves neither quartile much: robust, unlike max - min.
    expect(roundSpread([100, 101, 99, 100, 100, 102, 98, 100, 10])).toBeLessThan(0.05);
    expect(roundSpread([50, 100, 150, 60, 140])).toBeGreaterThan(TRUSTED_SPREAD);
  });

  const result = (backend: 'noble' | 'js' | 'wasm', threads: number, spread: number | null): BenchResult => ({
    backend,
    threads,
    hashrate: 1,
    perThread: 1,
    scaling: null,
    vsNoble: null,
    rounds: [1, 1, 1],
    spread,
  });
  const report = (results: BenchResult[]): BenchReport => ({
    machine: {} as BenchReport['machine'],
    gpu: null,
    seconds: 1,
    rounds: 3,
    complete: true,
    results,
    notMeasured: [],
    fixedWork: null,
    energy: { unavailable: 'not measured in this test' },
  });

  it('warns in one line, naming the widest case and what to do, only when one is too wide', () => {
    expect(spreadWarning(report([result('js', 1, 0.02), result('wasm', 2, TRUSTED_SPREAD)]))).toBeUndefined();
    const warning = spreadWarning(report([result('js', 1, 0.2), result('wasm', 2, 0.9), result('noble', 1, 0.01)]))!;
    expect(warning).toBe(
      'the rounds of 2 cases spread too wide to trust (wasm on 2 threads: 90%, over 15%): something else is using the CPU; close it, plug in the power, and run again, or give more --seconds',
    );
    expect(warning).not.toContain('\n');
  });
});

describe('powlab bench', () => {
  it('measures every backend at every thread count and reports ratios from the same run', async () => {
    const run = await runCli([
      'bench',
      '--backends',
      'noble,wasm',
      '--threads',
      '1,2',
      '--seconds',
      '0.4',
      '--rounds',
      '2',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    // Two rounds a case are too few to judge their spread by, and bench says so in one line.
    expect(run.stderr).toBe(
      'powlab: warning: fewer than 3 rounds a case: no spread to judge the figures by (give --rounds 8 or more)\n',
    );
    const report = JSON.parse(run.stdout);
    expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version, wasm: 'simd' });
    expect(report.machine.cpu).toEqual(expect.any(String));
    expect(report.complete).toBe(true);
    expect(report.results.map((r: { backend: string; threads: number }) => `${r.backend}/${r.threads}`)).toEqual([
      'noble/1',
      'noble/2',
      'wasm/1',
      'wasm/2',
    ]);
    const rate = (backend: string, threads: number) =>
      report.results.find((r: { backend: string; threads: number }) => r.backend === backend && r.threads === threads);
    for (const result of report.results) {
      expect(result.rounds).toHaveLength(2);
      expect(result.spread).toBeNull();
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

  it("reports each case's spread beside its median, in the table and the JSON", async () => {
    const run = await runCli(['bench', '--backends', 'js', '--threads', '1', '--seconds', '0.6', '--rounds', '4']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/spread/);
    expect(run.stdout).toMatch(/^js\s+1\s+[\d.]+ [kM]?H\/s.* \d+%\s+[\d.]+ [kM]?H\/s - /m);
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
