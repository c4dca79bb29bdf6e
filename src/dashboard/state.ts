/**
 * What the dashboard shows, gathered from a running Miner: one snapshot a second, the hashrate history
 * behind the chart, the best hashes of the run and what it found. GET /api/status and the event
 * stream serve the same snapshot, so the page and the API always agree.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { bytesToHex } from '../core/bytes.js';
import { parseHeader } from '../core/header.js';
import { MAINNET, REGTEST, type ChainParams } from '../core/params.js';
import { explainBlock } from '../explain/block.js';
import { bestHashFrom, isBetter, type BestHash } from '../miner/best.js';
import type { MinerStats } from '../miner/miner.js';
import type { FindOutcome } from '../mining/source.js';
import { oddsAt } from '../core/odds.js';
import type { Solution } from '../miner/work.js';

export type { FindKind, Verdict } from '../mining/source.js';
import type { FindKind, Verdict } from '../mining/source.js';
import type { ChainStatus, DashboardStatus, Find, HashrateSample, Payout, ScoreEntry } from './api.js';
import { ChainWatch, type WatchedChain } from './chain.js';

// The snapshot and the find, where the server's tests import them with the state.
export type { DashboardStatus, Find } from './api.js';

/** What the dashboard watches: a mining session's stats, its records and its finds. */
export interface MiningView {
  stats(): MinerStats;
  on(event: 'record', listener: (best: BestHash) => void): unknown;
  off(event: 'record', listener: (best: BestHash) => void): unknown;
  on(event: 'found', listener: (found: { solution: Solution; outcome: FindOutcome }) => void): unknown;
  off(event: 'found', listener: (found: { solution: Solution; outcome: FindOutcome }) => void): unknown;
}

export interface DashboardSource {
  /** What is mined, for the page's title: "the built-in regtest chain", a node's or pool's address. Never a credential. */
  name: string;
  /** What one solution is here: a block, or a pool's share. */
  finds: FindKind;
  /** What is mined at this moment, e.g. "block 12". */
  label: () => string;
  /** The built-in chain, where it retargets: charted, its retargets and reorgs listed. */
  chain?: WatchedChain;
}

/** The chains whose addresses powlab writes; a block for another chain shows no payout. */
const PARAMS_BY_CHAIN: Record<string, ChainParams | undefined> = { main: MAINNET, regtest: REGTEST };

function payoutOf(block: { bytes: Uint8Array; chain: string }): { payout?: Payout[] } {
  const params = PARAMS_BY_CHAIN[block.chain];
  return params ? { payout: coinbasePayout(block.bytes, params) } : {};
}

/** The coinbase outputs of a whole block, as Find.payout carries them to the page. */
export function coinbasePayout(blockBytes: Uint8Array, params: ChainParams): Payout[] {
  const { coinbase } = explainBlock(blockBytes, { layout: 'any', params });
  return coinbase.outputs.map(({ value, type, address }) => ({ value, type, address }));
}

export interface DashboardEvents {
  status: [DashboardStatus];
  found: [Find];
  /** The chain moved (a block, a reorg): sent at once, not at the next second's snapshot. */
  chain: [ChainStatus];
}

const SNAPSHOT_MS = 1000;
/** Five minutes of chart at one sample a second; the page keeps as many (HISTORY_KEPT in src/ui/dashboard/figures.ts). */
export const HISTORY_KEPT = 300;
/** The page lists these; each find came whole in its own `found` event too, and every second's snapshot stays small. */
export const FINDS_KEPT = 20;
const SCORES_KEPT = 10;

export class DashboardState extends EventEmitter<DashboardEvents> {
  readonly run = randomUUID();
  private seq = 0;
  private running = true;
  private latest: DashboardStatus;
  private readonly history: HashrateSample[] = [];
  private readonly scores: ScoreEntry[] = [];
  private readonly finds: Record<FindKind, { latest: Find[]; count: number }> = {
    block: { latest: [], count: 0 },
    share: { latest: [], count: 0 },
  };
  private readonly timer: NodeJS.Timeout;
  private readonly chain?: ChainWatch;
  private readonly onRecord = (best: BestHash) => this.score({ ...best, kind: 'record', at: new Date().toISOString() });
  private readonly onFound = ({ solution, outcome }: { solution: Solution; outcome: FindOutcome }) =>
    this.found(outcome.kind, solution, {
      ...(outcome.height === undefined ? {} : { height: outcome.height }),
      block: outcome.block,
      ...(outcome.verdict === undefined ? {} : { verdict: outcome.verdict }),
      ...(outcome.reason === undefined ? {} : { reason: outcome.reason }),
      ...(outcome.wholeBlock ? payoutOf(outcome.wholeBlock) : {}),
    });

