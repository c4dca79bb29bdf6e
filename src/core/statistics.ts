/** Order statistics the benchmark and the labs report: robust to the odd slow round or late block. */

/** The value a fraction `q` of the way through the sorted values, interpolating between neighbours. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  return sorted[below] + (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]) * (at - below);
}

export const median = (values: readonly number[]): number => quantile(values, 0.5);
