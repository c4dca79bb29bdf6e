/**
 * What the pool's page server sends its page (GET /api/pool and its event stream): the pool, the
 * PPLNS split if a block were found now, the miners of this run and of the ledger, the newest blocks.
 * Types only, and nothing in their reach uses Node, so the page (src/ui/app) is a typed client of
 * the same JSON: the web project's type-check (tsconfig.web.json) reads this module through it.
 */
import type { MinerView } from './board.js';
import type { BlockRecord } from './ledger-records.js';
import type { Payout } from './pplns.js';
import type { ShareDifficultyRange } from './rules.js';

export interface PoolSnapshot {
  pool: {
    stratum: string;
    websocket: string;
    chain: string;
    height: number | null;
    networkDifficulty: number | null;
    /** Hashes a block takes on average: 2^256 / (target + 1). */
    hashesPerBlock: number | null;
    shareDifficulty: ShareDifficultyRange | null;
    /** Vardiff aims at one share per miner this often. */
    shareSeconds: number;
    connections: number;
    /** Worker names this run, all of them; `miners` shows the SHOWN_ROWS with the most work. */
    workers: number;
    /** Miners the ledger names, from every run; `ledger` shows the SHOWN_ROWS with the most share difficulty. */
    ledgerMiners: number;
    inferredHashrate: number;
    reportedHashrate: number;
    blocks: number;
    /** Σ block difficulty / Σ share difficulty, over the ledger: 1 is as expected, above is lucky; null before the first block. */
    luck: number | null;
    /** This round's share difficulty over the block difficulty: 1 is a block's worth of work on average. */
    roundEffort: number | null;
    anonymousRejects: number;
  };
  pplns: {
    formula: string;
    windowFactor: number;
    window: number | null;
    /** The share difficulty in the window over the window (at most 1): below 1, a block now is split over every share so far. */
    windowFilled: number | null;
    reward: string | null;
    /** The SHOWN_ROWS largest parts, of `splitMiners`. */
    splitIfFoundNow: Payout[];
    splitMiners: number;
  };
  miners: (MinerView & { earned: string; ledgerShares: number; blocksFound: number })[];
  /** The SHOWN_ROWS miners the ledger credits most share difficulty, from every run (of `pool.ledgerMiners`): shares, blocks, satoshis earned. */
  ledger: { miner: string; shares: number; difficulty: number; blocks: number; earned: string }[];
  /** The newest SHOWN_BLOCKS, each split cut to its largest parts (of `splitMiners`). */
  blocks: (BlockRecord & { splitMiners: number })[];
}

/** One row of the board: a worker of this run, with what the ledger credits it. */
export type PoolMinerRow = PoolSnapshot['miners'][number];
