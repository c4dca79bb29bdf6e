/** `powlab bench`: the table (or JSON) of every backend at every thread count, with its ratios. */
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, resolve } from 'node:path';
import { BACKEND_NAMES, type BackendName } from '../hash/backend.js';
import { Errors } from '../errors.js';
import { runBench, TRUSTED_SPREAD, type BenchReport, type Machine } from '../miner/bench.js';
import { openEnergyMeter } from './energy.js';
import { benchSvg } from './bench-svg.js';
import { writeFileAtomically } from '../storage/durable.js';
import { MAX_FIXED_MILLIONS, type FixedWorkChecksum } from '../miner/fixed-work.js';
import { checkThreads } from '../miner/options.js';
import type { BenchArgs } from './bench-options.js';
import { nodeThreads } from '../worker/node-threads.js';
import { describeMachine } from './machine.js';
import { interruptSignal } from './mining.js';
import { countOf, formatHashrate, formatNumber } from '../format/numbers.js';
import { softwareNote } from '../hash/webgpu.js';
import { paint, printJson, StatusLine } from './output.js';

function parseList<T>(option: string, text: string, parse: (item: string) => T): T[] {
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => item === ''))
    throw Errors.badOption(option, `expected a comma-separated list, got "${text}"`);
  return [...new Set(items.map(parse))];
}

export function benchPlan(args: BenchArgs): {
  backends: BackendName[];
  optional: BackendName[];
  threads: number[];
  seconds: number;
  rounds: number;
  fixedWork?: number;
  watts?: number;
} {
  // Every backend by default, as the README says; the GPU only where an adapter opens.
  if (args.backends === undefined)
    return { ...benchPlan({ ...args, backends: BACKEND_NAMES.join(',') }), optional: ['webgpu'] };
  const backends = parseList('backends', args.backends, (name) => {
    if (!(BACKEND_NAMES as readonly string[]).includes(name))
      throw Errors.badOption('backends', `unknown backend ${name} (known: ${BACKEND_NAMES.join(', ')})`);
    return name as BackendName;
  });
  const threads = parseList('threads', args.threads ?? `1,${availableParallelism()}`, (item) => {
    if (!/^\d+$/.test(item))
      throw Errors.badOption('threads', `each thread count must be a whole number, got "${item}"`);
    return checkThreads(Number(item), availableParallelism());
  });
  if (!(args.seconds > 0 && args.seconds <= 3600))
    throw Errors.badOption('seconds', `must be more than 0 and at most 3600, got ${args.seconds}`);
  const fixedWork = args.fixedWork;
  if (fixedWork !== undefined && !(Number.isInteger(fixedWork) && fixedWork >= 1 && fixedWork <= MAX_FIXED_MILLIONS))
    throw Errors.badOption(
      'fixed-work',
      `must be a whole number of millions from 1 to ${MAX_FIXED_MILLIONS}, got ${fixedWork}`,
    );
  if (args.watts !== undefined && !(args.watts > 0 && Number.isFinite(args.watts)))
    throw Errors.badOption('watts', `must be a number of watts above 0, got ${args.watts}`);
  const rounds = args.rounds ?? (fixedWork ? 1 : 8);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 100)
    throw Errors.badOption('rounds', `must be a whole number from 1 to 100, got ${rounds}`);
  return {
    backends,
    optional: [],
    threads,
    seconds: args.seconds,
    rounds,
    ...(fixedWork ? { fixedWork } : {}),
    ...(args.watts ? { watts: args.watts } : {}),
  };
}

/** "AMD EPYC, 2 cores (2 physical, 2 threads), flags sse4_1 avx2 avx512f sha_ni". */
function describeCpu(machine: Machine): string {
  const physical = machine.physicalCores ? `${machine.physicalCores} physical, ` : '';
  const threads = countOf(machine.hardwareThreads ?? machine.cores, 'thread');
  const flags = machine.cpuFlags
    ? `flags ${machine.cpuFlags.length > 0 ? machine.cpuFlags.join(' ') : 'none of sse4_1 avx2 avx512f sha_ni'}`
    : 'flags not known (no /proc/cpuinfo)';
  return `${machine.cpu}, ${countOf(machine.cores, 'core')} (${physical}${threads}), ${flags}`;
}

