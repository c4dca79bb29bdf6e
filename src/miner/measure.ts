/**
 * "Your hashrate", measured one way for every command that states one: `explain` and `economics
 * --measure`, every round of `bench`, and `mine`'s calibration of the GPU. Real workers, started as
 * mining starts them, hash a job that can never be solved, and their own counters are read.
 */
import type { BackendName } from '../hash/backend.js';
import { describeAdapter, type GpuAdapterInfo } from '../hash/webgpu.js';
import { countOf, formatHashrate } from '../format/numbers.js';
import type { Work } from './work.js';

export interface Measurement {
  hashrate: number;
  hashes: number;
  seconds: number;
  /** The CPU workers' backend, or 'webgpu' when the GPU hashed alone. */
  backend: BackendName;
  /** CPU worker threads, or 1 when the GPU hashed alone. */
  threads: number;
  /** The GPU's adapter, as it reports itself, when the GPU hashed (alone or beside the CPU workers). */
  adapter: GpuAdapterInfo | null;
}

/** A work no hash can meet (target zero), with endless extranonces: pure hashing to measure. */
export function unsolvableWork(id = 'measure'): Work {
  const header = new Uint8Array(80).fill(0x42);
  return {
    id,
    target: 0n,
    stopOnFind: true,
    extranonceCount: Number.MAX_SAFE_INTEGER,
    header: (index) => {
      const copy = Uint8Array.from(header);
      new DataView(copy.buffer).setFloat64(36, index, true);
      return copy;
    },
  };
}

/** What a measurement needs of a started Miner (its own type, not imported: the Miner calibrates with this module). */
export interface MeasuredMiner {
  readonly backend: BackendName;
  readonly threads: number;
  readonly gpu: GpuAdapterInfo | null;
  setWork(work: Work): void;
  stats(): { hashes: number; elapsedSeconds: number };
  pause(): Promise<number>;
}

/** Resolves after `milliseconds`, in any JavaScript runtime. */
export function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Long enough for the workers to settle into their rate, short enough to wait for. */
export const DEFAULT_MEASURE_SECONDS = 2;
/** Longer tells nothing more; it only keeps a person waiting. */
export const MAX_MEASURE_SECONDS = 60;
/** `mine`'s calibration: each way of mining it compares is measured this long. */
export const CALIBRATION_MS = 500;
/** Time from new work to every worker hashing it, left out of a measurement. */
const SETTLE_MS = 40;

/**
 * The measurement itself: the hashes a started miner's workers count over `milliseconds`, on a job
 * they cannot solve, after they have settled on it; the workers are paused again afterwards.
 */
export async function measureRunning(miner: MeasuredMiner, milliseconds: number): Promise<Measurement> {
  miner.setWork(unsolvableWork());
  await delay(SETTLE_MS);
  const before = miner.stats();
  await delay(milliseconds);
  const after = miner.stats();
  await miner.pause();
  const hashes = after.hashes - before.hashes;
  const seconds = after.elapsedSeconds - before.elapsedSeconds;
  return {
    hashrate: seconds > 0 ? hashes / seconds : 0,
    hashes,
    seconds,
    backend: miner.backend,
    threads: miner.threads,
    adapter: miner.gpu,
  };
}

/** How every command labels a measurement, after its rate: "measured over 2.0 s on 2 threads × wasm". */
export function measuredOn(measurement: Omit<Measurement, 'hashrate' | 'hashes'>): string {
  const { backend, threads, adapter } = measurement;
  const cpu = `${countOf(threads, 'thread')} × ${backend}`;
  const on =
    backend === 'webgpu'
      ? `the GPU alone (${adapter ? describeAdapter(adapter) : 'webgpu'})`
      : adapter
        ? `${cpu} and the GPU`
        : cpu;
  return `measured over ${measurement.seconds.toFixed(1)} s on ${on}`;
}

/** A measurement in one phrase, e.g. "2.41 MH/s measured over 2.0 s on 2 threads × wasm". */
export function describeMeasurement(measurement: Measurement): string {
  return `${formatHashrate(measurement.hashrate)} ${measuredOn(measurement)}`;
}
