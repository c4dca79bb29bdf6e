/**
 * A Stratum pool as a mining source: the pool's jobs become work as they arrive, a lost connection
 * pauses the workers until the next job, and every share is sent with its verdict counted. A share
 * that also meets the network target is a block: saved to disk before it is sent.
 */
import { bytesToHex } from '../../core/bytes.js';
import { hashToDisplayHex } from '../../core/header.js';
import { hashMeetsTarget } from '../../core/target.js';
import { bestHashFrom } from '../../miner/best.js';
import type { Solution } from '../../miner/work.js';
import type { FindOutcome, MiningSource, WorkSink } from '../../mining/source.js';
import { formatDifficulty } from '../../format/numbers.js';
import { saveFoundBlock } from '../found.js';
import { StratumClient, type PoolAddress, type ShareOutcome, type StratumClientOptions } from './client.js';
import type { ShareWork } from '../../stratum/work.js';
import { errorMessage } from '../../errors.js';

/** Different warnings shown at most: a pool sending ever-different bad messages must not flood stderr either. */
const MAX_WARNINGS = 100;
/** At the end, the verdicts for shares already sent are awaited this long. */
const FINAL_WAIT_MS = 3_000;

export interface ShareReport {
  type: 'share';
  status: ShareOutcome['status'];
  accepted: boolean;
  reason?: string;
  /** The share difficulty this share was mined at: the pool's when the miner took it up (the pool credits what it checks). */
  difficulty: number;
  /** The difficulty this share's hash would just meet. */
  hashDifficulty: number;
  jobId: string;
  extranonce2: string;
  ntime: string;
  nonce: string;
  versionBits?: string;
  hash: string;
  /** It also meets the network target: a block, saved to disk (if it could be) before it was sent. */
  block: boolean;
  /** For a block: where it was saved (null when it could not be), and its header. */
  file?: string | null;
  header?: string;
  seconds: number;
}

export class ShareTally {
  readonly counts = { accepted: 0, rejected: 0, stale: 0, lost: 0 };
  readonly reasons: Record<string, number> = {};
  blocks = 0;
  /** Sum of the pool difficulties of accepted shares: what the pool pays for. */
  acceptedDifficulty = 0;
  best: { difficulty: number; hash: string } | null = null;

  add(report: ShareReport): void {
    this.counts[report.status]++;
    if (report.block) this.blocks++;
    if (report.status === 'accepted') this.acceptedDifficulty += report.difficulty;
    else if (report.reason) this.reasons[report.reason] = (this.reasons[report.reason] ?? 0) + 1;
    if (!this.best || report.hashDifficulty > this.best.difficulty)
      this.best = { difficulty: report.hashDifficulty, hash: report.hash };
  }
}

export interface PoolMiningOptions extends Omit<StratumClientOptions, 'address'> {
  address: PoolAddress;
  /** Found blocks are written to <datadir>/found/ before they are sent. */
  datadir: string;
}

export class PoolMining implements MiningSource<ShareWork, ShareReport> {
  readonly finds = 'share';
  readonly finalWaitMs = FINAL_WAIT_MS;
  readonly tally = new ShareTally();
  readonly client: StratumClient;
  readonly where: string;
  private readonly began = performance.now();
  private state = 'connecting';
  private everAuthorized = false;
  private lastTrouble = 'no answer';
  /** The reason last shown while the pool is away: the same one again (a pool refusing every attempt) is not repeated. */
  private shownTrouble?: string;
  private readonly shownWarnings = new Set<string>();
  private sink?: WorkSink<ShareWork>;

  constructor(private readonly options: PoolMiningOptions) {
    this.client = new StratumClient(options);
    this.where = `${options.address.host}:${options.address.port}`;
  }

  get name(): string {
    return `the pool at ${this.where}`;
  }

  /** Whether the pool ever let us in; a run that never got in is a failure, not a quiet zero. */
  get authorized(): boolean {
    return this.everAuthorized;
  }

  get trouble(): string {
    return this.lastTrouble;
  }

