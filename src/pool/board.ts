/**
 * What the pool knows of each miner (by worker name) in this run, for the page and the summary:
 * shares and rejects, the best share, the hashrate inferred from accepted shares beside the one a
 * powlab miner reports. Pure: times are passed in.
 *
 * Each accepted share at difficulty d stands for d × 2^32 hashes on average, so over a span of t
 * seconds the inferred hashrate is Σd × 2^32 / t. Shares arrive as a Poisson process: with n shares
 * in the span the estimate is good to about 1/√n.
 *
 * Names cost nothing to invent, so the board holds at most MAX_WORKERS of them (a name that left
 * without doing any work gives way to a new one), and a page is shown the SHOWN_ROWS with the most
 * work, plus its viewer's own: what it is sent stays the same size whatever the miners do.
 */
import { HASHES_PER_DIFFICULTY } from '../core/target.js';
import { StratumError } from '../stratum/messages.js';

/** The span the inferred hashrate looks back over, at most. */
const INFERENCE_WINDOW_MS = 10 * 60_000;
/** Worker names a run keeps at most; past them, a new name is refused (and the ledger never hears of it). */
export const MAX_WORKERS = 1000;
/** Rows of each list a page or /api/pool is sent at most (the viewer's own comes on top). */
export const SHOWN_ROWS = 50;

const REJECT_NAMES: Record<number, string> = {
  [StratumError.other]: 'invalid',
  [StratumError.jobNotFound]: 'stale or unknown job',
  [StratumError.duplicate]: 'duplicate',
  [StratumError.lowDifficulty]: 'low difficulty',
  [StratumError.unauthorized]: 'unauthorized',
  [StratumError.notSubscribed]: 'not subscribed',
};

export interface MinerView {
  worker: string;
  connections: number;
  accepted: number;
  rejected: number;
  rejects: Record<string, number>;
  /** Share difficulty of the accepted shares, summed. */
  acceptedDifficulty: number;
  /** The current share difficulty of its newest connection. */
  difficulty: number | null;
  bestShareDifficulty: number | null;
  /** Hashes a second, from accepted shares over the last INFERENCE_WINDOW_MS (or since it came). */
  inferredHashrate: number;
  /** Shares behind that figure: its relative spread is about 1/√shares. */
  inferenceShares: number;
  /** What the miner says it hashes at (powlab miners only). */
  reportedHashrate: number | null;
  lastShareAt: number | null;
  /** Its newest connection came over the WebSocket endpoint: a student's browser. */
  browser: boolean;
}

interface MinerRecord {
  worker: string;
  since: number;
  connections: number;
  accepted: number;
  rejected: number;
  rejects: Record<string, number>;
  acceptedDifficulty: number;
  difficulty: number | null;
  best: number | null;
  recent: { at: number; difficulty: number }[];
  reported: number | null;
  lastShareAt: number | null;
  /** When its last connection closed: a miner gone hashes no more, and the span of its inferred hashrate ends there. */
  leftAt: number | null;
  browser: boolean;
}

export class MinerBoard {
  private readonly miners = new Map<string, MinerRecord>();
  /** Rejects with no authorised worker to pin them on. */
  anonymousRejects = 0;

  /** Distinct worker names on the board. */
  get size(): number {
    return this.miners.size;
  }

  /**
   * Whether `worker` may join: a name the board has, or a new one while there is room. At the cap, a
   * name whose miners have all left without an accepted share makes room, so a flood of invented
   * names cannot keep a class out for good.
   */
  makeRoomFor(worker: string): boolean {
    if (this.miners.has(worker) || this.miners.size < MAX_WORKERS) return true;
    for (const [name, miner] of this.miners) {
      if (miner.connections === 0 && miner.accepted === 0) {
        this.miners.delete(name);
        return true;
      }
    }
    return false;
  }

  connected(worker: string, nowMs: number, browser = false): void {
    const miner = this.record(worker, nowMs);
    if (!miner) return;
    miner.browser = browser;
    // Back after a break: the span starts again, or the time away would count as hashing at zero.
    if (miner.connections === 0 && miner.leftAt !== null) {
      miner.since = nowMs;
      miner.recent.length = 0;
    }
    miner.connections++;
    miner.leftAt = null;
  }

