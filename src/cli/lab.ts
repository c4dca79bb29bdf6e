/** `powlab lab stale|selfish|double-spend`: run a consensus lab, print its table (or its JSON) and draw its chart. */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Errors } from '../errors.js';
import { formatHashrate } from '../format/numbers.js';
import { runDoubleSpendLab, type DoubleSpendReport } from '../lab/double-spend.js';
import { runSelfishLab, type SelfishReport } from '../lab/selfish.js';
import { runStaleLab, type StaleReport } from '../lab/stale.js';
import { doubleSpendSvg, selfishSvg, staleSvg } from '../lab/svg.js';
import type { LabProgress } from '../lab/report.js';
import { writeFileAtomically } from '../storage/durable.js';
import type { DoubleSpendArgs, SelfishArgs, StaleArgs } from './lab-options.js';
import { interruptSignal } from './mining.js';
import { printJson, StatusLine } from './output.js';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
const share = (value: number) => value.toFixed(3);

/** Rows of cells as aligned columns: the first left, the rest right. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column])))
        .join('  '),
    )
    .join('\n');
}

/** Run a lab with a status line and Ctrl-C; print its JSON or its text, and draw its chart. */
async function runLab<R>(
  args: { json: boolean; svg?: string },
  run: (signal: AbortSignal, progress: LabProgress) => Promise<R>,
  text: (report: R) => string,
  svg: (report: R) => string,
): Promise<void> {
  if (args.svg !== undefined && !existsSync(dirname(resolve(args.svg))))
    throw Errors.badOption('svg', `no folder ${dirname(resolve(args.svg))} to write ${args.svg} into`);
  const interrupt = interruptSignal();
  const status = new StatusLine();
  let report: R;
  try {
    report = await run(interrupt.signal, (line) => status.update(line));
  } finally {
    status.clear();
    interrupt.dispose();
  }
  if (args.svg) writeFileAtomically(args.svg, svg(report));
  const interrupted = interrupt.signal.aborted;
  if (args.json) printJson({ ...report, ...(interrupted ? { interrupted: true } : {}) });
  else
    process.stdout.write(
      `${text(report)}${interrupted ? '\n(interrupted: the figures cover the blocks found so far)' : ''}\n`,
    );
}

export async function labStale(args: StaleArgs): Promise<void> {
  await runLab(
    args,
    (signal, progress) =>
      runStaleLab({
        nodes: args.nodes,
        latenciesMs: args.latency,
        spacing: args.spacing,
        blocks: args.blocks,
        signal,
        progress,
      }),
    staleText,
    staleSvg,
  );
}

function staleText(report: StaleReport): string {
  const rows = [
    ['latency', 'found', 'stale', 'stale rate', 'expected', 'propagation', 'spacing', 'shares of the best chain'],
    ...report.runs.map((run) => [
      `${run.latencyMs} ms`,
      String(run.found),
      String(run.stale),
      percent(run.staleRate),
      percent(run.expected),
      `${Math.round(run.propagationMs)} ms`,
      `${run.measuredSpacing.toFixed(2)} s`,
      run.nodes.map((node) => `${share(node.bestShare)} (${share(node.hashShare)})`).join(' '),
    ]),
  ];
  return [
    `lab stale: ${report.nodes} honest nodes aiming for equal hash shares (${formatHashrate(report.hashrate)} together), a block every ${report.spacing} s aimed for, ${report.blocks} blocks found per latency`,
    `theory: ${report.theory}`,
    '',
    table(rows),
    '',
    'expected: 1 - e^(-latency/spacing); propagation: the median time from a block found to it stored at a peer (headers, getdata, block: three trips of the link);',
    "shares of the best chain: each node's share of the final best chain, its share of the hashes in brackets.",
  ].join('\n');
}

export async function labSelfish(args: SelfishArgs): Promise<void> {
  await runLab(
    args,
    (signal, progress) =>
      runSelfishLab({
        alpha: args.alpha,
        nodes: args.nodes,
        spacing: args.spacing,
        blocks: args.blocks,
        latencyMs: args.latency,
        signal,
        progress,
      }),
    selfishText,
    selfishSvg,
  );
}

function selfishText(report: SelfishReport): string {
  const rows = [
    ['', 'selfish', 'honest'],
    ['blocks found', String(report.found.selfish), String(report.found.honest)],
    ['in the best chain', String(report.bestChain.selfish), String(report.bestChain.honest)],
  ];
  return [
    `lab selfish: 1 selfish node with hash share ${report.targetAlpha} asked for, ${report.nodes - 1} honest, a block every ${report.spacing} s aimed for, ${report.latencyMs} ms links`,
    `theory: ${report.theory}`,
    '',
    table(rows),
    '',
    `alpha (its share of the blocks found)  ${share(report.alpha)}   its share of the hashes ${share(report.hashShare)}`,
    `gamma (honest blocks in races on the selfish branch)  ${share(report.gamma)}   (${report.races.onSelfish} of ${report.races.honestBlocks}, ${report.races.races} races)`,
    `revenue share (its share of the best chain)  ${share(report.revenueShare)}`,
    `Eyal-Sirer R(alpha, gamma)  ${share(report.expectedRevenue)}   at its hash share ${share(report.expectedRevenueAtHashShare)}`,
    `threshold (1-gamma)/(3-2gamma)  ${share(report.threshold)}: ${report.alpha > report.threshold ? 'above it, selfish mining pays more than honest mining' : 'below it, selfish mining pays less than honest mining'}`,
    `honest blocks that ended stale  ${report.honestStale}`,
  ].join('\n');
}

export async function labDoubleSpend(args: DoubleSpendArgs): Promise<void> {
  await runLab(
    args,
    (signal, progress) =>
      runDoubleSpendLab({
        q: args.q,
        z: args.z,
        trials: args.trials,
        spacing: args.spacing,
        latencyMs: args.latency,
        signal,
        progress,
      }),
    doubleSpendText,
    doubleSpendSvg,
  );
}

function doubleSpendText(report: DoubleSpendReport): string {
  const [low, high] = report.interval99;
  const rows = [
    ['', 'measured', 'Nakamoto', 'Rosenfeld'],
    [
      `payments undone at z = ${report.z}`,
      percent(report.successRate),
      percent(report.nakamoto),
      percent(report.rosenfeld),
    ],
  ];
  return [
    `lab double-spend: an attacker with hash share ${report.targetQ} asked for against one honest node, z = ${report.z} confirmations, ${report.trials} trials, a block every ${report.spacing} s aimed for, ${report.latencyMs} ms links`,
    `theory: ${report.theory}`,
    '',
    table(rows),
    '',
    `q (the attacker's share of the blocks found)  ${share(report.q)}   its share of the hashes ${share(report.hashShare)}; both formulas are at the first`,
    `double spends that won  ${report.successes} of ${report.trials} (99% interval ${percent(low)} to ${percent(high)}): Nakamoto's figure is ${report.withinBounds ? 'inside' : 'OUTSIDE'} it`,
    `the attacker gave up ${report.givesUpBehind} blocks behind; the deepest reorg it made: ${report.deepestReorg} blocks`,
    `${report.found} blocks found in ${report.seconds.toFixed(0)} s, one every ${report.measuredSpacing.toFixed(2)} s`,
  ].join('\n');
}
