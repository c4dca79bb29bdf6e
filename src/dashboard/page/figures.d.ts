// Types of figures.js, for the tests that import it; the browser never sees this file (no .ts is served).
export interface Sample {
  t: number;
  hashrate: number;
  workers: number[];
}
export const HISTORY_KEPT: number;
export function addSample(history: Sample[], sample: Sample): Sample[];
export function workerName(index: number): string;
export function highestRate(history: Sample[]): number;
export function furthestNonce(workers: { ranges: [number, number][] }[]): number;
