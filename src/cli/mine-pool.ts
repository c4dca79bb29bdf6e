/** `powlab mine --pool stratum+tcp://HOST:PORT`: mine shares for a Stratum v1 pool. */
import { hashToDisplayHex } from '../core/header.js';
import { bytesToHex } from '../core/bytes.js';
import { HASHES_PER_DIFFICULTY, hashMeetsTarget } from '../core/target.js';
import { Errors, type PowlabError } from '../errors.js';
import type { BackendName } from '../hash/backend.js';
import { bestHashFrom } from '../miner/best.js';
import { Miner } from '../miner/miner.js';
import type { Solution, Work } from '../miner/work.js';
import { saveFoundBlock } from '../sources/found.js';
import { parsePoolUrl, StratumClient, type PoolAddress, type ShareOutcome } from '../sources/stratum/client.js';
import { ShareWork } from '../sources/stratum/work.js';
import type { MineArgs } from './commands/mine.js';
import type { Dashboard } from '../dashboard/server.js';
import { checkDashboardArgs, checkDuration, checkEngineArgs, MiningStatus, oddsSummary, openDashboard, say, stopSignal } from './mining.js';
import { formatCount, formatDuration, formatHashrate, paint, printJson } from './output.js';
import { version } from './version.js';

export interface PoolArgs {
  pool?: string;
  user?: string;
  password?: string;
  versionRolling: boolean;
  suggestDifficulty?: number;
}

/** Keeps the password off the command line, where `ps` shows it. */
const PASSWORD_ENV = 'POWLAB_POOL_PASSWORD';
/** What most pools expect when they ignore the password. */
const DEFAULT_PASSWORD = 'x';
/** Different warnings shown at most: a pool sending ever-different bad messages must not flood stderr either. */
const MAX_WARNINGS = 100;
/** At the end, the workers' stop and the verdicts for shares already sent are awaited this long each. */
const FINAL_WAIT_MS = 3_000;

