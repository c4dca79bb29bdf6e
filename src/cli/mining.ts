/**
 * What every mining command shares: the engine options, the live status line, per-result lines,
 * JSON output, and the run of one mining session with a clean stop on Ctrl-C. The session does the
 * mining; this module only prints what it says.
 */
import { availableParallelism } from 'node:os';
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { oddsAt } from '../core/odds.js';
import type { WatchedChain } from '../dashboard/chain.js';
import type { Dashboard } from '../dashboard/server.js';
import { Errors } from '../errors.js';
import type { GpuAdapterInfo } from '../hash/webgpu.js';
import type { MinerStats } from '../miner/miner.js';
import { checkBackend, checkThreads, checkThrottle, MAX_THREADS_PER_CORE } from '../miner/options.js';
import type { Work } from '../miner/work.js';
import { MiningSession, type Found, type SessionSummary } from '../mining/session.js';
import type { MiningSource } from '../mining/source.js';
import { nodeThreads } from '../worker/node-threads.js';
import {
  countOf,
  formatChance,
  formatCount,
  formatDifficulty,
  formatDuration,
  formatHashrate,
} from '../format/numbers.js';
import {
  cliWords,
  MAX_WAITING_OUTPUT_BYTES,
  noteEndAsked,
  paint,
  printJson,
  StatusLine,
  stdoutBehind,
  stdoutCaughtUp,
  writeStatusLine,
} from './output.js';
import { numberArg, optionArg, portArg } from './option-args.js';

export const engineOptions = {
  threads: {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('threads', (n) => checkThreads(n, availableParallelism())),
    describe: `worker threads, 1 to ${MAX_THREADS_PER_CORE} per core (default: every core)`,
    group: 'Engine:',
  },
  backend: {
    type: 'string',
    requiresArg: true,
    default: 'auto',
    coerce: optionArg(checkBackend),
    describe:
      'hashing backend: auto (the fastest CPU backend, with a hardware GPU beside it where measured faster; never a software renderer), noble, js, wasm, or webgpu (the GPU alone)',
    group: 'Engine:',
  },
  gpu: {
    type: 'boolean',
    describe:
      'one GPU worker (WebGPU) beside the CPU workers; --no-gpu: none (default: with --backend auto and no --threads, when the GPU is faster)',
    group: 'Engine:',
  },
  throttle: {
    type: 'string',
    requiresArg: true,
    default: '100',
    coerce: numberArg('throttle', checkThrottle),
    describe:
      'percent of the time each worker hashes (1-100); it rests the rest. For a laptop on battery or running hot; the summary gives the share measured',
    group: 'Engine:',
  },
  json: { type: 'boolean', default: false, describe: 'print one JSON object per result on stdout, and a summary last' },
} as const satisfies Record<string, Options>;

export type EngineArgs = ArgumentsCamelCase<InferredOptionTypes<typeof engineOptions>>;

export const dashboardOptions = {
  dashboard: {
    type: 'boolean',
    default: false,
    describe: 'watch the run live in a browser: hashrate, nonce ranges, best hashes, finds',
    group: 'Dashboard:',
  },
  port: {
    type: 'string',
    requiresArg: true,
    coerce: portArg('port'),
    describe: 'dashboard port (default 8420; 0: any free port)',
    group: 'Dashboard:',
  },
  host: {
    type: 'string',
    requiresArg: true,
    describe: 'dashboard address (default 127.0.0.1: this machine only)',
    group: 'Dashboard:',
  },
} as const satisfies Record<string, Options>;

export type DashboardArgs = ArgumentsCamelCase<InferredOptionTypes<typeof dashboardOptions>> & { json: boolean };

export function checkDashboardArgs(args: DashboardArgs): void {
  if (!args.dashboard) {
    if (args.port !== undefined) throw Errors.badOption('port', 'is the dashboard port: add --dashboard');
    if (args.host !== undefined) throw Errors.badOption('host', 'is the dashboard address: add --dashboard');
    return;
  }
  if (args.host !== undefined && args.host.trim() === '')
    throw Errors.badOption('host', 'must name an address, e.g. 127.0.0.1');
}

/** For a summary: the run's best hash, and the best of all runs when the source keeps one (the built-in chain's best.json). */
export function bestSummary(stats: MinerStats, keepsAllTime: boolean): string {
  const session = stats.sessionBest;
  const replaced = stats.workersReplaced ? `; ${countOf(stats.workersReplaced, 'worker')} replaced after dying` : '';
  if (!session) return replaced;
  const allTime =
    !keepsAllTime || !stats.best
      ? ''
      : stats.best.hash === session.hash
        ? ', the best ever here'
        : `, ever here ${countOf(stats.best.zeros, 'zero bit')} (difficulty ${formatDifficulty(stats.best.difficulty)})`;
  return `; best hash this run ${countOf(session.zeros, 'zero bit')} (difficulty ${formatDifficulty(session.difficulty)})${allTime}${replaced}`;
}

