/**
 * What the controller mines: a piece of work from a source (the built-in chain, a node's template,
 * a pool's job), and what it gives back when a nonce meets the work's target.
 */

export interface Work {
  /** Unique among the works of one run, for logs and for matching results to work. */
  readonly id: string;
  /** Solutions are reported for hashes at or below this target (a block target or a share target). */
  readonly target: bigint;
  /** Stop every worker at the first solution (a block), or keep hashing the rest (pool shares). */
  readonly stopOnFind: boolean;
  /** How many extranonce values may be tried; 1 means the first header only. */
  readonly extranonceCount: number;
  /**
   * The 80-byte header (nonce field ignored) for extranonce number `index` (0, 1, …). A new index
   * means a new coinbase and so a new merkle root: the source owns that.
   */
  header(index: number): Uint8Array;
  /** First nonce to hash in each header (default 0): grind narrows the search this way. */
  readonly nonceStart?: number;
  /** How many nonces of each header to hash (default all 2^32 - nonceStart). */
  readonly nonceCount?: number;
}

export interface Solution<W extends Work = Work> {
  work: W;
  extranonceIndex: number;
  nonce: number;
  /** The 80-byte header with the nonce filled in. */
  header: Uint8Array;
  /** Its double SHA-256, internal byte order, re-checked on the main thread. */
  hash: Uint8Array;
  /** Hashes tried on this work until this solution. */
  hashes: number;
  /** Seconds since this work was set. */
  seconds: number;
}
