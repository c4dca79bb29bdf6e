/**
 * What a hashrate buys at a target. Each hash wins with the same small chance, so finds arrive as a
 * Poisson process: the wait for the next one does not depend on how long we have already hashed.
 */

export const SECONDS_PER_HOUR = 3600;

/** The mean wait for the next find: expected hashes (difficulty × 2^32) over the hashrate. */
export function expectedSecondsToFind(expectedHashes: number, hashrate: number): number {
  return hashrate > 0 ? expectedHashes / hashrate : Infinity;
}

/** The chance of at least one find within `seconds`: 1 - e^(-hashrate × seconds / expected hashes). */
export function chanceOfFindWithin(seconds: number, expectedHashes: number, hashrate: number): number {
  if (!(expectedHashes > 0) || !(hashrate > 0)) return 0;
  // expm1 keeps tiny chances (a laptop at mainnet difficulty) from rounding to zero.
  return -Math.expm1((-hashrate * seconds) / expectedHashes);
}

export interface Odds {
  /** The mean wait for the next find (Infinity with no hashrate). */
  expectedSeconds: number;
  /** The wait is exponentially distributed: half of all finds come sooner than ln 2 × the mean. */
  medianSeconds: number;
  chanceWithinHour: number;
}

/** The odds every summary shows: the mean and median wait for the next find, and the chance of one within the hour. */
export function oddsAt(expectedHashes: number, hashrate: number): Odds {
  const expectedSeconds = expectedSecondsToFind(expectedHashes, hashrate);
  return {
    expectedSeconds,
    medianSeconds: Math.LN2 * expectedSeconds,
    chanceWithinHour: chanceOfFindWithin(SECONDS_PER_HOUR, expectedHashes, hashrate),
  };
}
