/**
 * The benchmark: every backend at every thread count, measured by the same engine that mines, in
 * interleaved rounds so that whatever else the machine does falls on all of them alike; the median
 * round is the result. Ratios between results of one run are the honest comparison.
 */
import { median, quantile } from '../core/statistics.js';
import type { BackendName } from '../hash/backend.js';
import type { WasmVariant } from '../hash/wasm.js';
import { PowlabError } from '../errors.js';
import { Miner } from './miner.js';
import { delay, measureRunning, unsolvableWork } from './measure.js';
import type { ThreadHost } from './threads.js';
import { describeAdapter, type GpuAdapterInfo } from '../hash/webgpu.js';
import {
  FIXED_NONCES_PER_HEADER,
  FIXED_TARGET_ZERO_BITS,
  hashFixedWork,
  sameChecksum,
  type FixedWorkChecksum,
} from './fixed-work.js';

export interface BenchOptions {
  host: ThreadHost;
  /** The machine measured, as its platform describes it. */
  machine: Machine;
  backends: BackendName[];
  /**
   * Backends named by default rather than asked for: one that cannot start here (webgpu without an
   * adapter) is left out with its reason instead of failing the run.
   */
  optional?: BackendName[];
  threads: number[];
  /** Measured seconds per backend and thread count, split across the rounds (unused with fixedWork). */
  seconds: number;
  rounds: number;
  /** Millions of nonces of the fixed workload each round hashes, instead of timed rounds. */
  fixedWork?: number;
  /** Where the watts beside each hashrate come from, if anywhere: a meter read around every round, or a figure given. */
  power?: { meter: EnergyMeter } | { watts: number } | { unavailable: string };
  /** Told before each measured round: which one, and how many in all. */
  onRound?: (done: number, total: number, backend: BackendName, threads: number) => void;
  /** Stops the run early; the report then holds the rounds measured so far. */
  signal?: AbortSignal;
}

export interface Machine {
  cpu: string;
  /** The threads this process may run at once: what bench's default thread counts go up to. */
  cores: number;
  /*
   * The next three are absent where the platform cannot tell (a browser's page): its Machine comes
   * from navigator, which names neither cores nor instruction sets.
   */
  /** Physical cores, as /proc/cpuinfo counts them; null where it does not say. */
  physicalCores?: number | null;
  /** Logical processors (hardware threads) the OS shows. */
  hardwareThreads?: number;
  /** The SHA-relevant instruction-set flags /proc/cpuinfo lists (sse4_1, avx2, avx512f, sha_ni; asimd, sha2); null without it. */
  cpuFlags?: string[] | null;
  platform: string;
  arch: string;
  memoryGiB: number;
  node: string;
  v8: string;
  /** Which wasm module this engine runs: 128-bit SIMD, or the scalar fallback. */
  wasm: WasmVariant | 'unavailable';
}

/** Joules drawn since it was opened (RAPL, or a test's fake), read as often as wanted. */
export interface EnergyMeter {
  /** What it sums, e.g. "RAPL package-0". */
  readonly source: string;
  joules(): number;
}

/** Energy beside a hashrate: what a laptop's hashes cost, comparable with an ASIC's J/TH. */
export interface EnergyFigures {
  /** Median of the rounds' watts, or the watts given. */
  watts: number;
  joulesPerTerahash: number;
  hashesPerJoule: number;
}

export function energyFigures(watts: number, hashrate: number): EnergyFigures {
  return { watts, joulesPerTerahash: (watts / hashrate) * 1e12, hashesPerJoule: hashrate / watts };
}

export interface BenchResult {
  backend: BackendName;
  threads: number;
  /** For webgpu: the adapter as it reports itself, and whether it is a software renderer on the CPU. */
  adapter?: GpuAdapterInfo;
  /** Median of the rounds, hashes per second. */
  hashrate: number;
  /** With the fixed workload: the median round's seconds, and what the first round found. */
  fixedWork?: { seconds: number; checksum: FixedWorkChecksum };
  /** With a power source: the watts, joules per terahash and hashes per joule at the median hashrate. */
  energy?: EnergyFigures;
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
  /** Optional backends that could not start here, and why (one line each). */
  notMeasured: { backend: BackendName; reason: string }[];
  /**
   * The fixed workload, when one was hashed: its size, and the checksum every round of every row
   * found, or null when they disagree (a broken backend).
   */
  fixedWork: FixedWorkSummary | null;
  /** Where each row's energy figures come from, or why there are none (one line). */
  energy: { source: string } | { unavailable: string };
}

export interface FixedWorkSummary {
  millions: number;
  noncesPerHeader: number;
  targetZeroBits: number;
  checksum: FixedWorkChecksum | null;
}

/** Time a miner gets to start its workers' loops and let the engine optimise them, not measured. */
const WARM_UP_MS = 300;