/** For a summary: the wait for the next find (D × 2^32 / H) at the run's mean hashrate, and the chance of one within an hour. */
export function oddsSummary(stats: MinerStats, find: 'block' | 'share'): string {
  if (!(stats.expectedHashes > 0) || !(stats.meanHashrate > 0)) return '';
  const odds = oddsAt(stats.expectedHashes, stats.meanHashrate);
  return `; next ${find} expected in ${formatDuration(odds.expectedSeconds)} at ${formatHashrate(stats.meanHashrate)} (${formatChance(odds.chanceWithinHour)} chance within an hour)`;
}

/** For a summary: what --throttle did, when it was given: the share of the time the workers hashed, measured. */
export function throttleSummary(stats: MinerStats): string {
  if (stats.throttle >= 100) return '';
  return `; throttled to ${stats.throttle}%: the workers hashed ${Math.round(stats.dutyCycle * 100)}% of the time (the hashrate falls by less where a resting core lets its neighbour or its clock speed up)`;
}

/** "stopped (why): " before a summary, or nothing when the run did what it was asked. */
export function stoppedPrefix(summary: SessionSummary): string {
  if (summary.reason === 'blocks reached') return '';
  return `stopped (${summary.reason === 'failed' ? failure(summary) : summary.reason}): `;
}

function failure(summary: SessionSummary): string {
  return summary.error ? cliWords(summary.error) : 'failed';
}

/** For a result or summary in JSON: the GPU's adapter, as it reports itself, when the GPU hashed. */
export function adapterJson(adapter: GpuAdapterInfo | null): { adapter?: GpuAdapterInfo } {
  return adapter ? { adapter } : {};
}

/** The summary's JSON fields every mining command shares. */
export function summaryJson(summary: SessionSummary): Record<string, unknown> {
  const { stats } = summary;
  return {
    type: 'summary',
    stopped: summary.reason === 'failed' ? failure(summary) : summary.reason,
    hashes: stats.hashes,
    seconds: Math.round(summary.seconds * 100) / 100,
    hashrate: stats.meanHashrate,
    bestHash: stats.sessionBest?.hash ?? null,
    bestZeros: stats.sessionBest?.zeros ?? null,
    bestDifficulty: stats.sessionBest?.difficulty ?? null,
    backend: stats.backend,
    threads: stats.threads,
    throttle: stats.throttle,
    dutyCycle: stats.dutyCycle,
    workersReplaced: stats.workersReplaced,
    ...adapterJson(stats.gpu),
  };
}

/**
 * Aborts on Ctrl-C (SIGINT) or SIGTERM, when the reader of stdout goes away, or when results pile
 * up for a reader that does not read (stopForOutput); `dispose` removes the handlers. A second
 * signal ends the process at once, and after the first, output that cannot be written does not
 * hold the exit (endOutput in output.ts).
 */
export function interruptSignal(): {
  signal: AbortSignal;
  outputClosed: () => boolean;
  stopForOutput: () => void;
  dispose: () => void;
} {
  const controller = new AbortController();
  let closed = false;
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    noteEndAsked();
    controller.abort();
  };
  const onOutputError = (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') return;
    closed = true;
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.stdout.on('error', onOutputError);
  return {
    signal: controller.signal,
    outputClosed: () => closed,
    stopForOutput: () => {
      if (closed) return;
      closed = true;
      process.stderr.write(
        `powlab: stdout is not being read (${process.stdout.writableLength} bytes of results waiting): stopping the run\n`,
      );
      process.exitCode = 1;
      noteEndAsked();
      controller.abort();
    },
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.stdout.off('error', onOutputError);
    },
  };
}

export interface MiningRun<W extends Work, R> {
  args: EngineArgs & Partial<DashboardArgs> & { duration?: number; blocks?: number };
  source: MiningSource<W, R>;
  /** The first line, once the workers are up. */
  headline?(session: MiningSession<W, R>): string;
  /** The built-in chain behind the source, where it retargets: the dashboard charts it. */
  chain?: WatchedChain;
  /** Print one result. */
  found(found: Found<W, R>): void;
  /** Print the summary. */
  summary(summary: SessionSummary): void;
  /** After the summary: a last check that may fail the run. */
  after?(summary: SessionSummary): void;
  /** stdout carries the results alone, even without --json (grind's header, for a pipe): notices as with --json. */
  resultsOnlyOnStdout?: boolean;
}

/**
 * Run one mining session and print it: the headline, notices and warnings, a status line on a
 * terminal, the dashboard when asked, each result, and the summary. Ctrl-C ends it with exit 130.
 */
