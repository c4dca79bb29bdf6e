/**
 * The contract every source of work implements: the built-in chain, a node (getblocktemplate) and a
 * pool (Stratum) are adapters of it, and the mining session (session.ts) drives them all alike.
 */
import type { BestHash } from '../miner/best.js';
import type { Solution, Work } from '../miner/work.js';

export type FindKind = 'block' | 'share';
/** What the node or pool made of a find; a pool's share can also come back stale, or not at all (lost). */
export type Verdict = 'accepted' | 'rejected' | 'stale' | 'lost';

/** What became of one solution, in the words every printer and the dashboard share. */
export interface FindOutcome {
  kind: FindKind;
  /** The hash meets the network's target: every block does, and now and then a pool's share. */
  block: boolean;
  height?: number;
  /** Where something other than powlab judges the find. */
  verdict?: Verdict;
  reason?: string;
  /** It counts towards --blocks: a block stored, or accepted by the node. */
  counts: boolean;
  /** The whole block, where the source built it, and the chain it is for (main, regtest, …). */
  wholeBlock?: { bytes: Uint8Array; chain: string };
}

/** Where a source sends what it has to say while it runs. */
export interface WorkSink<W extends Work> {
  /** Mine this from now on (replacing whatever was mined). */
  work(work: W): void;
  /** The work being mined at another target (a pool's new share difficulty): same headers, no nonce hashed again. */
  retarget(work: W): void;
  /** Stop hashing until the next work: the source has none worth hashing (a pool connection lost). */
  pause(): void;
  /** Something a person should know, that is not a problem. */
  notice(text: string): void;
  warning(text: string): void;
  /** What the other side says or does that a person watching should see (a pool's message, a lost connection). */
  tell(text: string): void;
  /** The source cannot go on: the session stops with this error. */
  fail(error: Error): void;
  /** Every nonce the source offers has been tried, and it has no more: the session ends. */
  exhausted(): void;
}

export interface MiningSource<W extends Work, R> {
  /** What is mined, for headlines and the dashboard: "the built-in regtest chain", a node's or pool's address. Never a credential. */
  readonly name: string;
  /** What one solution is here. */
  readonly finds: FindKind;
  /** What is mined at this moment, e.g. "block 12". */
  label(): string;
  /** The best hash of earlier runs, where the source keeps one. */
  knownBest?(): BestHash | null;
  /** A new best of all runs, to keep. */
  saveBest?(best: BestHash): void;
  /**
   * Get ready before any worker starts (a node is asked for its chain and a first template); false
   * when `signal` stopped the wait first.
   */
  prepare?(signal: AbortSignal): Promise<boolean>;
  /** Begin sending work to `sink`, now or as it arrives, until close. */
  open(sink: WorkSink<W>, signal: AbortSignal): void;
  /**
   * A solution that meets its work's target: a found block is saved durably first, then appended to
   * the chain, submitted to the node, or the share submitted to the pool. Resolves with the source's
   * own account of it; for a solution that ended its work (stopOnFind), the source sends the next work
   * when `next` is called.
   */
  solve(solution: Solution<W>): Promise<R>;
  /** How the result reads for the printers and the dashboard. */
  outcome(result: R, solution: Solution<W>): FindOutcome;
  /** After a solution that ended its work, and more is wanted: send the next work. */
  next(signal: AbortSignal): void;
  /** Every nonce of this work was tried (possible only where extranonces are limited, as with a pool). */
  exhausted?(work: W): void;
  /** At the end, this long at most is given to solutions still being sent; undefined: as long as they take. */
  readonly finalWaitMs?: number;
  close(): void | Promise<void>;
}