function within(ms: number, promise: Promise<unknown>): Promise<unknown> {
  return Promise.race([promise, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
}

export interface ShareReport {
  type: 'share';
  status: ShareOutcome['status'];
  accepted: boolean;
  reason?: string;
  /** The pool's share difficulty for this share's job. */
  difficulty: number;
  /** The difficulty this share's hash would just meet. */
  shareDifficulty: number;
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
  hash: string;
  /** It also meets the network target: a block, saved to disk (if it could be) before it was sent. */
  block: boolean;
  seconds: number;
}

class ShareTally {
  readonly counts = { accepted: 0, rejected: 0, stale: 0, lost: 0 };
  readonly reasons: Record<string, number> = {};
  blocks = 0;
  /** Sum of the pool difficulties of accepted shares: what the pool pays for. */
  acceptedDifficulty = 0;
  best: { difficulty: number; hash: string } | null = null;

  add(report: ShareReport): void {
    this.counts[report.status]++;
    if (report.status === 'accepted') this.acceptedDifficulty += report.difficulty;
    else if (report.reason) this.reasons[report.reason] = (this.reasons[report.reason] ?? 0) + 1;
    if (!this.best || report.shareDifficulty > this.best.difficulty) this.best = { difficulty: report.shareDifficulty, hash: report.hash };
  }
}

function checkPoolArgs(args: MineArgs & PoolArgs): { address: PoolAddress; user: string; password: string } {
  checkEngineArgs(args);
  checkDuration(args.duration);
  checkDashboardArgs(args);
  const address = parsePoolUrl(String(args.pool));
  const notWithPool = ['zeros', 'bits', 'address', 'script', 'rpc'] as const;
  for (const option of notWithPool) {
    if (args[option] !== undefined) throw Errors.badOption(option, 'does not apply with --pool: the pool sets the work, the payout and the share difficulty');
  }
  if (args.blocks !== 0) throw Errors.badOption('blocks', 'does not apply with --pool (use --duration, or Ctrl-C)');
  if (args.user === undefined || String(args.user).trim() === '') throw Errors.badOption('user', 'name the pool user with --user (pools often take ADDRESS.WORKER)');
  if (args.suggestDifficulty !== undefined && !(args.suggestDifficulty > 0 && Number.isFinite(args.suggestDifficulty))) {
    throw Errors.badOption('suggest-difficulty', `must be a positive number, got ${args.suggestDifficulty}`);
  }
  return { address, user: String(args.user), password: String(args.password ?? process.env[PASSWORD_ENV] ?? DEFAULT_PASSWORD) };
}

export async function mineInPool(args: MineArgs & PoolArgs): Promise<void> {
  const { address, user, password } = checkPoolArgs(args);
  const where = `${address.host}:${address.port}`;
  const warn = (message: string) => process.stderr.write(`powlab: ${message}\n`);
  // A pool that keeps sending the same bad message would bury everything else: each is shown once,
  // and the one past MAX_WARNINGS gives way to a note that no more will be.
  const shownWarnings = new Set<string>();
  const warnOnce = (message: string) => {
    if (shownWarnings.has(message) || shownWarnings.size > MAX_WARNINGS) return;
    shownWarnings.add(message);
    status?.clear();
    warn(shownWarnings.size > MAX_WARNINGS ? `warning: ${MAX_WARNINGS} different warnings shown; no more will be` : `warning: ${message}`);
  };
  const stop = stopSignal(args.duration);
  const failure = new AbortController();
  let fatal: PowlabError | undefined;
  const tally = new ShareTally();
  const inflight = new Set<Promise<void>>();
  const began = performance.now();
  let miner: Miner | undefined;
  let status: MiningStatus | undefined;
  let dashboard: Dashboard | undefined;
  let client: StratumClient | undefined;
  let state = 'connecting';
  let everAuthorized = false;
  let lastTrouble = 'no answer';
  // The reason last shown while the pool is away: the same one again (a pool refusing every attempt) is not repeated.
  let shownTrouble: string | undefined;

  const report = (line: ShareReport) => {
    tally.add(line);
    status?.clear();
    if (args.json) return printJson(line);
    const verdict =
      line.status === 'accepted' ? paint('accepted', 'green') : line.status === 'rejected' ? `${paint('rejected', 'red')}: ${line.reason}` : `${paint(line.status, 'yellow')}: ${line.reason}`;
    say(`share ${verdict}; difficulty ${line.shareDifficulty.toPrecision(4)} (pool ${line.difficulty}), job ${line.jobId}, nonce ${line.nonce}, hash ${line.hash}`, false);
  };

  const onSolution = async (solution: Solution, pool: StratumClient) => {
    const work = solution.work;
    if (!(work instanceof ShareWork)) return;
    const hash = hashToDisplayHex(solution.hash);
    const block = hashMeetsTarget(solution.hash, work.networkTarget);
    const share = work.share(solution);
    if (block) {
      // Before anything is sent: a block lost with a dropped connection would be lost for good.
      let file: string | null = null;
      try {
        file = saveFoundBlock(args.datadir, {
          source: `stratum ${where}`,
          hash,
          header: bytesToHex(solution.header),
          coinbase: bytesToHex(work.coinbase(solution.extranonceIndex)),
          merkleBranch: work.job.merkleBranch.map(bytesToHex),
          share,
        });
      } catch (error) {
        // A block not on disk is a loss; a block not sent is the whole of it.
        status?.clear();
        warn(`${paint('warning', 'red', process.stderr)}: ${(error as Error).message}; sending it to the pool anyway`);
      }
      tally.blocks++;
      status?.clear();
      if (args.json) printJson({ type: 'block', hash, header: bytesToHex(solution.header), jobId: share.jobId, file });
      else say(`${paint('block!', 'green')} ${hash} also meets the network target (bits ${work.job.bits.toString(16).padStart(8, '0')}); ${file ? `saved to ${file}` : 'not saved'}`, false);
    }
    const outcome = await pool.submit(work, solution);
    dashboard?.state.found('share', solution, { block, verdict: outcome.status, ...('reason' in outcome ? { reason: outcome.reason } : {}) });
    report({
      type: 'share',
      status: outcome.status,
      accepted: outcome.status === 'accepted',
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      difficulty: work.terms.difficulty,
      shareDifficulty: bestHashFrom(solution.hash).difficulty,
      ...share,
      hash,
      block,
      seconds: Math.round((performance.now() - began) / 10) / 100,
    });
  };

  try {
    miner = await Miner.start({ threads: args.threads, backend: args.backend as BackendName | 'auto', throttle: args.throttle });
    const engine = miner;
    const pool = new StratumClient({
      address,
      user,
      password,
      userAgent: `powlab/${version}`,
      versionRolling: args.versionRolling,
      suggestDifficulty: args.suggestDifficulty,
    });
    client = pool;
    engine.on('warning', warnOnce);
    engine.on('found', (solution) => {
      const pending = onSolution(solution, pool).catch((error: Error) => {
        warn(`warning: ${error.message}`);
      });
      inflight.add(pending);
      void pending.finally(() => inflight.delete(pending));
    });
    engine.on('exhausted', (work: Work) => warn(`every nonce of ${work.id} has been tried; waiting for the pool's next job`));
    pool.on('connecting', () => (state = 'connecting'));
    pool.on('configured', (mask) => {
      if (mask !== null) say(`version rolling: the pool allows mask ${mask.toString(16).padStart(8, '0')}`, args.json);
    });
    pool.on('authorized', () => {
      everAuthorized = true;
      shownTrouble = undefined;
      state = 'mining';
      status?.clear();
      say(`authorised as ${user} at ${where}; share difficulty ${pool.difficulty}`, args.json);
    });
    pool.on('work', (work) => {
      engine.setWork(work);
      state = 'mining';
    });
    pool.on('disconnected', (reason, retryMs) => {
      lastTrouble = reason;
      void engine.pause();
      state = 'reconnecting';
      if (reason === shownTrouble) return;
      shownTrouble = reason;
      status?.clear();
      warn(`lost the pool (${reason}); reconnecting in ${(retryMs / 1000).toFixed(1)} s`);
    });
    pool.on('message', (text) => {
      status?.clear();
      warn(`the pool says: ${text}`);
    });
    pool.on('warning', warnOnce);
    pool.on('fatal', (error) => {
      fatal = error;
      failure.abort();
    });
    // Short: the hashrate and the progress towards the next share must fit beside it on one line.
    const label = () => `${state === 'mining' ? '' : `${state}, `}diff ${pool.difficulty ?? '?'}, ${tally.counts.accepted} ok ${tally.counts.rejected} rejected`;
    status = new MiningStatus(engine, label);
    dashboard = await openDashboard(args, engine, { name: `the pool at ${where}`, finds: 'share', label });
    say(`mining for the pool at ${where} as ${user}: ${engine.threads} × ${engine.backend}`, args.json);
    status.start();
    pool.start();
    const done = AbortSignal.any([stop.signal, failure.signal]);
    await new Promise<void>((resolve) => (done.aborted ? resolve() : done.addEventListener('abort', () => resolve(), { once: true })));
    // Shares already on their way get a moment for their verdicts, so the summary counts them; a
    // worker slow to stop must not hold the exit either (close() below ends it regardless).
    await within(FINAL_WAIT_MS, engine.pause());
    if (inflight.size > 0) await within(FINAL_WAIT_MS, Promise.allSettled([...inflight]));
  } finally {
    status?.stop();
    await dashboard?.close();
    client?.close();
    await Promise.allSettled([...inflight]);
    const stats = miner?.stats();
    await miner?.close();
    if (stats) summarise(stats, client);
    stop.dispose();
  }
  if (fatal) throw fatal;
  // A run that never got in (a wrong host or port, a pool that is down) is a failure, not a quiet zero.
  if (!everAuthorized && client) throw Errors.network(`never got work from the pool at ${where} (${lastTrouble})`);

  function summarise(stats: ReturnType<Miner['stats']>, pool: StratumClient | undefined): void {
    const seconds = (performance.now() - began) / 1000;
    // What the pool can tell of our hashrate: each accepted share stands for difficulty × 2^32 hashes on average.
    const shareHashrate = seconds > 0 ? (tally.acceptedDifficulty * HASHES_PER_DIFFICULTY) / seconds : 0;
    const stopped = fatal ? fatal.message : stop.reason();
    if (args.json) {
      printJson({
        type: 'summary',
        stopped,
        pool: where,
        user,
        ...tally.counts,
        rejectReasons: tally.reasons,
        blocks: tally.blocks,
        difficulty: pool?.difficulty ?? null,
        versionMask: pool?.versionMask === null || pool?.versionMask === undefined ? null : pool.versionMask.toString(16).padStart(8, '0'),
        bestShareDifficulty: tally.best?.difficulty ?? null,
        bestShareHash: tally.best?.hash ?? null,
        hashes: stats.hashes,
        seconds: Math.round(seconds * 100) / 100,
        hashrate: stats.meanHashrate,
        shareHashrate,
        connections: pool?.counts.connections ?? 0,
        ignoredLines: pool?.counts.ignoredLines ?? 0,
        invalidMessages: pool?.counts.invalidMessages ?? 0,
      });
      return;
    }
    const { accepted, rejected, stale, lost } = tally.counts;
    say(
      `${stopped ? `stopped (${stopped}): ` : ''}${accepted} share${accepted === 1 ? '' : 's'} accepted, ${rejected} rejected, ${stale} stale, ${lost} lost${tally.blocks ? `, ${tally.blocks} block${tally.blocks === 1 ? '' : 's'}` : ''}; ` +
        `best share difficulty ${tally.best ? tally.best.difficulty.toPrecision(4) : '-'}; ${formatCount(stats.hashes)} hashes in ${formatDuration(seconds)} at ${formatHashrate(stats.meanHashrate)} (${formatHashrate(shareHashrate)} as the pool sees it from accepted shares)${oddsSummary(stats, 'share')}` +
        `${Object.keys(tally.reasons).length ? `; reasons: ${Object.entries(tally.reasons).map(([reason, n]) => `${reason} ×${n}`).join(', ')}` : ''}`,
      false,
    );
  }
}
