/**
 * What the pool asks of every connection: the rates it may send at, the junk and bad shares it may
 * send before it is dropped, its deadlines, and the share difficulties vardiff keeps it within; and
 * what it allows at its edge: connections, line and message lengths, bytes waiting to be sent.
 */
import type { VardiffOptions } from './vardiff.js';

export interface PoolLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** The longest Stratum line over TCP, and the longest WebSocket message. */
  maxLineBytes: number;
  /** A peer with this much unsent is dropped; reading from it stops at half. */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: PoolLimits = {
  maxConnections: 1024,
  maxConnectionsPerAddress: 32,
  maxLineBytes: 16 * 1024,
  maxOutputBytes: 256 * 1024,
};

export interface PoolRules {
  /** The version bits miners may roll (BIP 310), at most. */
  versionMask: number;
  vardiff: Omit<VardiffOptions, 'startDifficulty'> & { startDifficulty: number };
  /** Messages a second a connection may send on average, twice as many in a burst; accepted shares do not count. */
  maxMessagesPerSecond: number;
  /** Bytes a second a connection may send on average (every byte: line ends, blanks, framing), twice as many in a burst; accepted shares give theirs back. */
  maxBytesPerSecond: number;
  /** Lines that are not Stratum requests we take, before the connection is dropped. */
  maxJunkLines: number;
  /** Shares rejected one after another (none accepted in between) before the connection is dropped. */
  maxRejectsInARow: number;
  /** A connection must authorise a worker within this time. */
  authorizeWithinMs: number;
  /** Once authorised, a connection that sends no message the pool takes (a share accepted, a request answered) for this long is dropped. */
  silentForMs: number;
}

export const DEFAULT_RULES: PoolRules = {
  versionMask: 0x1fffe000,
  vardiff: { shareSeconds: 5, minDifficulty: 2 ** -16, maxDifficulty: 2 ** 32, startDifficulty: 0.001 },
  maxMessagesPerSecond: 20,
  // A share line is about 150 bytes, a handshake under 1 KiB; a burst holds a line of the longest the pool reads (16 KiB).
  maxBytesPerSecond: 16 * 1024,
  maxJunkLines: 10,
  maxRejectsInARow: 20,
  authorizeWithinMs: 60_000,
  // Vardiff brings a miner down to a share every few seconds; at the lowest share difficulty (2^16 hashes) a
  // miner at 1 kH/s still sends one a minute or so.
  silentForMs: 5 * 60_000,
};

/** The share difficulty stays at or below the block difficulty over this: a block is that many shares on average. */
export const SHARES_PER_BLOCK_AT_LEAST = 16;

/** The highest share difficulty for a block difficulty: a block must be many shares, or shares say nothing of luck. */
export function shareDifficultyCap(networkDifficulty: number): number {
  return networkDifficulty / SHARES_PER_BLOCK_AT_LEAST;
}

/** The share difficulty a new miner starts at, and the bounds vardiff keeps it within (max: at most the block difficulty / 16). */
export interface ShareDifficultyRange {
  start: number;
  min: number;
  max: number;
}

/** The share difficulties a connection starts at and keeps within, for a block difficulty: the cap above wins over the pool's minimum. */
export function shareDifficultyRange(vardiff: PoolRules['vardiff'], networkDifficulty: number): ShareDifficultyRange {
  const max = Math.min(vardiff.maxDifficulty, shareDifficultyCap(networkDifficulty));
  const min = Math.min(vardiff.minDifficulty, max);
  return { start: Math.min(Math.max(vardiff.startDifficulty, min), max), min, max };
}

/** A budget that refills at `perSecond` up to twice that (a burst), spent as a peer sends. */
export class RateBudget {
  private left: number;
  private lastMs: number;

  constructor(
    private readonly perSecond: number,
    nowMs: number,
  ) {
    this.left = 2 * perSecond;
    this.lastMs = nowMs;
  }

  /** Spend `amount` at `nowMs`; false once more was spent than the budget holds. */
  spend(amount: number, nowMs: number): boolean {
    this.left = Math.min(2 * this.perSecond, this.left + ((nowMs - this.lastMs) / 1000) * this.perSecond);
    this.lastMs = nowMs;
    this.left -= amount;
    return this.left >= 0;
  }

  /** What a peer spent on work (an accepted share) is not held against it. */
  refund(amount: number): void {
    this.left = Math.min(2 * this.perSecond, this.left + amount);
  }
}