const ratio = (value: number | null) => (value === null ? '-' : `${value.toFixed(2)}x`);

function printTable(report: BenchReport): void {
  const { machine } = report;
  const out = process.stdout;
  out.write(
    `${paint('machine', 'bold')}  ${describeCpu(machine)}, ${machine.platform}/${machine.arch}, Node ${machine.node} (V8 ${machine.v8}), wasm ${machine.wasm}\n`,
  );
  if (report.gpu)
    out.write(
      `${paint('gpu', 'bold')}      ${report.gpu.software ? softwareNote(report.gpu) : report.gpu.name} (webgpu: one GPU worker, its row's threads)\n`,
    );
  for (const { backend, reason } of report.notMeasured)
    out.write(`${paint(backend, 'bold')}   not measured: ${reason}\n`);
  const fixed = report.fixedWork;
  const energyShown = report.results.some((r) => r.energy);
  out.write(
    'source' in report.energy
      ? `${paint('energy', 'bold')}   ${report.energy.source}${report.energy.source.startsWith('RAPL') ? ' (the CPU package, not the wall: other programs count too)' : ''}\n`
      : `${paint('energy', 'bold')}   not measured: ${report.energy.unavailable}; give --watts W for joules per terahash\n`,
  );
  out.write(
    fixed
      ? `${paint('method', 'bold')}   the fixed workload: ${fixed.millions} million nonces (docs/fixed-work.md), ${countOf(report.rounds, 'round')} per row, interleaved; the median round\n\n`
      : `${paint('method', 'bold')}   ${report.rounds} rounds of ${(report.seconds / report.rounds).toFixed(2)} s per row, interleaved; the median round\n\n`,
  );
  const header = [
    'backend',
    'threads',
    'hashrate',
    'per thread',
    'scaling',
    'vs noble',
    'spread',
    'rounds, slowest to fastest',
    ...(fixed ? ['seconds', 'checksum'] : []),
    ...(energyShown ? ['watts', 'J/TH', 'MH/J'] : []),
  ];
  const rows = report.results.map((r) => [
    r.backend,
    String(r.threads),
    formatHashrate(r.hashrate),
    formatHashrate(r.perThread),
    r.scaling === null ? '-' : `${(r.scaling * 100).toFixed(0)}%`,
    ratio(r.vsNoble),
    r.spread === null ? '-' : `${(r.spread * 100).toFixed(0)}%`,
    `${formatHashrate(Math.min(...r.rounds))} - ${formatHashrate(Math.max(...r.rounds))}`,
    ...(r.fixedWork ? [r.fixedWork.seconds.toFixed(2), describeChecksum(r.fixedWork.checksum)] : []),
    ...(r.energy
      ? [
          r.energy.watts.toFixed(1),
          formatNumber(r.energy.joulesPerTerahash),
          formatNumber(r.energy.hashesPerJoule / 1e6),
        ]
      : []),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join('  ');
  out.write(`${paint(line(header), 'bold')}\n`);
  for (const row of rows) out.write(`${line(row)}\n`);
  if (!report.complete) out.write(`\n${paint('stopped early: rows show the rounds measured so far', 'yellow')}\n`);
  if (fixed?.checksum)
    out.write(
      `\n${paint('checksum', 'bold')} ${describeChecksum(fixed.checksum)}, lowest ${fixed.checksum.lowest ?? 'none'}: every round of every row\n`,
    );
  const warning = spreadWarning(report);
  if (warning) process.stderr.write(`${paint(`powlab: warning: ${warning}`, 'yellow', process.stderr)}\n`);
}

/** A checksum in one cell: how many hashes met the fixed target, and the digest of which. */
const describeChecksum = (checksum: FixedWorkChecksum) => `${checksum.found} found, ${checksum.digest}`;

/** One line when the rows' checksums of the fixed workload disagree: some backend hashes wrong. */
export function checksumProblem(report: BenchReport): string | undefined {
  if (!report.fixedWork || report.fixedWork.checksum || report.results.length === 0) return undefined;
  const rows = report.results.map(
    (r) => `${r.backend} on ${countOf(r.threads, 'thread')}: ${describeChecksum(r.fixedWork!.checksum)}`,
  );
  return `the fixed workload's checksums disagree (${rows.join('; ')}, or a row's rounds differ): a backend hashes wrong; report it with this line`;
}

/** One line when a case's rounds disagree too much for its median to be trusted, naming the worst. */
export function spreadWarning(report: BenchReport): string | undefined {
  const judged = report.results.filter((r) => r.spread !== null);
  if (judged.length === 0)
    // One pass of the fixed workload is XMRig's way: its time is the figure, and the checksum the check.
    return report.results.length > 0 && !report.fixedWork
      ? 'fewer than 3 rounds a case: no spread to judge the figures by (give --rounds 8 or more)'
      : undefined;
  const worst = judged.reduce((a, b) => (b.spread! > a.spread! ? b : a));
  if (worst.spread! <= TRUSTED_SPREAD) return undefined;
  const wide = judged.filter((r) => r.spread! > TRUSTED_SPREAD).length;
  return (
    `the rounds of ${countOf(wide, 'case')} spread too wide to trust (${worst.backend} on ${countOf(worst.threads, 'thread')}: ` +
    `${(worst.spread! * 100).toFixed(0)}%, over ${(TRUSTED_SPREAD * 100).toFixed(0)}%): something else is using the CPU; close it, plug in the power, and run again, or give ${report.fixedWork ? 'a larger --fixed-work' : 'more --seconds'}`
  );
}

/**
 * A report `bench --json` saved earlier, to print or draw again without measuring. Reports from
 * before the energy and fixed-work fields read as having neither.
 */
export function readSavedReport(file: string): BenchReport {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw Errors.badOption('from', `cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw Errors.badOption('from', `${file} is not JSON: give a file that powlab bench --json wrote`);
  }
  const report = parsed as Partial<BenchReport> | null;
  if (!report || typeof report !== 'object' || !report.machine || !Array.isArray(report.results))
    throw Errors.badOption('from', `${file} is not a report of powlab bench --json (no "machine" and "results")`);
  return { energy: { unavailable: 'not recorded' }, fixedWork: null, ...report } as BenchReport;
}

async function measure(args: BenchArgs): Promise<BenchReport> {
  const plan = benchPlan(args);
  const stop = interruptSignal();
  const status = new StatusLine();
  try {
    return await runBench({
      ...plan,
      host: nodeThreads(),
      machine: describeMachine(),
      // A wall meter's reading, when given, beats RAPL's package-only count.
      power: plan.watts ? { watts: plan.watts } : openEnergyMeter(),
      signal: stop.signal,
      onRound: (done, total, backend, threads) =>
        status.update(`bench ${done + 1}/${total}: ${backend} on ${countOf(threads, 'thread')}…`),
    });
  } finally {
    status.clear();
    stop.dispose();
  }
}

export async function bench(args: BenchArgs): Promise<void> {
  // Told before the run, not after minutes of measuring.
  if (args.svg !== undefined && !existsSync(dirname(resolve(args.svg))))
    throw Errors.badOption('svg', `no folder ${dirname(resolve(args.svg))} to write ${args.svg} into`);
  const report = args.from === undefined ? await measure(args) : readSavedReport(args.from);
  if (args.json) {
    printJson(report);
    const warning = spreadWarning(report);
    if (warning) process.stderr.write(`powlab: warning: ${warning}\n`);
  } else {
    printTable(report);
  }
  if (args.svg) writeFileAtomically(args.svg, benchSvg(report));
  const problem = checksumProblem(report);
  if (problem) process.stderr.write(`${paint(`powlab: ${problem}`, 'red', process.stderr)}\n`);
  if (!report.complete) process.exitCode = 130;
  else if (problem) process.exitCode = 1;
}
