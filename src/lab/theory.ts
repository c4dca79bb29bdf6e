/**
 * The formulas the consensus labs measure against, each as its paper states it. Pure functions of
 * the measured quantities, so a lab's theory column is computed at what the run actually had.
 */

/**
 * Eyal and Sirer, "Majority is not Enough: Bitcoin Mining is Vulnerable" (2014), equation 8: the
 * selfish pool's share of the blocks in the main chain, for hash share `alpha` and `gamma`, the share
 * of honest mining power that builds on the pool's block when two branches race.
 */
export function selfishRevenue(alpha: number, gamma: number): number {
  // The paper's formula holds below half: with a majority, the private branch always wins in the end.
  if (alpha >= 0.5) return 1;
  const a = alpha;
  return (a * (1 - a) ** 2 * (4 * a + gamma * (1 - 2 * a)) - a ** 3) / (1 - a * (1 + (2 - a) * a));
}

/** The same paper's threshold: above this hash share, selfish mining earns more than its share. */
export function selfishThreshold(gamma: number): number {
  return (1 - gamma) / (3 - 2 * gamma);
}

/**
 * Nakamoto, "Bitcoin: A Peer-to-Peer Electronic Cash System" (2008), section 11: the chance an
 * attacker with hash share q ever overtakes the honest chain once the payment has z confirmations,
 * its progress in the meantime taken as Poisson with mean z·q/p.
 */
export function nakamotoSuccess(q: number, z: number): number {
  const p = 1 - q;
  if (q >= p) return 1;
  const lambda = (z * q) / p;
  let sum = 1;
  let poisson = Math.exp(-lambda);
  for (let k = 0; k <= z; k++) {
    if (k > 0) poisson *= lambda / k;
    sum -= poisson * (1 - (q / p) ** (z - k));
  }
  return Math.max(0, sum);
}

/**
 * Rosenfeld, "Analysis of Hashrate-Based Double Spending" (2014), the exact form of the same chance:
 * the attacker's blocks while the honest chain finds z are negative binomial, not Poisson. Like
 * Nakamoto's, it takes catching up as enough, which holds for an attacker with one block pre-mined.
 */
export function rosenfeldSuccess(q: number, z: number): number {
  const p = 1 - q;
  if (q >= p || z === 0) return 1;
  let sum = 0;
  let choose = 1; // C(m + z - 1, m), from m = 0
  for (let m = 0; m <= z; m++) {
    if (m > 0) choose = (choose * (m + z - 1)) / m;
    sum += choose * (p ** z * q ** m - q ** z * p ** m);
  }
  return Math.max(0, 1 - sum);
}

/**
 * The first-order stale rate: the chance another block is found while one travels for `delay`
 * seconds, blocks coming every `spacing` seconds on average (a Poisson process).
 */
export function staleFirstOrder(delay: number, spacing: number): number {
  return 1 - Math.exp(-delay / spacing);
}

/** A proportion's Wilson score interval at `z` standard errors (2.576: 99 %). */
export function wilsonInterval(successes: number, trials: number, z = 2.576): [number, number] {
  if (trials === 0) return [0, 1];
  const phat = successes / trials;
  const z2 = z * z;
  const centre = (phat + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z / (1 + z2 / trials)) * Math.sqrt((phat * (1 - phat)) / trials + z2 / (4 * trials * trials));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
