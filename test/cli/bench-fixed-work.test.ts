// `bench --fixed-work`: the published workload (docs/fixed-work.md), its checksum recomputed here
// from the recipe alone with @noble/hashes, and compared with every row of two runs.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { checksumProblem } from '../../src/cli/bench.js';
import type { BenchReport } from '../../src/miner/bench.js';
import { runCli } from '../helpers/run-cli.js';

/** The recipe of docs/fixed-work.md, written out again without powlab's code. */
function expectedChecksum(millions: number): { found: number; lowest: string | null; digest: string } {
  const header = new Uint8Array(80);
  const view = new DataView(header.buffer);
  view.setUint32(0, 0x20000000, true);
  view.setUint32(68, 1_700_000_000, true);
  view.setUint32(72, 0x1d00ffff, true);
  const lines: string[] = [];
  let lowest: string | null = null;
  for (let index = 0; index < millions; index++) {
    header.set(sha256(new TextEncoder().encode(`powlab fixed work ${index}`)), 36);
    for (let nonce = 0; nonce < 1_000_000; nonce++) {
      view.setUint32(76, nonce, true);
      const hash = sha256(sha256(header));
      // 16 leading zero bits of the hash read as a number: its last two bytes in internal order.
      if (hash[31] !== 0 || hash[30] !== 0) continue;
      lines.push(`${index}:${nonce}\n`);
      const display = bytesToHex(hash.reverse());
      if (lowest === null || display < lowest) lowest = display;
    }
  }
  const digest = bytesToHex(sha256(new TextEncoder().encode(lines.join('')))).slice(0, 16);
  return { found: lines.length, lowest, digest };
}

describe('powlab bench --fixed-work', () => {
  it('gives every row of two runs the checksum the published recipe gives', { timeout: 240_000 }, async () => {
    const args = ['bench', '--fixed-work', '1', '--backends', 'js,wasm', '--threads', '1,2', '--json'];
    const runs = [await runCli(args, { timeoutMs: 120_000 }), await runCli(args, { timeoutMs: 120_000 })];
    const expected = expectedChecksum(1);
    expect(expected.found).toBeGreaterThan(0);
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stderr).toBe('');
      const report = JSON.parse(run.stdout);
      expect(report.fixedWork).toEqual({
        millions: 1,
        noncesPerHeader: 1_000_000,
        targetZeroBits: 16,
        checksum: expected,
      });
      expect(report.results.map((r: { backend: string; threads: number }) => `${r.backend}/${r.threads}`)).toEqual([
        'js/1',
        'js/2',
        'wasm/1',
        'wasm/2',
      ]);
      for (const result of report.results) {
        expect(result.fixedWork.checksum).toEqual(expected);
        expect(result.hashrate).toBeCloseTo(1_000_000 / result.fixedWork.seconds, 0);
      }
    }
  });

  it('names the rows and says a backend hashes wrong when the checksums disagree', () => {
    const row = (backend: 'js' | 'wasm', found: number) => ({
      backend,
      threads: 1,
      hashrate: 1,
      perThread: 1,
      scaling: null,
      vsNoble: null,
      rounds: [1],
      spread: null,
      fixedWork: { seconds: 1, checksum: { found, lowest: null, digest: `${found}`.padStart(16, '0') } },
    });
    const report: BenchReport = {
      machine: {} as BenchReport['machine'],
      gpu: null,
      seconds: 4,
      rounds: 1,
      complete: true,
      results: [row('js', 17), row('wasm', 16)],
      notMeasured: [],
      energy: { unavailable: 'not measured in this test' },
      fixedWork: { millions: 1, noncesPerHeader: 1_000_000, targetZeroBits: 16, checksum: null },
    };
    expect(checksumProblem(report)).toBe(
      "the fixed workload's checksums disagree (js on 1 thread: 17 found, 0000000000000017; wasm on 1 thread: 16 found, 0000000000000016, or a row's rounds differ): a backend hashes wrong; report it with this line",
    );
    expect(
      checksumProblem({ ...report, fixedWork: { ...report.fixedWork!, checksum: row('js', 17).fixedWork.checksum } }),
    ).toBeUndefined();
  });

  it.each([['0'], ['1.5'], ['1001']])('--fixed-work %s: one line, exit 2', async (value) => {
    const run = await runCli(['bench', '--fixed-work', value]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /^powlab: --fixed-work: must be a whole number of millions from 1 to 1000, got [\d.]+\n$/,
    );
  });
});