/** Interquartile range over median: robust to the odd round a busy machine ruins. */
export function roundSpread(rounds: number[]): number | null {
  if (rounds.length < 3) return null;
  const middle = median(rounds);
  return middle > 0 ? (quantile(rounds, 0.75) - quantile(rounds, 0.25)) / middle : null;
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  // The GPU is one worker, whatever the thread counts: one row.
  const planned = options.backends.flatMap((backend): { backend: BackendName; threads: number }[] =>
    backend === 'webgpu' ? [{ backend, threads: 1 }] : options.threads.map((threads) => ({ backend, threads })),
  );
  const meter = options.power && 'meter' in options.power ? options.power.meter : undefined;
  const cases: {
    backend: BackendName;
    threads: number;
    miner: Miner;
    rounds: number[];
    fixed: { seconds: number; checksum: FixedWorkChecksum }[];
    watts: number[];
  }[] = [];
  const notMeasured: BenchReport['notMeasured'] = [];
  let done = 0;
  try {
    for (const { backend, threads } of planned) {
      if (options.signal?.aborted) break;
      let miner: Miner;
      try {
        miner = await Miner.start(
          backend === 'webgpu' ? { host: options.host, backend } : { host: options.host, backend, threads },
        );
      } catch (error) {
        if (!(error instanceof PowlabError && options.optional?.includes(backend))) throw error;
        notMeasured.push({ backend, reason: error.facts.why ?? error.message });
        continue;
      }
      cases.push({ backend, threads, miner, rounds: [], fixed: [], watts: [] });
      miner.setWork(unsolvableWork());
      await delay(WARM_UP_MS);
      await miner.pause();
    }
    const roundMs = (options.seconds * 1000) / options.rounds;
    for (let round = 0; round < options.rounds && !options.signal?.aborted; round++) {
      // Forwards, then backwards: no case always runs just after the same neighbour or at a round's edge.
      const order = round % 2 === 0 ? cases : [...cases].reverse();
      for (const { backend, threads, miner, rounds, fixed, watts } of order) {
        if (options.signal?.aborted) break;
        options.onRound?.(done, cases.length * options.rounds, backend, threads);
        const before = meter && { joules: meter.joules(), at: performance.now() };
        if (options.fixedWork) {
          const outcome = await hashFixedWork(miner, options.fixedWork, options.signal);
          if (!outcome) break;
          rounds.push(outcome.hashrate);
          fixed.push(outcome);
        } else {
          rounds.push((await measureRunning(miner, roundMs)).hashrate);
        }
        if (before) watts.push((meter.joules() - before.joules) / ((performance.now() - before.at) / 1000));
        done++;
      }
    }
  } finally {
    await Promise.all(cases.map(({ miner }) => miner.close()));
  }
  const results = cases
    .filter((c) => c.rounds.length > 0)
    .map(({ backend, threads, miner, rounds, fixed, watts }) => ({
      backend,
      threads,
      adapter: miner.gpu,
      hashrate: median(rounds),
      rounds,
      watts: options.power && 'watts' in options.power ? options.power.watts : watts.length > 0 ? median(watts) : null,
      fixedWork: fixed[0] && { seconds: median(fixed.map((round) => round.seconds)), checksum: fixed[0].checksum },
    }));
  const rateOf = (backend: BackendName, threads: number) =>
    results.find((r) => r.backend === backend && r.threads === threads)?.hashrate;
  const gpu = cases.find((c) => c.miner.gpu)?.miner.gpu ?? null;
  return {
    machine: options.machine,
    gpu: gpu && { ...gpu, name: describeAdapter(gpu) },
    seconds: options.seconds,
    rounds: options.rounds,
    complete: done === cases.length * options.rounds && cases.length + notMeasured.length === planned.length,
    results: results.map((result) => {
      const oneThread = rateOf(result.backend, 1);
      const noble = rateOf('noble', result.threads);
      return {
        backend: result.backend,
        threads: result.threads,
        ...(result.adapter ? { adapter: result.adapter } : {}),
        hashrate: result.hashrate,
        ...(result.fixedWork ? { fixedWork: result.fixedWork } : {}),
        ...(result.watts ? { energy: energyFigures(result.watts, result.hashrate) } : {}),
        perThread: result.hashrate / result.threads,
        scaling: oneThread ? result.hashrate / (result.threads * oneThread) : null,
        vsNoble: noble ? result.hashrate / noble : null,
        rounds: result.rounds,
        spread: roundSpread(result.rounds),
      };
    }),
    notMeasured,
    energy: energySource(options.power),
    fixedWork: options.fixedWork
      ? {
          millions: options.fixedWork,
          noncesPerHeader: FIXED_NONCES_PER_HEADER,
          targetZeroBits: FIXED_TARGET_ZERO_BITS,
          checksum: agreedChecksum(cases.flatMap((c) => c.fixed.map((round) => round.checksum))),
        }
      : null,
  };
}

function energySource(power: BenchOptions['power']): BenchReport['energy'] {
  if (!power) return { unavailable: 'power not measured here' };
  if ('meter' in power) return { source: power.meter.source };
  if ('watts' in power) return { source: `given: ${power.watts} W` };
  return power;
}

/** The checksum every round found, or null when any two disagree (or none was hashed). */
function agreedChecksum(checksums: FixedWorkChecksum[]): FixedWorkChecksum | null {
  const [first] = checksums;
  return first && checksums.every((checksum) => sameChecksum(checksum, first)) ? first : null;
}