export async function runMining<W extends Work, R>(run: MiningRun<W, R>): Promise<void> {
  const { args } = run;
  const interrupt = interruptSignal();
  let status: MiningStatus | undefined;
  let dashboard: Dashboard | undefined;
  let summary: SessionSummary | undefined;
  let waitSaid = false;
  try {
    const session = await MiningSession.start(run.source, {
      host: nodeThreads(),
      threads: args.threads,
      backend: args.backend,
      gpu: args.gpu,
      throttle: args.throttle,
      blocks: args.blocks,
      duration: args.duration,
      signal: interrupt.signal,
      outputReady: (signal) => {
        if (stdoutBehind() && !waitSaid) {
          waitSaid = true;
          process.stderr.write('powlab: stdout is behind: mining waits for its reader\n');
        }
        return stdoutCaughtUp(signal);
      },
    });
    const line = new MiningStatus(session, () => run.source.label());
    status = line;
    session.on('warning', (text) => {
      line.clear();
      process.stderr.write(`powlab: warning: ${text}\n`);
    });
    session.on('told', (text) => {
      line.clear();
      process.stderr.write(`powlab: ${text}\n`);
    });
    session.on('notice', (text) => {
      line.clear();
      sayStatus(text, args.json || run.resultsOnlyOnStdout === true);
    });
    session.on('found', (found) => {
      line.clear();
      run.found(found);
      // A source that cannot wait for the reader (shares keep coming): past this, results would pile up without end.
      if (process.stdout.writableLength > MAX_WAITING_OUTPUT_BYTES) interrupt.stopForOutput();
    });
    try {
      dashboard = await openDashboard(args, session, run.source, run.chain);
    } catch (error) {
      await session.abandon();
      throw error;
    }
    if (!args.json && run.headline) sayStatus(run.headline(session), false);
    line.start();
    summary = await session.run();
  } finally {
    status?.stop();
    await dashboard?.close();
    interrupt.dispose();
  }
  // Nobody reads the output any more (`| head -1`, or a reader gone quiet): the store is already
  // whole and unlocked, and a summary would only wait with the rest.
  if (interrupt.outputClosed()) return;
  run.summary(summary);
  if (summary.reason === 'failed' && summary.error) throw summary.error;
  run.after?.(summary);
  if (summary.reason === 'interrupted') process.exitCode = 130;
}

/** Serve the dashboard when --dashboard asks for it, and say where: on stderr, and on stdout as JSON with --json. */
async function openDashboard<W extends Work, R>(
  args: Partial<DashboardArgs> & { json: boolean },
  session: MiningSession<W, R>,
  source: MiningSource<W, R>,
  chain: WatchedChain | undefined,
): Promise<Dashboard | undefined> {
  if (!args.dashboard) return undefined;
  const { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT, startDashboard } = await import('../dashboard/server.js');
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const dashboard = await startDashboard({
    host: args.host ?? DEFAULT_DASHBOARD_HOST,
    port: args.port ?? DEFAULT_DASHBOARD_PORT,
    session,
    source: { name: source.name, finds: source.finds, label: () => source.label(), ...(chain ? { chain } : {}) },
    warn,
  });
  if (args.json) printJson({ dashboard: dashboard.url });
  if (!args.json || process.stderr.isTTY) process.stderr.write(`dashboard: ${dashboard.url}\n`);
  return dashboard;
}

/** What the status line reads: a session's or a Miner's stats. */
export interface StatsView {
  stats(): MinerStats;
}

/** The live status line on a terminal: hashrate, hashes against expected, elapsed, best. */
export class MiningStatus {
  private readonly line = new StatusLine();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly view: StatsView,
    private readonly label: () => string = () => '',
  ) {}

  start(): void {
    if (!this.line.enabled) return;
    this.timer = setInterval(() => this.render(), 250);
    this.timer.unref();
  }

  render(): void {
    const stats = this.view.stats();
    const best = stats.sessionBest ? ` | best ${countOf(stats.sessionBest.zeros, 'zero bit')}` : '';
    const perWorker =
      stats.workers.length > 1 && stats.workers.length <= 4
        ? ` (${stats.workers.map((w) => formatHashrate(w.hashrate)).join(' + ')})`
        : '';
    // Luck, not progress: the hashes spent on this work against the hashes a find takes on average.
    // A find is as near after 3× the expected hashes as after none; the figure only says how lucky the wait has been.
    const luck =
      stats.expectedHashes > 0
        ? `, ${(stats.workHashes / stats.expectedHashes).toFixed(2)}× the ${formatCount(stats.expectedHashes)} expected`
        : '';
    const label = this.label();
    this.line.update(
      `${label ? `${label} | ` : ''}${paint(formatHashrate(stats.hashrate), 'cyan', process.stderr)}${perWorker} | this work: ${countOf(stats.workHashes, 'hash', 'hashes', formatCount)} in ${formatDuration(stats.workSeconds)}${luck} | run ${formatDuration(stats.elapsedSeconds)}${best}`,
    );
  }

  /** Clear the line so another can be printed, then carry on. */
  clear(): void {
    this.line.clear();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.line.clear();
  }
}

/** Write a line for humans: on stdout, or, when stdout carries JSON, on stderr if a person is watching it. */
export function say(text: string, json: boolean): void {
  if (!json) process.stdout.write(`${text}\n`);
  else if (process.stderr.isTTY) process.stderr.write(`${text}\n`);
}

/** As say, for a line that is no result (a headline, a notice): dropped, and counted, while stdout is behind. */
function sayStatus(text: string, json: boolean): void {
  if (!json) writeStatusLine(text);
  else if (process.stderr.isTTY) process.stderr.write(`${text}\n`);
}
