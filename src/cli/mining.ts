/**
 * What every mining command shares: the engine options, the live status line, per-result lines,
 * JSON output, and a clean stop on Ctrl-C or --duration.
 */
import type { Options } from 'yargs';
import { BACKEND_NAMES } from '../hash/backend.js';
import type { Dashboard } from '../dashboard/server.js';
import type { DashboardSource } from '../dashboard/state.js';
import type { Miner, MinerStats } from '../miner/miner.js';
import { oddsAt } from '../core/odds.js';
import { Errors } from '../errors.js';
import { formatChance, formatCount, formatDuration, formatHashrate } from '../format/numbers.js';
import { paint, printJson, StatusLine } from './output.js';

export const engineOptions = {
  threads: { type: 'number', describe: 'worker threads (default: every core)', group: 'Engine:' },
  backend: { type: 'string', choices: ['auto', ...BACKEND_NAMES], default: 'auto', describe: 'hashing backend (auto: the fastest, by a short calibration)', group: 'Engine:' },
  throttle: { type: 'number', default: 100, describe: 'percent of each core to use (1-100), for a laptop on battery or running hot', group: 'Engine:' },
  json: { type: 'boolean', default: false, describe: 'print one JSON object per result on stdout' },
} as const satisfies Record<string, Options>;

export interface EngineArgs {
  threads?: number;
  backend: string;
  throttle: number;
  json: boolean;
}

export function checkEngineArgs(args: EngineArgs): void {
  if (args.threads !== undefined && (!Number.isInteger(args.threads) || args.threads < 1 || args.threads > 1024)) {
    throw Errors.badOption('threads', `must be a whole number from 1 to 1024, got ${args.threads}`);
  }
  if (!Number.isInteger(args.throttle) || args.throttle < 1 || args.throttle > 100) throw Errors.badOption('throttle', `must be a whole percentage from 1 to 100, got ${args.throttle}`);
}

export const dashboardOptions = {
  dashboard: { type: 'boolean', default: false, describe: 'watch the run live in a browser: hashrate, nonce ranges, best hashes, finds', group: 'Dashboard:' },
  port: { type: 'number', describe: 'dashboard port (default 8420; 0: any free port)', group: 'Dashboard:' },
  host: { type: 'string', describe: 'dashboard address (default 127.0.0.1: this machine only)', group: 'Dashboard:' },
} as const satisfies Record<string, Options>;

export interface DashboardArgs {
  dashboard: boolean;
  port?: number;
  host?: string;
  json: boolean;
}

export function checkDashboardArgs(args: DashboardArgs): void {
  if (!args.dashboard) {
    if (args.port !== undefined) throw Errors.badOption('port', 'is the dashboard port: add --dashboard');
    if (args.host !== undefined) throw Errors.badOption('host', 'is the dashboard address: add --dashboard');
    return;
  }
  if (args.port !== undefined && (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535)) throw Errors.badOption('port', `must be a whole number from 0 to 65535, got ${args.port}`);
  if (args.host !== undefined && String(args.host).trim() === '') throw Errors.badOption('host', 'must name an address, e.g. 127.0.0.1');
}

/** Serve the dashboard when --dashboard asks for it, and say where: on stderr, and on stdout as JSON with --json. */
export async function openDashboard(args: DashboardArgs, miner: Miner, source: DashboardSource): Promise<Dashboard | undefined> {
  if (!args.dashboard) return undefined;
  const { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT, startDashboard } = await import('../dashboard/server.js');
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const dashboard = await startDashboard({ host: args.host ?? DEFAULT_DASHBOARD_HOST, port: args.port ?? DEFAULT_DASHBOARD_PORT, miner, source, warn });
  if (args.json) printJson({ dashboard: dashboard.url });
  if (!args.json || process.stderr.isTTY) process.stderr.write(`dashboard: ${dashboard.url}\n`);
  return dashboard;
}