  disconnected(worker: string, nowMs: number): void {
    const miner = this.miners.get(worker);
    if (!miner) return;
    miner.connections = Math.max(0, miner.connections - 1);
    if (miner.connections === 0) miner.leftAt = nowMs;
  }

  accepted(worker: string, difficulty: number, hashDifficulty: number, nowMs: number): void {
    const miner = this.record(worker, nowMs);
    if (!miner) return;
    miner.accepted++;
    miner.acceptedDifficulty += difficulty;
    miner.best = Math.max(miner.best ?? 0, hashDifficulty);
    miner.lastShareAt = nowMs;
    miner.recent.push({ at: nowMs, difficulty });
    this.forgetOld(miner, nowMs);
  }

  rejected(worker: string | null, code: number): void {
    const miner = worker === null ? undefined : this.miners.get(worker);
    if (!miner) {
      this.anonymousRejects++;
      return;
    }
    miner.rejected++;
    const name = REJECT_NAMES[code] ?? 'invalid';
    miner.rejects[name] = (miner.rejects[name] ?? 0) + 1;
  }

  difficulty(workers: readonly string[], difficulty: number): void {
    for (const worker of workers) {
      const miner = this.miners.get(worker);
      if (miner) miner.difficulty = difficulty;
    }
  }

  reported(workers: readonly string[], hashrate: number): void {
    for (const worker of workers) {
      const miner = this.miners.get(worker);
      if (miner) miner.reported = hashrate;
    }
  }

  view(nowMs: number): MinerView[] {
    return [...this.miners.values()].map((miner) => {
      this.forgetOld(miner, nowMs);
      const until = miner.leftAt ?? nowMs;
      const seconds = (until - Math.max(miner.since, nowMs - INFERENCE_WINDOW_MS)) / 1000;
      const work = miner.recent.reduce((sum, share) => sum + share.difficulty, 0);
      return {
        worker: miner.worker,
        connections: miner.connections,
        accepted: miner.accepted,
        rejected: miner.rejected,
        rejects: { ...miner.rejects },
        acceptedDifficulty: miner.acceptedDifficulty,
        difficulty: miner.difficulty,
        bestShareDifficulty: miner.best,
        inferredHashrate: seconds > 0 ? (work * HASHES_PER_DIFFICULTY) / seconds : 0,
        inferenceShares: miner.recent.length,
        reportedHashrate: miner.reported,
        browser: miner.browser,
        lastShareAt: miner.lastShareAt,
      };
    });
  }

  private record(worker: string, nowMs: number): MinerRecord | undefined {
    let miner = this.miners.get(worker);
    if (!miner) {
      if (this.miners.size >= MAX_WORKERS) return undefined;
      miner = {
        worker,
        since: nowMs,
        connections: 0,
        accepted: 0,
        rejected: 0,
        rejects: {},
        acceptedDifficulty: 0,
        difficulty: null,
        best: null,
        recent: [],
        reported: null,
        lastShareAt: null,
        leftAt: null,
        browser: false,
      };
      this.miners.set(worker, miner);
    }
    return miner;
  }

  private forgetOld(miner: MinerRecord, nowMs: number): void {
    let drop = 0;
    while (drop < miner.recent.length && miner.recent[drop].at < nowMs - INFERENCE_WINDOW_MS) drop++;
    if (drop > 0) miner.recent.splice(0, drop);
  }
}

/**
 * The `count` rows that come first by `before` (a sort's comparator), in that order, and after them
 * the `viewer`'s own row wherever it ranks. One pass, with no copy of the whole: a ledger may name a
 * great many miners.
 */
export function topRows<T>(
  rows: Iterable<T>,
  count: number,
  before: (a: T, b: T) => number,
  isViewer: (row: T) => boolean,
): T[] {
  const top: T[] = [];
  let viewer: T | undefined;
  for (const row of rows) {
    if (viewer === undefined && isViewer(row)) viewer = row;
    if (top.length === count && before(row, top[count - 1]) >= 0) continue;
    let at = top.length;
    while (at > 0 && before(row, top[at - 1]) < 0) at--;
    top.splice(at, 0, row);
    if (top.length > count) top.pop();
  }
  return viewer === undefined || top.includes(viewer) ? top : [...top, viewer];
}
