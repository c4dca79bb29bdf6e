/**
 * The controller: one long-lived worker per thread, nonce ranges handed out on demand and sized to a
 * fraction of a second, every find re-checked here before it is believed, and the extranonce rolled
 * when a header's nonces run out. Jobs in, ranges out, results and hashrate back. The threads come
 * through a ThreadHost, so the same Miner runs in Node and in a browser.
 */
import { withNonce } from '../core/header.js';
import { sha256d } from '../core/sha256.js';
import {
  expectedHashes,
  hashMeetsTarget,
  hashToBigInt,
  MAX_TARGET,
  targetToDifficulty,
  targetToLimbs,
} from '../core/target.js';
import { Errors, PowlabError } from '../errors.js';
import { Emitter } from '../events.js';
import type { BackendName } from '../hash/backend.js';
import { chooseFastestBackend } from '../hash/calibrate.js';
import { describeAdapter, softwareNote, type GpuAdapterInfo } from '../hash/webgpu.js';
import {
  CONTROL_EPOCH,
  CONTROL_SLOTS,
  CONTROL_THROTTLE,
  type FromWorker,
  type ToWorker,
  type WorkerBuffer,
  type WorkerInit,
} from '../worker/protocol.js';
import { bestHashFrom, isBetter, type BestHash } from './best.js';
import { CALIBRATION_MS, describeMeasurement, measureRunning, type Measurement } from './measure.js';
import { HashrateMeter } from './meter.js';
import { checkBackend, checkThreads, checkThrottle } from './options.js';
import { RangeScheduler, type HeaderJob } from './ranges.js';
import { WorkerSlot } from './slot.js';
import type { MinerThread, ThreadHost } from './threads.js';
import type { Solution, Work } from './work.js';

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

export interface WorkerStats {
  index: number;
  hashes: number;
  hashrate: number;
  /** Nonce ranges [start, end) this worker has covered in the current header: the latest RANGES_KEPT, for drawing. */
  ranges: [number, number][];
  /** Nonces this worker has hashed in the current header, all of them. */
  covered: number;
}

export interface MinerStats {
  backend: BackendName;
  /** The GPU worker's adapter, when one hashes. */
  gpu: GpuAdapterInfo | null;
  threads: number;
  throttle: number;
  /**
   * The share of the run's time the workers spent hashing, over all of them (0..1): what --throttle
   * sets. The hashrate need not follow it: a core with a sibling at rest, or with room to clock up,
   * hashes faster while it works.
   */
  dutyCycle: number;
  elapsedSeconds: number;
  hashes: number;
  hashrate: number;
  meanHashrate: number;
  /** Hashes on the current work since it was set. */
  workHashes: number;
  /** Seconds since the current work was set. */
  workSeconds: number;
  /** Expected hashes for one solution at the current work's target. */
  expectedHashes: number;
  /** The current work's target as a difficulty (0 before any work; Infinity for a target no hash meets). */
  difficulty: number;
  extranonceIndex: number;
  workers: WorkerStats[];
  /** The best hash known: this run's, or an earlier run's when that was better. */
  best: BestHash | null;
  /** The best hash of this run. */
  sessionBest: BestHash | null;
  workersReplaced: number;
}

export interface MinerEvents<W extends Work> {
  found: [Solution<W>];
  exhausted: [W];
  /** A new all-time best (kept across runs). */
  best: [BestHash];
  /** A new best of this run. */
  record: [BestHash];
  workerReplaced: [number];
  warning: [string];
  /** Workers keep dying: the Miner cannot hash any more. */
  failed: [Error];
}

const SAMPLE_MS = 250;
/** The backend that mines on the GPU alone, as an option the CPU's options contradict. */
const WEBGPU_ALONE = { option: 'backend', value: 'webgpu' };

/** Expected hashes and difficulty of a target: bigint divisions, done once per work rather than per stats() call. */
function oddsOf(target: bigint): { expectedHashes: number; difficulty: number } {
  return { expectedHashes: expectedHashes(target), difficulty: target === 0n ? Infinity : targetToDifficulty(target) };
}