  label(): string {
    // Short: the hashrate and the rest must fit beside it on one line.
    return `${this.state === 'mining' ? '' : `${this.state}, `}diff ${this.client.difficulty === undefined ? '?' : formatDifficulty(this.client.difficulty)}, ${this.tally.counts.accepted} ok ${this.tally.counts.rejected} rejected`;
  }

  open(sink: WorkSink<ShareWork>): void {
    this.sink = sink;
    const pool = this.client;
    // A pool that keeps sending the same bad message would bury everything else: each is shown once,
    // and the one past MAX_WARNINGS gives way to a note that no more will be.
    const warnOnce = (message: string) => {
      if (this.shownWarnings.has(message) || this.shownWarnings.size > MAX_WARNINGS) return;
      this.shownWarnings.add(message);
      sink.warning(
        this.shownWarnings.size > MAX_WARNINGS ? `${MAX_WARNINGS} different warnings shown; no more will be` : message,
      );
    };
    pool.on('connecting', () => (this.state = 'connecting'));
    pool.on('configured', (mask) => {
      if (mask !== null) sink.notice(`version rolling: the pool allows mask ${mask.toString(16).padStart(8, '0')}`);
    });
    pool.on('authorized', () => {
      this.everAuthorized = true;
      this.shownTrouble = undefined;
      this.state = 'mining';
      sink.notice(
        `authorised as ${this.options.user} at ${this.where}; share difficulty ${pool.difficulty === undefined ? 'not set yet' : formatDifficulty(pool.difficulty)}`,
      );
    });
    pool.on('work', (work) => {
      sink.work(work);
      this.state = 'mining';
    });
    pool.on('retarget', (work) => sink.retarget(work));
    pool.on('disconnected', (reason, retryMs) => {
      this.lastTrouble = reason;
      sink.pause();
      this.state = 'reconnecting';
      if (reason === this.shownTrouble) return;
      this.shownTrouble = reason;
      sink.tell(`lost the pool (${reason}); reconnecting in ${(retryMs / 1000).toFixed(1)} s`);
    });
    pool.on('message', (text) => sink.tell(`the pool says: ${text}`));
    pool.on('warning', warnOnce);
    pool.on('fatal', (error) => sink.fail(error));
    pool.start();
  }

  async solve(solution: Solution<ShareWork>): Promise<ShareReport> {
    const work = solution.work;
    const hash = hashToDisplayHex(solution.hash);
    const block = hashMeetsTarget(solution.hash, work.networkTarget);
    const share = work.share(solution);
    let found: { file: string | null; header: string } | undefined;
    if (block) {
      // Before anything is sent: a block lost with a dropped connection would be lost for good.
      const header = bytesToHex(solution.header);
      let file: string | null = null;
      try {
        file = saveFoundBlock(this.options.datadir, {
          source: `stratum ${this.where}`,
          hash,
          header,
          coinbase: bytesToHex(work.coinbase(solution.extranonceIndex)),
          merkleBranch: work.job.merkleBranch.map(bytesToHex),
          share,
        });
      } catch (error) {
        // A block not on disk is a loss; a block not sent is the whole of it.
        this.sink?.warning(`${errorMessage(error)}; sending it to the pool anyway`);
      }
      found = { file, header };
    }
    const outcome = await this.client.submit(work, solution);
    const report: ShareReport = {
      type: 'share',
      status: outcome.status,
      accepted: outcome.status === 'accepted',
      ...('reason' in outcome ? { reason: outcome.reason } : {}),
      difficulty: work.terms.difficulty,
      hashDifficulty: bestHashFrom(solution.hash).difficulty,
      ...share,
      hash,
      block,
      ...(found ?? {}),
      seconds: Math.round((performance.now() - this.began) / 10) / 100,
    };
    this.tally.add(report);
    return report;
  }

  outcome(report: ShareReport): FindOutcome {
    return {
      kind: 'share',
      block: report.block,
      verdict: report.status,
      ...(report.reason === undefined ? {} : { reason: report.reason }),
      counts: false,
    };
  }

  next(): void {
    // Shares do not end their work: the pool's next job comes when the pool sends it.
  }

  exhausted(work: ShareWork): void {
    this.sink?.warning(`every nonce of ${work.id} has been tried; waiting for the pool's next job`);
  }

  close(): void {
    this.client.close();
  }
}
