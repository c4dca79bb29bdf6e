/**
 * What a hashrate buys at a target. Each hash wins with the same small chance, so finds arrive as a
 * Poisson process: the wait for the next one does not depend on how long we have already hashed.
 */

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