export class Miner<W extends Work = Work> extends Emitter<MinerEvents<W>> {
  private readonly sharedMemory: boolean;
  private readonly control: WorkerBuffer;
  private readonly controlView: Int32Array;
  private readonly progress: WorkerBuffer;
  private readonly progressView: BigInt64Array;
  private readonly positions: WorkerBuffer;
  private readonly positionsView: Uint32Array;
  private readonly busy: WorkerBuffer;
  private readonly busyView: BigInt64Array;
  private readonly slots: WorkerSlot<W>[];
  private meter: HashrateMeter;
  /** Each worker's progress and busy counters when counting (re)started: a calibration's hashes are not the run's. */
  private countedFrom = { progress: [] as number[], busyMicros: 0 };
  private readonly sampler: ReturnType<typeof setInterval>;
  private readonly ranges = new RangeScheduler<W>(() => {
    for (const slot of this.slots) slot.coverage.reset();
  });

  private nextRangeId = 0;
  private workSetAt = 0;
  private firstWorkAt?: number;
  /** The current work's expected hashes and difficulty. */
  private workOdds = { expectedHashes: 0, difficulty: 0 };
  private hashesAtWorkSet = 0;
  private halted = true;
  private haltedAt = 0;
  private exhaustedReported = false;
  private idleWaiters: ((stopMs: number) => void)[] = [];
  private best: BestHash | null;
  /** The best known when the Miner started, to forget a calibration's bests by. */
  private readonly bestBefore: BestHash | null;
  private sessionBest: BestHash | null = null;
  private bestLimbs: Uint32Array;
  private closing = false;
  private replaced = 0;

  /** The GPU worker's adapter, once it is ready. */
  gpu: GpuAdapterInfo | null = null;
  /** Why the GPU does or does not hash, in one line, when 'auto' decided it. */
  gpuNote?: string;

