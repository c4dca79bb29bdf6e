/**
 * How a Miner starts: which workers it runs (CPU threads, the GPU's, or both) and, for 'auto', a
 * measurement that keeps the GPU only where it adds hashes. A GPU worker starts first, alone, so that
 * its adapter is known before the CPU workers start.
 */
import { Errors, PowlabError } from '../errors.js';
import type { BackendName } from '../hash/backend.js';
import { chooseFastestBackend } from '../hash/calibrate.js';
import { describeAdapter, softwareNote, type GpuAdapterInfo } from '../hash/webgpu.js';
import type { BestHash } from './best.js';
import {
  CALIBRATION_MS,
  describeMeasurement,
  measureRunning,
  type MeasuredMiner,
  type Measurement,
} from './measure.js';
import { checkBackend, checkThreads, checkThrottle } from './options.js';
import type { ThreadHost } from './threads.js';

export interface MinerOptions {
  /** Where the worker threads come from: Node's worker_threads or a browser's Web Workers. */
  host: ThreadHost;
  /** Worker threads; default: every core. */
  threads?: number;
  backend?: BackendName | 'auto';
  /**
   * One GPU worker beside the CPU workers: true always (it fails without an adapter), false never;
   * by default only with backend 'auto' and no thread count, and then only where the GPU is faster.
   */
  gpu?: boolean;
  /** Percent of each core to use, 1..100. */
  throttle?: number;
  /** The best hash already known (from earlier runs): only better ones are reported as a new best. */
  best?: BestHash | null;
}

/** A Miner built but not started, as start-up drives it (its own type, not imported: the Miner starts with this module). */
export interface StartingMiner extends MeasuredMiner {
  gpu: GpuAdapterInfo | null;
  gpuNote?: string;
  /** Start the first worker alone (the GPU's, when there is one). */
  startFirstWorker(): Promise<void>;
  /** Start every worker not yet started; on any failure, close and throw. */
  startWorkers(): Promise<this>;
  /** The hashes, time and best hashes of a calibration's job, which no one asked for, are not the run's. */
  forgetCalibration(): void;
  close(): Promise<void>;
}

/** Builds a Miner with one worker per entry of `slotBackends` (the GPU's, when there is one, first). */
type MinerFactory<M> = (slotBackends: BackendName[], throttle: number) => M;

/** The backend that mines on the GPU alone, as an option the CPU's options contradict. */
const WEBGPU_ALONE = { option: 'backend', value: 'webgpu' };

/**
 * Start the workers (and calibrate when asked for 'auto'); resolves once all are ready. 'auto' never
 * mines on a software renderer (the CPU's own cores under another name); beside a hardware GPU it
 * measures the CPU workers alone and with the GPU, as mining will run them, and keeps the faster.
 */
export async function startMiner<M extends StartingMiner>(options: MinerOptions, build: MinerFactory<M>): Promise<M> {
  const throttle = checkThrottle(options.throttle ?? 100);
  // A throttled worker rests in Atomics.wait, which only shared memory has.
  if (throttle < 100 && options.host.sharedMemory === false)
    throw Errors.badOption('throttle', 'needs shared memory (SharedArrayBuffer), which this platform does not give');
  const requested = checkBackend(options.backend ?? 'auto');
  if (requested === 'webgpu') {
    if (options.gpu === false) throw Errors.conflictingOptions('no-gpu', WEBGPU_ALONE, 'webgpu mines on the GPU alone');
    if (options.threads !== undefined)
      throw Errors.conflictingOptions(
        'threads',
        WEBGPU_ALONE,
        'threads are CPU workers, and webgpu mines on the GPU alone',
      );
    const gpuMiner = await build(['webgpu'], throttle).startWorkers();
    if (gpuMiner.gpu?.software) gpuMiner.gpuNote = softwareNote(gpuMiner.gpu);
    return gpuMiner;
  }
  const threads = checkThreads(options.threads ?? options.host.defaultThreads, options.host.defaultThreads);
  const backend = requested === 'auto' ? await chooseFastestBackend() : requested;
  const cpuBackends = Array.from({ length: threads }, () => backend);
  const cpuOnly = () => build(cpuBackends, throttle).startWorkers();
  // --threads asks for CPU workers: 'auto' then chooses among CPU backends, and --gpu adds the GPU.
  if (!(options.gpu ?? (requested === 'auto' && options.threads === undefined))) return cpuOnly();

  const miner = build(['webgpu', ...cpuBackends], throttle);
  try {
    await miner.startFirstWorker();
  } catch (error) {
    await miner.close();
    if (options.gpu === true || !(error instanceof PowlabError)) throw error;
    const cpuMiner = await cpuOnly();
    cpuMiner.gpuNote = `not using the GPU: ${error.facts.why ?? error.message}`;
    return cpuMiner;
  }
  const adapter = miner.gpu!;
  if (options.gpu === true) {
    miner.gpuNote = adapter.software
      ? `mining on the CPU workers and ${softwareNote(adapter)}`
      : `mining on the GPU too: ${describeAdapter(adapter)}`;
    return miner.startWorkers();
  }
  if (adapter.software) {
    await miner.close();
    const cpuMiner = await cpuOnly();
    cpuMiner.gpuNote = `not using the GPU: ${softwareNote(adapter)} (the webgpu backend runs on it all the same)`;
    return cpuMiner;
  }
  const cpuMiner = await cpuOnly();
  let withGpu: M;
  try {
    withGpu = await miner.startWorkers();
  } catch (error) {
    await cpuMiner.close();
    throw error;
  }
  return fasterOf(cpuMiner, withGpu);
}

/** Measure the CPU workers alone, then with the GPU beside them, as mining runs them; keep the faster, close the other. */
async function fasterOf<M extends StartingMiner>(cpuMiner: M, withGpu: M): Promise<M> {
  let alone: Measurement;
  let together: Measurement;
  try {
    alone = await measureRunning(cpuMiner, CALIBRATION_MS);
    together = await measureRunning(withGpu, CALIBRATION_MS);
  } catch (error) {
    await Promise.all([cpuMiner.close(), withGpu.close()]);
    throw error;
  }
  const named = describeAdapter(withGpu.gpu!);
  for (const miner of [cpuMiner, withGpu]) miner.forgetCalibration();
  if (together.hashrate > alone.hashrate) {
    await cpuMiner.close();
    withGpu.gpuNote = `mining on the GPU too: ${named}; ${describeMeasurement(together)}, against ${describeMeasurement(alone)}`;
    return withGpu;
  }
  await withGpu.close();
  cpuMiner.gpuNote = `not using the GPU: ${named} adds nothing; ${describeMeasurement(together)}, against ${describeMeasurement(alone)}`;
  return cpuMiner;
}
