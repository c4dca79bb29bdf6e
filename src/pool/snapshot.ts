/**
 * The snapshot the pool page reads (its shape: PoolSnapshot in api.ts), taken from the pool's state
 * at one moment. The same size whatever the miners do: every list is cut to its largest rows, the
 * viewer's own kept in.
 */
import { expectedHashes } from '../core/target.js';
import type { PoolSnapshot } from './api.js';
import { MinerBoard, SHOWN_ROWS, topRows } from './board.js';
import type { PoolJob } from './jobs.js';
import type { Ledger } from './ledger.js';
import { PPLNS_FORMULA, type Payout } from './pplns.js';
import { shareDifficultyRange, type PoolRules } from './rules.js';

/** Blocks /api/pool shows, the newest, each with the SPLIT_ROWS largest parts of its split. */
const SHOWN_BLOCKS = 20;
const SPLIT_ROWS = 10;

/** What a snapshot is made of: the pool's state at one moment. */
export interface PoolState {
  stratumUrl: string;
  websocketUrl: string;
  chain: string;
  job: PoolJob | undefined;
  rules: PoolRules;
  connections: number;
  board: MinerBoard;
  ledger: Ledger;
}

/** Larger parts first: payouts are in proportion to share difficulty. */
const byDifficulty = (a: { difficulty: number }, b: { difficulty: number }) => b.difficulty - a.difficulty;

/** The part of the PPLNS window the shares so far fill, 1 when full (the sum of the parts may fall short of it by a rounding). */
function windowFilled({ window, split }: { window: number; split: Payout[] }): number {
  const filled = split.reduce((sum, payout) => sum + payout.difficulty, 0) / window;
  return filled > 1 - 1e-9 ? 1 : filled;
}

/** `viewer`: a worker whose rows are shown wherever they rank. */
export function poolSnapshot(state: PoolState, nowMs: number, viewer?: string): PoolSnapshot {
  const { ledger, job } = state;
  const everyMiner = state.board.view(nowMs);
  const viewersPart = (payout: Payout) => payout.miner === viewer;
  const shown = topRows(
    everyMiner,
    SHOWN_ROWS,
    (a, b) => b.acceptedDifficulty - a.acceptedDifficulty || b.connections - a.connections,
    (view) => view.worker === viewer,
  );
  const miners = shown.map((view) => {
    const totals = ledger.totals.get(view.worker);
    return {
      ...view,
      earned: (totals?.earned ?? 0n).toString(),
      ledgerShares: totals?.shares ?? 0,
      blocksFound: totals?.blocks ?? 0,
    };
  });
  const connected = everyMiner.filter((miner) => miner.connections > 0);
  const reward = job?.template.reward;
  const split = job && reward !== undefined ? ledger.split(reward, job.networkDifficulty) : undefined;
  return {
    pool: {
      stratum: state.stratumUrl,
      websocket: state.websocketUrl,
      chain: state.chain,
      height: job?.template.height ?? null,
      networkDifficulty: job?.networkDifficulty ?? null,
      hashesPerBlock: job ? expectedHashes(job.template.target) : null,
      shareDifficulty: job ? shareDifficultyRange(state.rules.vardiff, job.networkDifficulty) : null,
      shareSeconds: state.rules.vardiff.shareSeconds,
      connections: state.connections,
      workers: everyMiner.length,
      ledgerMiners: ledger.totals.size,
      inferredHashrate: connected.reduce((sum, miner) => sum + miner.inferredHashrate, 0),
      reportedHashrate: connected.reduce((sum, miner) => sum + (miner.reportedHashrate ?? 0), 0),
      blocks: ledger.blocks,
      luck: ledger.blocks > 0 ? ledger.blockDifficulty / ledger.totalDifficulty : null,
      roundEffort: job ? ledger.roundDifficulty / job.networkDifficulty : null,
      anonymousRejects: state.board.anonymousRejects,
    },
    pplns: {
      formula: PPLNS_FORMULA,
      windowFactor: ledger.windowFactor,
      window: split?.window ?? null,
      windowFilled: split ? windowFilled(split) : null,
      reward: reward?.toString() ?? null,
      splitIfFoundNow: topRows(split?.split ?? [], SHOWN_ROWS, byDifficulty, viewersPart),
      splitMiners: split?.split.length ?? 0,
    },
    miners,
    ledger: topRows(
      ledger.totals,
      SHOWN_ROWS,
      ([, a], [, b]) => b.difficulty - a.difficulty,
      ([miner]) => miner === viewer,
    ).map(([miner, totals]) => ({
      miner,
      shares: totals.shares,
      difficulty: totals.difficulty,
      blocks: totals.blocks,
      earned: totals.earned.toString(),
    })),
    blocks: ledger.recentBlocks
      .slice(-SHOWN_BLOCKS)
      .reverse()
      .map((block) => ({
        ...block,
        split: topRows(block.split, SPLIT_ROWS, byDifficulty, viewersPart),
        splitMiners: block.split.length,
      })),
  };
}