/** For a summary: the run's best hash, and the best of all runs when the source keeps one (the built-in chain's best.json). */
export function bestSummary(stats: MinerStats, keepsAllTime: boolean): string {
  const session = stats.sessionBest;
  if (!session) return '';
  const allTime = !keepsAllTime || !stats.best ? '' : stats.best.hash === session.hash ? ', the best ever here' : `, ever here ${stats.best.zeros} (difficulty ${stats.best.difficulty.toPrecision(4)})`;
  return `; best hash this run ${session.zeros} zero bits (difficulty ${session.difficulty.toPrecision(4)})${allTime}`;
}

/** For a summary: the wait for the next find (D × 2^32 / H) at the run's mean hashrate, and the chance of one within an hour. */
export function oddsSummary(stats: MinerStats, find: 'block' | 'share'): string {
  if (!(stats.expectedHashes > 0) || !(stats.meanHashrate > 0)) return '';
  const odds = oddsAt(stats.expectedHashes, stats.meanHashrate);
  return `; next ${find} expected in ${formatDuration(odds.expectedSeconds)} at ${formatHashrate(stats.meanHashrate)} (${formatChance(odds.chanceWithinHour)} chance within an hour)`;
}

export function checkBlockCount(blocks: number): void {
  if (!Number.isInteger(blocks) || blocks < 0) throw Errors.badOption('blocks', `must be a whole number, 0 for no limit, got ${blocks}`);
}

export function checkDuration(duration: number | undefined): void {
  if (duration !== undefined && !(duration > 0 && Number.isFinite(duration))) throw Errors.badOption('duration', `must be a positive number of seconds, got ${duration}`);
}

/** Resolves when the user presses Ctrl-C or `seconds` pass; `dispose` removes the handlers. */
export function stopSignal(seconds?: number): { signal: AbortSignal; dispose: () => void; reason: () => string } {
  const controller = new AbortController();
  let why = '';
  const stop = (reason: string) => {
    if (controller.signal.aborted) return;
    why = reason;
    controller.abort();
  };
  const onSigint = () => stop('interrupted');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const timer = seconds === undefined ? undefined : setTimeout(() => stop('duration reached'), seconds * 1000);
  return {
    signal: controller.signal,
    reason: () => why,
    dispose: () => {
      process.off('SIGINT', onSigint);
      process.off('SIGTERM', onSigint);
      if (timer) clearTimeout(timer);
    },
  };
}

/** Wait for an event or the stop signal, whichever comes first. */
export function nextEvent<T>(subscribe: (resolve: (value: T) => void) => () => void, signal: AbortSignal): Promise<T | undefined> {
  if (signal.aborted) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const unsubscribe = subscribe((value) => {
      signal.removeEventListener('abort', onAbort);
      unsubscribe();
      resolve(value);
    });
    const onAbort = () => {
      unsubscribe();
      resolve(undefined);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A text bar of `fraction` (may exceed 1: luck runs both ways). */
export function ratioBar(fraction: number, width = 12): string {
  const filled = Math.max(0, Math.min(width, Math.round(fraction * width)));
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]`;
}

/** The live status line on a terminal: hashrate, hashes against expected, elapsed, best. */
export class MiningStatus {
  private readonly line = new StatusLine();
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly miner: Miner,
    private readonly label: () => string = () => '',
  ) {}

  start(): void {
    if (!this.line.enabled) return;
    this.timer = setInterval(() => this.render(), 250);
    this.timer.unref();
  }

  render(): void {
    const stats = this.miner.stats();
    const fraction = stats.expectedHashes > 0 ? stats.workHashes / stats.expectedHashes : 0;
    const best = stats.sessionBest ? ` | best ${stats.sessionBest.zeros} bits` : '';
    const perWorker = stats.workers.length > 1 && stats.workers.length <= 4 ? ` (${stats.workers.map((w) => formatHashrate(w.hashrate).split(' ')[0]).join(' + ')})` : '';
    const label = this.label();
    this.line.update(
      `${label ? `${label} | ` : ''}${paint(formatHashrate(stats.hashrate), 'cyan', process.stderr)}${perWorker} | ${formatCount(stats.workHashes)} / ${formatCount(stats.expectedHashes)} expected ${ratioBar(fraction)} ${Math.round(fraction * 100)}% | ${formatDuration(stats.elapsedSeconds)}${best}`,
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
