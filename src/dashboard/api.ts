/**
 * What the dashboard's server sends its page, in /api/status and the event stream: one snapshot a
 * second and each find. Types only, so the page (src/ui/dashboard) is a typed client of the same JSON.
 */
import type { OutputFacts } from '../explain/block.js';
import type { BestHash } from '../miner/best.js';
import type { FindKind, Verdict } from '../mining/source.js';

export interface Find extends BestHash {
  kind: FindKind;
  /** The hash meets the network's target: every block does, and now and then a pool's share. */
  block: boolean;
  height?: number;
  /** The 80-byte header, hex: the page asks /api/explain about it. */
  header: string;
  nonce: number;
  extranonce: number;
  /** Hashes and seconds the work took until this find. */
  hashes: number;
  seconds: number;
  /** What the block's coinbase pays and to whom, where the source knows the whole block (coinbasePayout). */
  payout?: Payout[];
  /** The node's or pool's verdict, where something other than powlab judges it, and its reason when not accepted. */
  verdict?: Verdict;
  reason?: string;
  at: string;
}

/** One output of a found block's coinbase: satoshis, and the address it pays (null for data or anyone-can-spend). */
export type Payout = Pick<OutputFacts, 'value' | 'type' | 'address'>;

export interface ScoreEntry extends BestHash {
  /** A new best of this run, a find, or the best of earlier runs on this datadir. */
  kind: 'record' | FindKind | 'earlier';
  at: string | null;
}

export interface WorkerStatus {
  index: number;
  hashes: number;
  hashrate: number;
  /** Nonce ranges [start, end) this worker has hashed in the current header (the latest 256), to draw. */
  ranges: [number, number][];
  /** Nonces this worker has hashed in the current header: all of them, not only those in `ranges`. */
  covered: number;
}

export interface HashrateSample {
  /** Seconds since the run began. */
  t: number;
  hashrate: number;
  workers: number[];
}

export interface DashboardStatus {
  /** Differs between runs, so a page left open notices a new one. */
  run: string;
  /** Counts snapshots: the page and /api/status show the same one when their seq match. */
  seq: number;
  at: string;
  running: boolean;
  source: { name: string; finds: FindKind };
  label: string;
  backend: string;
  threads: number;
  throttle: number;
  /** Workers that died and were replaced in this run. */
  workersReplaced: number;
  elapsedSeconds: number;
  /** Hashes per second over the last five seconds. */
  hashrate: number;
  meanHashrate: number;
  hashes: number;
  work: {
    /** Hashes tried on the current work against the hashes one find takes on average. */
    hashes: number;
    expectedHashes: number;
    /** The target's difficulty: expected hashes are about difficulty × 2^32. */
    difficulty: number;
    /** Which header of the work: each extranonce gives a new merkle root and 2^32 fresh nonces. */
    extranonce: number;
  };
  /** At the current hashrate: D × 2^32 / H seconds on average (null: no hashrate yet), and the chance within the next hour. */
  next: { expectedSeconds: number | null; chanceWithinHour: number };
  best: { session: BestHash | null; allTime: BestHash | null };
  scoreboard: ScoreEntry[];
  workers: WorkerStatus[];
  /** This second's point of the hashrate chart (null once the run has stopped): the page adds it to the history. */
  sample: HashrateSample | null;
  /** The latest finds, newest first, and how many there were in all. A pool's share that is also a block is in both. */
  blocks: Find[];
  blocksFound: number;
  shares: Find[];
  sharesFound: number;
  /** The built-in chain, where it retargets (classnet); null for any other source. */
  chain: ChainStatus | null;
}

/** A block named by its height and hash (display order). */
export interface ChainTip {
  height: number;
  hash: string;
}

/** One block of the active chain, as the chain charts draw it. */
export interface ChainPoint {
  height: number;
  /** Its time minus its parent's, seconds: header times, which the time rules let run back a little. */
  gap: number;
  bits: string;
  difficulty: number;
}

/** A retarget: the block at `height` is the first at the new bits, computed from the window below it. */
export interface RetargetEvent {
  height: number;
  /** The window's first and last block (Bitcoin's off-by-one: interval - 1 gaps), and the seconds between their times. */
  firstHeight: number;
  lastHeight: number;
  actualTimespan: number;
  /** What the chain aims for: spacing × interval. */
  targetTimespan: number;
  /** The timespan after the clamp to [aim / 4, aim × 4], and which bound it hit. */
  clampedTimespan: number;
  clamp: 'none' | 'low' | 'high';
  /** The new target was above the proof-of-work limit and was cut to it. */
  capped: boolean;
  oldBits: string;
  newBits: string;
  oldDifficulty: number;
  newDifficulty: number;
}

/** The tip moved to another branch: `depth` blocks of the old one left the active chain. */
export interface ReorgEvent {
  depth: number;
  oldTip: ChainTip;
  newTip: ChainTip;
  /** The last block both branches share. */
  fork: ChainTip;
  at: string;
}

export interface ChainStatus {
  network: string;
  /** Seconds aimed for between blocks, and blocks between retargets. */
  spacing: number;
  interval: number;
  tip: ChainTip;
  /** The last blocks of the active chain, oldest first (the genesis's child left out: its gap is from a genesis mined long ago). */
  blocks: ChainPoint[];
  /** Newest first, the coming one included once the block before it is in. */
  retargets: RetargetEvent[];
  /** Newest first, those of this run. */
  reorgs: ReorgEvent[];
}
