// `bench --svg`: the report as a bar chart, one bar a row, the machine and method named above them.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchSvg } from '../../src/cli/bench-svg.js';
import type { BenchReport, BenchResult } from '../../src/miner/bench.js';
import { runCli } from '../helpers/run-cli.js';

const folder = mkdtempSync(join(tmpdir(), 'powlab-bench-svg-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const row = (backend: BenchResult['backend'], threads: number, hashrate: number): BenchResult => ({
  backend,
  threads,
  hashrate,
  perThread: hashrate / threads,
  scaling: null,
  vsNoble: null,
  rounds: [hashrate],
  spread: null,
  energy: { watts: 20, joulesPerTerahash: (20 / hashrate) * 1e12, hashesPerJoule: hashrate / 20 },
});

const report: BenchReport = {
  machine: {
    cpu: 'Fast <CPU> & Co',
    cores: 8,
    cpuFlags: ['sse4_1', 'avx2'],
    platform: 'linux',
    arch: 'x64',
    memoryGiB: 16,
    node: 'v20.20.2',
    v8: '11.3',
    wasm: 'simd',
  },
  gpu: null,
  seconds: 4,
  rounds: 8,
  complete: true,
  results: [row('js', 1, 1e6), row('wasm', 1, 4e6), row('wasm', 8, 2e7)],
  notMeasured: [],
  energy: { source: 'given: 20 W' },
  fixedWork: null,
};

describe('bench as an SVG chart', () => {
  it('draws one bar a row, as long as its hashrate against the fastest, named and valued', () => {
    const svg = benchSvg(report);
    const widths = [...svg.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)"/g)].map((match) => Number(match[1]));
    expect(widths).toHaveLength(3);
    expect(widths[0] / widths[2]).toBeCloseTo(1e6 / 2e7, 2);
    expect(widths[1] / widths[2]).toBeCloseTo(4e6 / 2e7, 2);
    expect(svg).toContain('>wasm × 8 threads</text>');
    expect(svg).toContain('>20.0 MH/s, 1,000,000 J/TH</text>');
    // The machine named above the bars, escaped as XML wants.
    expect(svg).toContain('Fast &lt;CPU&gt; &amp; Co, 8 cores [sse4_1 avx2], Node v20.20.2, wasm simd');
    expect(svg).toContain('8 interleaved rounds of 0.50 s; the median round; energy: given: 20 W');
    expect(svg).not.toMatch(/<CPU>|& Co/);
  });

  it('says so when the fixed workload checksums disagree', () => {
    const fixed = benchSvg({
      ...report,
      fixedWork: { millions: 16, noncesPerHeader: 1_000_000, targetZeroBits: 16, checksum: null },
    });
    expect(fixed).toContain('fixed work: 16 million nonces, checksum DISAGREES between rows');
  });

  it('powlab bench --svg FILE writes the chart of the run, and refuses a folder that is not there before measuring', async () => {
    const file = join(folder, 'bench.svg');
    const run = await runCli([
      'bench',
      '--backends',
      'js',
      '--threads',
      '1',
      '--seconds',
      '0.2',
      '--rounds',
      '1',
      '--svg',
      file,
    ]);
    expect(run.code, run.stderr).toBe(0);
    const svg = readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>js × 1 thread</text>');
    const missing = await runCli(['bench', '--svg', join(folder, 'no', 'bench.svg')]);
    expect(missing.stdout).toBe('');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe(
      `powlab: --svg: no folder ${join(folder, 'no')} to write ${join(folder, 'no', 'bench.svg')} into\n`,
    );
  });

  it('bench --from FILE draws a saved --json report again without measuring, and says which file is no report', async () => {
    const saved = join(folder, 'saved.json');
    writeFileSync(saved, JSON.stringify(report));
    const drawn = join(folder, 'saved.svg');
    const run = await runCli(['bench', '--from', saved, '--svg', drawn]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^wasm\s+8\s+20\.0 MH\/s/m);
    expect(readFileSync(drawn, 'utf8')).toBe(benchSvg(report));
    writeFileSync(join(folder, 'other.json'), '{"results": 3}');
    const other = await runCli(['bench', '--from', join(folder, 'other.json')]);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe(
      `powlab: --from: ${join(folder, 'other.json')} is not a report of powlab bench --json (no "machine" and "results")\n`,
    );
  });
});
