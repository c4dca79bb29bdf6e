/**
 * The benchmark: every backend at every thread count, measured by the same engine that mines, in
 * interleaved rounds so that whatever else the machine does falls on all of them alike; the median
 * round is the result. Ratios between results of one run are the honest comparison.
 */
import type { BackendName } from '../hash/backend.js';
import type { WasmVariant } from '../hash/wasm.js';
import { Miner } from './miner.js';
import { delay, hashesOver, unsolvableWork } from './measure.js';
import type { ThreadHost } from './threads.js';
import { describeAdapter, type GpuAdapterInfo } from '../hash/webgpu.js';

export interface BenchOptions {
  host: ThreadHost;
  /** The machine measured, as its platform describes it. */
  machine: Machine;
  backends: BackendName[];
  threads: number[];
  /** Measured seconds per backend and thread count, split across the rounds. */
  seconds: number;
  rounds: number;
  /** Told before each measured round: which one, and how many in all. */
  onRound?: (done: number, total: number, backend: BackendName, threads: number) => void;
  /** Stops the run early; the report then holds the rounds measured so far. */
  signal?: AbortSignal;
}

export interface Machine {
  cpu: string;
  cores: number;
  platform: string;
  arch: string;
  memoryGiB: number;
  node: string;
  v8: string;
  /** Which wasm module this engine runs: 128-bit SIMD, or the scalar fallback. */
  wasm: WasmVariant | 'unavailable';
}

export interface BenchResult {
  backend: BackendName;
  threads: number;
  /** Median of the rounds, hashes per second. */
  hashrate: number;
  perThread: number;
  /** hashrate / (threads x this backend's one-thread hashrate), when one thread was measured. */
  scaling: number | null;
  /** hashrate / noble's hashrate at the same thread count, when noble was measured. */
  vsNoble: number | null;
  rounds: number[];
  /**
   * How far the rounds disagree: their interquartile range over the median (0.05: the middle half of
   * the rounds lie within 5% of the median's size). Null with fewer than 3 rounds, too few to say.
   */
  spread: number | null;
}

/** Past this spread a case's median moves by more than the ratios between backends are worth trusting. */
export const TRUSTED_SPREAD = 0.15;

export interface BenchReport {
  machine: Machine;
  /** The adapter of the webgpu row, when there is one. */
  gpu: (GpuAdapterInfo & { name: string }) | null;
  seconds: number;
  rounds: number;
  /** False when the run was stopped before every round was measured. */
  complete: boolean;
  results: BenchResult[];
}

/** Time a miner gets to start its workers' loops and let the engine optimise them, not measured. */
const WARM_UP_MS = 300;
/** Time from new work to every worker hashing it, left out of each round. */
const ROUND_START_MS = 40;

/** The value a fraction `q` of the way through the sorted values, interpolating between neighbours. */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  return sorted[below] + (sorted[Math.min(below + 1, sorted.length - 1)] - sorted[below]) * (at - below);
}

const median = (values: number[]) => quantile(values, 0.5);

/** Interquartile range over median: robust to the odd round a busy machine ruins. */
export function roundSpread(rounds: number[]): number | null {
  if (rounds.length < 3) return null;
  const middle = median(rounds);
  return middle > 0 ? (quantile(rounds, 0.75) - quantile(rounds, 0.25)) / middle : null;
}

async function timedRound(miner: Miner, milliseconds: number): Promise<number> {
  miner.setWork(unsolvableWork());
  await delay(ROUND_START_MS);
  const { hashes, seconds } = await hashesOver(miner, milliseconds);
  await miner.pause();
  return hashes / seconds;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  // The GPU is one worker, whatever the thread counts: one row.
  const cases = options.backends.flatMap((backend): { backend: BackendName; threads: number }[] =>
    backend === 'webgpu' ? [{ backend, threads: 1 }] : options.threads.map((threads) => ({ backend, threads })),
  );
  let gpu: GpuAdapterInfo | null = null;
  const miners: Miner[] = [];
  const rounds: number[][] = cases.map(() => []);
  const total = cases.length * options.rounds;
  let done = 0;
  try {
    for (const { backend, threads } of cases) {
      if (options.signal?.aborted) break;
      const miner = await Miner.start(
        backend === 'webgpu' ? { host: options.host, backend } : { host: options.host, backend, threads },
      );
      miners.push(miner);
      gpu ??= miner.gpu;
      miner.setWork(unsolvableWork());
      await delay(WARM_UP_MS);
      await miner.pause();
    }
    const roundMs = (options.seconds * 1000) / options.rounds;
    for (let round = 0; round < options.rounds && !options.signal?.aborted; round++) {
      // Forwards, then backwards: no case always runs just after the same neighbour or at a round's edge.
      const order = cases.map((_, i) => (round % 2 === 0 ? i : cases.length - 1 - i));
      for (const i of order) {
        const { backend, threads } = cases[i];
        if (options.signal?.aborted) break;
        options.onRound?.(done, total, backend, threads);
        rounds[i].push(await timedRound(miners[i], roundMs));
        done++;
      }
    }
  } finally {
    await Promise.all(miners.map((miner) => miner.close()));
  }
  const results = cases
    .map(({ backend, threads }, i) => ({ backend, threads, hashrate: median(rounds[i]), rounds: rounds[i] }))
    .filter((result) => result.rounds.length > 0);
  const rateOf = (backend: BackendName, threads: number) =>
    results.find((r) => r.backend === backend && r.threads === threads)?.hashrate;
  return {
    machine: options.machine,
    gpu: gpu && { ...gpu, name: describeAdapter(gpu) },
    seconds: options.seconds,
    rounds: options.rounds,
    complete: done === total,
    results: results.map((result) => {
      const oneThread = rateOf(result.backend, 1);
      const noble = rateOf('noble', result.threads);
      return {
        backend: result.backend,
        threads: result.threads,
        hashrate: result.hashrate,
        perThread: result.hashrate / result.threads,
        scaling: oneThread ? result.hashrate / (result.threads * oneThread) : null,
        vsNoble: noble ? result.hashrate / noble : null,
        rounds: result.rounds,
        spread: roundSpread(result.rounds),
      };
    }),
  };
}