  constructor(
    private readonly miner: MiningView,
    private readonly source: DashboardSource,
  ) {
    super();
    if (source.chain) this.chain = new ChainWatch(source.chain, () => this.chainMoved());
    const earlier = miner.stats().best;
    if (earlier) this.score({ ...earlier, kind: 'earlier', at: null });
    miner.on('record', this.onRecord);
    miner.on('found', this.onFound);
    this.latest = this.snapshot();
    this.timer = setInterval(() => this.emit('status', (this.latest = this.snapshot())), SNAPSHOT_MS);
    this.timer.unref();
  }

  /** The latest snapshot; with the hashrate history when asked. */
  status(withHistory = false): DashboardStatus & { history?: HashrateSample[] } {
    return withHistory ? { ...this.latest, history: this.history.slice() } : this.latest;
  }

  /** A solution the driver accepted as a block or share, with what the node or pool said of it. */
  found(
    kind: FindKind,
    solution: Solution,
    details: { height?: number; block?: boolean; payout?: Payout[]; verdict?: Verdict; reason?: string } = {},
  ): void {
    const at = new Date().toISOString();
    const best = bestHashFrom(solution.hash);
    const header = parseHeader(solution.header);
    const find: Find = {
      kind,
      ...best,
      ...details,
      block: kind === 'block' || details.block === true,
      header: bytesToHex(solution.header),
      nonce: header.nonce,
      extranonce: solution.extranonceIndex,
      hashes: solution.hashes,
      seconds: solution.seconds,
      at,
    };
    this.keep(kind, find);
    if (kind === 'share' && find.block) this.keep('block', find);
    this.score({ ...best, kind: find.block ? 'block' : kind, at });
    this.emit('found', find);
    if (find.block) this.chainMoved();
  }

  /** The run is over: one last snapshot, marked as not running. */
  stop(): DashboardStatus {
    clearInterval(this.timer);
    this.miner.off('record', this.onRecord);
    this.miner.off('found', this.onFound);
    this.chain?.close();
    this.running = false;
    this.latest = this.snapshot();
    this.emit('status', this.latest);
    return this.latest;
  }

  private chainMoved(): void {
    const status = this.chain?.status();
    if (status) this.emit('chain', status);
  }

  private keep(list: FindKind, find: Find): void {
    const kept = this.finds[list];
    kept.count++;
    kept.latest.unshift(find);
    if (kept.latest.length > FINDS_KEPT) kept.latest.pop();
  }

  private score(entry: ScoreEntry): void {
    const same = this.scores.findIndex((score) => score.hash === entry.hash);
    if (same >= 0) {
      // A find is also the run's record when it beats it; call it by what it is.
      if (entry.kind !== 'record') this.scores[same] = entry;
      return;
    }
    const at = this.scores.findIndex((score) => isBetter(entry, score));
    this.scores.splice(at < 0 ? this.scores.length : at, 0, entry);
    if (this.scores.length > SCORES_KEPT) this.scores.pop();
  }

  private snapshot(): DashboardStatus {
    const stats = this.miner.stats();
    const workers = stats.workers.map(({ index, hashes, hashrate, ranges, covered }) => ({
      index,
      hashes,
      hashrate,
      ranges,
      covered,
    }));
    const sample = this.running
      ? { t: stats.elapsedSeconds, hashrate: stats.hashrate, workers: workers.map((worker) => worker.hashrate) }
      : null;
    if (sample) {
      this.history.push(sample);
      if (this.history.length > HISTORY_KEPT) this.history.shift();
    }
    const odds = oddsAt(stats.expectedHashes, stats.hashrate);
    return {
      run: this.run,
      seq: this.seq++,
      at: new Date().toISOString(),
      running: this.running,
      source: { name: this.source.name, finds: this.source.finds },
      label: this.source.label(),
      backend: stats.backend,
      threads: stats.threads,
      throttle: stats.throttle,
      workersReplaced: stats.workersReplaced,
      elapsedSeconds: stats.elapsedSeconds,
      hashrate: stats.hashrate,
      meanHashrate: stats.meanHashrate,
      hashes: stats.hashes,
      work: {
        hashes: stats.workHashes,
        expectedHashes: stats.expectedHashes,
        difficulty: stats.difficulty,
        extranonce: stats.extranonceIndex,
      },
      next: {
        expectedSeconds: Number.isFinite(odds.expectedSeconds) ? odds.expectedSeconds : null,
        chanceWithinHour: odds.chanceWithinHour,
      },
      best: { session: stats.sessionBest, allTime: stats.best },
      scoreboard: this.scores.slice(),
      workers,
      sample,
      blocks: this.finds.block.latest.slice(),
      blocksFound: this.finds.block.count,
      shares: this.finds.share.latest.slice(),
      sharesFound: this.finds.share.count,
      chain: this.chain?.status() ?? null,
    };
  }
}