  /** `slotBackends`: one worker per entry; the GPU's ('webgpu'), when there is one, comes first. */
  private constructor(
    private readonly host: ThreadHost,
    slotBackends: BackendName[],
    throttle: number,
    best: BestHash | null,
  ) {
    super();
    this.sharedMemory = host.sharedMemory ?? true;
    const buffer = (bytes: number) => (this.sharedMemory ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.control = buffer(Int32Array.BYTES_PER_ELEMENT * CONTROL_SLOTS);
    this.controlView = new Int32Array(this.control);
    this.progress = buffer(BigInt64Array.BYTES_PER_ELEMENT * slotBackends.length);
    this.progressView = new BigInt64Array(this.progress);
    this.positions = buffer(Uint32Array.BYTES_PER_ELEMENT * slotBackends.length);
    this.positionsView = new Uint32Array(this.positions);
    this.busy = buffer(BigInt64Array.BYTES_PER_ELEMENT * slotBackends.length);
    this.busyView = new BigInt64Array(this.busy);
    Atomics.store(this.controlView, CONTROL_THROTTLE, throttle);
    this.slots = slotBackends.map((backend, index) => new WorkerSlot<W>(index, backend));
    this.best = best;
    this.bestBefore = best;
    // Workers report each hash that beats this run's best, so the run's best is known as well as the all-time one.
    this.bestLimbs = targetToLimbs(MAX_TARGET);
    this.meter = this.countFromNow();
    this.sampler = setInterval(() => this.meter.sample(), SAMPLE_MS);
    (this.sampler as { unref?: () => void }).unref?.();
  }

  /** The CPU workers' backend, or 'webgpu' when the GPU hashes alone. */
  get backend(): BackendName {
    return this.slots.find((slot) => slot.backend !== 'webgpu')?.backend ?? 'webgpu';
  }

  /** CPU worker threads, or 1 when the GPU hashes alone. */
  get threads(): number {
    return this.slots.filter((slot) => slot.backend !== 'webgpu').length || this.slots.length;
  }

  /**
   * Start the workers (and calibrate when asked for 'auto'); resolves once all are ready. A GPU
   * worker starts first, alone, so that its adapter is known before the CPU workers start. 'auto'
   * never mines on a software renderer (the CPU's own cores under another name); beside a hardware
   * GPU it measures the CPU workers alone and with the GPU, as mining will run them, and keeps the faster.
   */
  static async start<W extends Work = Work>(options: MinerOptions): Promise<Miner<W>> {
    const throttle = checkThrottle(options.throttle ?? 100);
    // A throttled worker rests in Atomics.wait, which only shared memory has.
    if (throttle < 100 && options.host.sharedMemory === false)
      throw Errors.badOption('throttle', 'needs shared memory (SharedArrayBuffer), which this platform does not give');
    const requested = checkBackend(options.backend ?? 'auto');
    const best = options.best ?? null;
    if (requested === 'webgpu') {
      if (options.gpu === false)
        throw Errors.conflictingOptions('no-gpu', WEBGPU_ALONE, 'webgpu mines on the GPU alone');
      if (options.threads !== undefined)
        throw Errors.conflictingOptions(
          'threads',
          WEBGPU_ALONE,
          'threads are CPU workers, and webgpu mines on the GPU alone',
        );
      const gpuMiner = await Miner.launch<W>(new Miner<W>(options.host, ['webgpu'], throttle, best));
      if (gpuMiner.gpu?.software) gpuMiner.gpuNote = softwareNote(gpuMiner.gpu);
      return gpuMiner;
    }
    const threads = checkThreads(options.threads ?? options.host.defaultThreads, options.host.defaultThreads);
    const backend = requested === 'auto' ? await chooseFastestBackend() : requested;
    const cpuBackends = Array.from({ length: threads }, () => backend);
    const cpuOnly = () => Miner.launch<W>(new Miner<W>(options.host, cpuBackends, throttle, best));
    // --threads asks for CPU workers: 'auto' then chooses among CPU backends, and --gpu adds the GPU.
    if (!(options.gpu ?? (requested === 'auto' && options.threads === undefined))) return cpuOnly();

    const miner = new Miner<W>(options.host, ['webgpu', ...cpuBackends], throttle, best);
    try {
      await miner.spawn(miner.slots[0]);
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
      return Miner.launch<W>(miner);
    }
    if (adapter.software) {
      await miner.close();
      const cpuMiner = await cpuOnly();
      cpuMiner.gpuNote = `not using the GPU: ${softwareNote(adapter)} (the webgpu backend runs on it all the same)`;
      return cpuMiner;
    }
    const cpuMiner = await cpuOnly();
    let withGpu: Miner<W>;
    try {
      withGpu = await Miner.launch<W>(miner);
    } catch (error) {
      await cpuMiner.close();
      throw error;
    }
    return Miner.fasterOf(cpuMiner, withGpu);
  }

  /** Measure the CPU workers alone, then with the GPU beside them, as mining runs them; keep the faster, close the other. */
  private static async fasterOf<W extends Work>(cpuMiner: Miner<W>, withGpu: Miner<W>): Promise<Miner<W>> {
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

  /** Spawn every slot not yet started; on any failure, close and throw. */
  private static async launch<W extends Work>(miner: Miner<W>): Promise<Miner<W>> {
    try {
      await Promise.all(miner.slots.filter((slot) => !slot.thread).map((slot) => miner.spawn(slot)));
    } catch (error) {
      await miner.close();
      throw error;
    }
    return miner;
  }

  /** Mine this work from now on; every worker drops what it was doing within a chunk (a few ms). */
  setWork(work: W): void {
    this.ranges.setWork(work);
    this.stopRanges();
    this.halted = false;
    this.exhaustedReported = false;
    this.workSetAt = performance.now();
    this.firstWorkAt ??= this.workSetAt;
    this.hashesAtWorkSet = this.meter.reading().hashes;
    this.workOdds = oddsOf(work.target);
    for (const slot of this.slots) this.dispatch(slot);
  }

  /**
   * The current work at another target (a pool's new share difficulty). No nonce is hashed twice:
   * ranges already out stop where they are and the rest of each goes out again under the new target,
   * so every share after this is mined at the difficulty the pool now credits. A `work` with other
   * headers is new work: mined as setWork does.
   */
  retarget(work: W): void {
    if (!this.ranges.retarget(work)) return this.setWork(work);
    this.workOdds = oddsOf(work.target);
    this.bumpEpoch();
  }

  /** Stop hashing and keep the workers; resolves with the milliseconds they took to stop. */
  pause(): Promise<number> {
    if (!this.halted) {
      this.halted = true;
      this.stopRanges();
    }
    return this.whenIdle();
  }

  /** Resolves when no worker holds a range, with the milliseconds since the last halt. */
  whenIdle(): Promise<number> {
    if (this.slots.every((slot) => !slot.range))
      return Promise.resolve(this.haltedAt ? performance.now() - this.haltedAt : 0);
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stats(): MinerStats {
    const reading = this.meter.reading();
    const job = this.ranges.job;
    return {
      backend: this.backend,
      gpu: this.gpu,
      threads: this.threads,
      throttle: Atomics.load(this.controlView, CONTROL_THROTTLE),
      dutyCycle: this.dutyCycle(),
      elapsedSeconds: reading.elapsedSeconds,
      hashes: reading.hashes,
      hashrate: reading.hashrate,
      meanHashrate: reading.meanHashrate,
      workHashes: job ? reading.hashes - this.hashesAtWorkSet : 0,
      workSeconds: job ? (performance.now() - this.workSetAt) / 1000 : 0,
      expectedHashes: this.workOdds.expectedHashes,
      difficulty: this.workOdds.difficulty,
      extranonceIndex: job?.extranonceIndex ?? 0,
      workers: this.slots.map((slot) => {
        // Copies: the latest range keeps growing in place, and a snapshot must not change after it is taken.
        const ranges = slot.coverage.ranges.map(([start, end]): [number, number] => [start, end]);
        let covered = slot.coverage.count;
        const range = slot.range;
        if (range && range.job.header === job?.header) {
          const position = Atomics.load(this.positionsView, slot.index);
          if (position > range.start && position <= range.end) {
            ranges.push([range.start, position]);
            covered += position - range.start;
          }
        }
        return { index: slot.index, ...reading.perWorker[slot.index], ranges, covered };
      }),
      best: this.best,
      sessionBest: this.sessionBest,
      workersReplaced: this.replaced,
    };
  }

  /** The hashes, time and best hashes of a calibration's job, which no one asked for, are not the run's. */
  private forgetCalibration(): void {
    this.meter = this.countFromNow();
    this.sessionBest = null;
    this.best = this.bestBefore;
    this.bestLimbs = targetToLimbs(MAX_TARGET);
  }

  /** A meter that counts from now, and the duty cycle with it: what came before is not the run's. */
  private countFromNow(): HashrateMeter {
    this.countedFrom = {
      progress: Array.from(this.progressView, Number),
      busyMicros: this.busyView.reduce((sum, micros) => sum + Number(micros), 0),
    };
    this.firstWorkAt = undefined;
    return new HashrateMeter(() =>
      Array.from(this.progressView, (hashes, i) => Number(hashes) - this.countedFrom.progress[i]),
    );
  }

  /** Busy time over the time since the first work, for all workers together. */
  private dutyCycle(): number {
    const seconds = this.firstWorkAt === undefined ? 0 : (performance.now() - this.firstWorkAt) / 1000;
    if (!(seconds > 0)) return 0;
    const busySeconds =
      (this.busyView.reduce((sum, micros) => sum + Number(micros), 0) - this.countedFrom.busyMicros) / 1e6;
    return Math.min(1, busySeconds / (seconds * this.slots.length));
  }

  /** End one worker abruptly, as a crash would: its range is redone by a fresh worker (fault injection for the lab). */
  async crashWorker(index: number): Promise<void> {
    const thread = this.slots[index]?.thread;
    if (!thread) throw new RangeError(`no worker ${index}`);
    await thread.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.halted = true;
    clearInterval(this.sampler);
    this.stopRanges();
    await Promise.all(this.slots.map((slot) => slot.thread?.terminate() ?? Promise.resolve()));
    for (const resolve of this.idleWaiters.splice(0)) resolve(0);
  }

  /**
   * Start a thread in the slot. Resolves once it is ready; rejects when it fails or exits first. Once
   * started, a thread that dies is replaced (see replaceWorker).
   */
  private spawn(slot: WorkerSlot<W>): Promise<void> {
    const init: WorkerInit = {
      index: slot.index,
      backend: slot.backend,
      sharedMemory: this.sharedMemory,
      control: this.control,
      progress: this.progress,
      positions: this.positions,
      busy: this.busy,
    };
    return new Promise((resolve, reject) => {
      let thread: MinerThread | undefined;
      let ready = false;
      let failure: Error | undefined;
      let unavailable: PowlabError | undefined;
      const current = () => thread !== undefined && slot.thread === thread;
      this.host
        .spawn(init, {
          message: (message: FromWorker) => {
            if (!current()) return;
            if (message.type === 'unavailable') {
              unavailable = Errors.noGpu(message.reason);
              return;
            }
            if (message.type === 'failed') {
              // It can do no more: ended here, it dies as a crash would, and its exit replaces it.
              failure = new Error(message.reason);
              return void thread?.terminate();
            }
            if (message.type !== 'ready') return this.onMessage(slot, message);
            if (message.adapter) this.gpu = message.adapter;
            if (message.hashrate) slot.rate = message.hashrate;
            ready = true;
            slot.ready();
            resolve();
            this.dispatch(slot);
          },
          error: (cause: Error) => {
            failure = cause;
          },
          exit: () => {
            if (!current()) return;
            // No GPU here: another thread would find none either.
            if (unavailable) return reject(unavailable);
            if (!ready)
              reject(
                Errors.badOption(
                  'backend',
                  `worker ${slot.index + 1} could not start${failure ? `: ${failure.message}` : ' (it exited)'}`,
                ),
              );
            this.replaceWorker(slot, failure);
          },
        })
        .then((started) => {
          thread = started;
          if (this.closing) return void started.terminate();
          slot.started(started);
        }, reject);
    });
  }

  /**
   * A worker died: its range goes back in the queue whole (it may have found nothing it could
   * report), and a new worker takes the slot after a pause. Whoever waits for the workers to stop
   * (pause, a find's stop time) stops waiting for this one: it holds no range any more.
   */
  private replaceWorker(slot: WorkerSlot<W>, cause: Error | undefined): void {
    const { lost, respawnMs } = slot.died();
    if (this.closing) return;
    if (lost && !this.halted) this.ranges.requeue({ job: lost.job, start: lost.start, end: lost.end });
    for (const other of this.slots) this.dispatch(other);
    this.settle();
    if (respawnMs === undefined) {
      this.emit(
        'failed',
        new Error(
          `worker ${slot.index + 1} died ${slot.deathsInARow} times in a row${cause ? ` (last: ${cause.message})` : ''}; stopping rather than hashing on without it`,
        ),
      );
      return;
    }
    const timer = setTimeout(() => {
      if (this.closing) return;
      this.replaced++;
      this.emit('workerReplaced', slot.index);
      this.spawn(slot).catch(() => {
        // A replacement that dies before it is ready is counted as a death by its own exit.
      });
    }, respawnMs);
    (timer as { unref?: () => void }).unref?.();
  }

  private onMessage(slot: WorkerSlot<W>, message: FromWorker): void {
    switch (message.type) {
      case 'found':
        return this.onFound(message.jobKey, message.nonce, message.hashedAfter);
      case 'best':
        return this.onBest(message.jobKey, message.nonce);
      case 'rangeDone':
        return this.onRangeDone(slot, message);
      case 'progress':
        // Without shared memory: the worker's own slots, copied into the ones stats() reads.
        this.progressView[slot.index] = BigInt(message.hashes);
        this.busyView[slot.index] = BigInt(message.busyMicros);
        this.positionsView[slot.index] = message.position;
        return;
    }
  }

  private onFound(jobKey: number, nonce: number, hashedAfter: number): void {
    const job = this.ranges.jobFor(jobKey);
    if (!job || (this.halted && job.work.stopOnFind)) return;
    const header = withNonce(job.header, nonce);
    const hash = sha256d(header);
    this.noteBest(hash);
    if (!hashMeetsTarget(hash, job.work.target)) {
      this.emit('warning', `worker reported nonce ${nonce} but its hash does not meet the target; ignored`);
      return;
    }
    if (job.work.stopOnFind) {
      this.halted = true;
      this.stopRanges();
    }
    const reading = this.meter.reading();
    this.emit('found', {
      work: job.work,
      extranonceIndex: job.extranonceIndex,
      nonce,
      header,
      hash,
      // The worker counted its hashes up to here before telling of the find; those past the find are work, not hashes to it.
      hashes: reading.hashes - this.hashesAtWorkSet - hashedAfter,
      seconds: (performance.now() - this.workSetAt) / 1000,
    });
  }

  private onBest(jobKey: number, nonce: number): void {
    const job = this.ranges.jobFor(jobKey);
    if (job) this.noteBest(sha256d(withNonce(job.header, nonce)));
  }

  private noteBest(hash: Uint8Array): void {
    const candidate = bestHashFrom(hash);
    if (!isBetter(candidate, this.sessionBest)) return;
    this.sessionBest = candidate;
    this.bestLimbs = targetToLimbs(hashToBigInt(hash) - 1n);
    this.emit('record', candidate);
    if (!isBetter(candidate, this.best)) return;
    this.best = candidate;
    this.emit('best', candidate);
  }

  private onRangeDone(slot: WorkerSlot<W>, message: Extract<FromWorker, { type: 'rangeDone' }>): void {
    if (!slot.range || slot.range.rangeId !== message.rangeId) return;
    const range = slot.finishedRange()!;
    const seconds = (performance.now() - range.sentAt) / 1000;
    if (!message.stopped && seconds > 0) slot.rate = message.hashes / seconds;
    if (range.job.header === this.ranges.job?.header && message.next > range.start)
      slot.coverage.add(range.start, message.next);
    if (message.stopped && !this.halted) this.ranges.requeue({ job: range.job, start: message.next, end: range.end });
    this.dispatch(slot);
    this.settle();
  }

  /** Resolve idle waiters, and report a work whose every nonce has been tried. */
  private settle(): void {
    if (this.slots.some((slot) => slot.range)) return;
    const stopMs = this.haltedAt ? performance.now() - this.haltedAt : 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve(stopMs);
    const work = this.ranges.job?.work;
    if (work && !this.halted && !this.exhaustedReported && !this.ranges.hasMore()) {
      this.exhaustedReported = true;
      this.halted = true;
      this.emit('exhausted', work);
    }
  }

  private dispatch(slot: WorkerSlot<W>): void {
    if (this.halted || !slot.idle) return;
    // A new worker starts at the speed of its own kind: a GPU's rate would give a CPU worker minutes of work.
    const rate =
      slot.rate ||
      this.slots.reduce((best, other) => (other.backend === slot.backend ? Math.max(best, other.rate) : best), 0);
    const range = this.ranges.next(rate);
    if (!range) return this.settle();
    this.sendJob(slot, range.job);
    const rangeId = this.nextRangeId++;
    slot.range = { ...range, rangeId, sentAt: performance.now() };
    const message: ToWorker = {
      type: 'range',
      jobKey: range.job.key,
      rangeId,
      start: range.start,
      count: range.end - range.start,
      epoch: Atomics.load(this.controlView, CONTROL_EPOCH),
      stopOnFind: range.job.work.stopOnFind,
    };
    slot.thread!.post(message);
  }

  private sendJob(slot: WorkerSlot<W>, job: HeaderJob<W>): void {
    if (slot.sentJobKey === job.key) return;
    slot.thread!.post({
      type: 'job',
      jobKey: job.key,
      header: job.header,
      targetLimbs: targetToLimbs(job.work.target),
      bestLimbs: this.bestLimbs,
    });
    slot.sentJobKey = job.key;
  }

  /** Bump the epoch: every range handed out before now ends at its next chunk boundary. */
  private stopRanges(): void {
    this.haltedAt = performance.now();
    this.bumpEpoch();
  }

  /** Every range handed out before now is to stop; without shared memory the workers are told so. */
  private bumpEpoch(): void {
    const epoch = Atomics.add(this.controlView, CONTROL_EPOCH, 1) + 1;
    Atomics.notify(this.controlView, CONTROL_EPOCH);
    if (!this.sharedMemory) for (const slot of this.slots) slot.thread?.post({ type: 'control', epoch });
  }
}
