/**
 * The controller: one long-lived worker per thread, nonce ranges handed out on demand and sized to a
 * fraction of a second, every find re-checked here before it is believed, and the extranonce rolled
 * when a header's nonces run out. Jobs in, ranges out, results and hashrate back.
 */
import { EventEmitter } from 'node:events';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Worker } from 'node:worker_threads';
import Pool from 'worker-threads-pool';
import { NONCE_SPACE, withNonce } from '../core/header.js';
import { sha256d } from '../core/sha256.js';
import { expectedHashes, hashMeetsTarget, hashToBigInt, MAX_TARGET, targetToDifficulty, targetToLimbs } from '../core/target.js';
import { Errors } from '../errors.js';
import { BACKEND_NAMES, type BackendName } from '../hash/backend.js';
import { chooseFastestBackend } from '../hash/calibrate.js';
import { CONTROL_EPOCH, CONTROL_SLOTS, CONTROL_THROTTLE, type FromWorker, type ToWorker, type WorkerInit } from '../worker/protocol.js';
import { bestHashFrom, isBetter, type BestHash } from './best.js';
import { NonceCoverage } from './coverage.js';
import { HashrateMeter } from './meter.js';
import type { Solution, Work } from './work.js';

export interface MinerOptions {
  /** Worker threads; default: every core. */
  threads?: number;
  backend?: BackendName | 'auto';
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
  threads: number;
  throttle: number;
  elapsedSeconds: number;
  hashes: number;
  hashrate: number;
  meanHashrate: number;
  /** Hashes on the current work since it was set. */
  workHashes: number;
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

interface MinerEvents {
  found: [Solution];
  exhausted: [Work];
  /** A new all-time best (kept across runs). */
  best: [BestHash];
  /** A new best of this run. */
  record: [BestHash];
  workerReplaced: [number];
  warning: [string];
}

interface HeaderJob {
  key: number;
  work: Work;
  extranonceIndex: number;
  header: Uint8Array;
}

interface Range {
  job: HeaderJob;
  start: number;
  end: number;
}

interface Slot {
  index: number;
  worker?: Worker;
  ready: boolean;
  sentJobKey: number;
  range?: Range & { rangeId: number; sentAt: number };
  /** Hashes per second this worker reached on its last full range. */
  rate: number;
  coverage: NonceCoverage;
}

const RANGE_SECONDS = 0.25;
const MIN_RANGE = 1 << 12;
const MAX_RANGE = 1 << 28;
const SAMPLE_MS = 250;
const WORKER_FILE = fileURLToPath(new URL('../worker/entry.js', import.meta.url));

export class Miner extends EventEmitter<MinerEvents> {
  private readonly control = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * CONTROL_SLOTS);
  private readonly controlView = new Int32Array(this.control);
  private readonly progress: SharedArrayBuffer;
  private readonly progressView: BigInt64Array;
  private readonly positions: SharedArrayBuffer;
  private readonly pool: Pool;
  private readonly slots: Slot[];
  private readonly meter: HashrateMeter;
  private readonly sampler: NodeJS.Timeout;

  private job?: HeaderJob;
  private nextNonce = 0;
  private endNonce = 0;
  private requeued: Range[] = [];
  private jobsByKey = new Map<number, HeaderJob>();
  private nextJobKey = 0;
  private nextRangeId = 0;
  private workSetAt = 0;
  /** The current work's expected hashes and difficulty: bigint divisions, done once per work rather than per stats() call. */
  private workOdds = { expectedHashes: 0, difficulty: 0 };
  private hashesAtWorkSet = 0;
  private halted = true;
  private haltedAt = 0;
  private exhaustedReported = false;
  private idleWaiters: ((stopMs: number) => void)[] = [];
  private best: BestHash | null;
  private sessionBest: BestHash | null = null;
  private bestLimbs: Uint32Array;
  private closing = false;
  private replaced = 0;

  private constructor(
    readonly backend: BackendName,
    readonly threads: number,
    throttle: number,
    best: BestHash | null,
  ) {
    super();
    this.progress = new SharedArrayBuffer(BigInt64Array.BYTES_PER_ELEMENT * threads);
    this.progressView = new BigInt64Array(this.progress);
    this.positions = new SharedArrayBuffer(Uint32Array.BYTES_PER_ELEMENT * threads);
    Atomics.store(this.controlView, CONTROL_THROTTLE, throttle);
    this.pool = new Pool({ max: threads });
    this.slots = Array.from({ length: threads }, (_, index) => ({ index, ready: false, sentJobKey: -1, rate: 0, coverage: new NonceCoverage() }));
    this.best = best;
    // Workers report each hash that beats this run's best, so the run's best is known as well as the all-time one.
    this.bestLimbs = targetToLimbs(MAX_TARGET);
    this.meter = new HashrateMeter(() => Array.from(this.progressView, Number));
    this.sampler = setInterval(() => this.meter.sample(), SAMPLE_MS).unref();
  }

  /** Start the workers (and calibrate the backend when asked for 'auto'); resolves once all are ready. */
  static async start(options: MinerOptions = {}): Promise<Miner> {
    const threads = options.threads ?? availableParallelism();
    if (!Number.isInteger(threads) || threads < 1 || threads > 1024) throw Errors.badOption('threads', `must be a whole number from 1 to 1024, got ${threads}`);
    const throttle = options.throttle ?? 100;
    if (!Number.isInteger(throttle) || throttle < 1 || throttle > 100) throw Errors.badOption('throttle', `must be a whole percentage from 1 to 100, got ${throttle}`);
    const requested = options.backend ?? 'auto';
    if (requested !== 'auto' && !BACKEND_NAMES.includes(requested)) throw Errors.badOption('backend', `unknown backend ${requested} (known: auto, ${BACKEND_NAMES.join(', ')})`);
    const backend = requested === 'auto' ? await chooseFastestBackend() : requested;
    const miner = new Miner(backend, threads, throttle, options.best ?? null);
    try {
      await Promise.all(miner.slots.map((slot) => miner.spawn(slot)));
    } catch (error) {
      await miner.close();
      throw error;
    }
    return miner;
  }

  /** Mine this work from now on; every worker drops what it was doing within a chunk (a few ms). */
  setWork(work: Work): void {
    const start = work.nonceStart ?? 0;
    const count = work.nonceCount ?? NONCE_SPACE - start;
    if (!Number.isInteger(start) || start < 0 || start >= NONCE_SPACE) throw Errors.badOption('start', `nonce must be 0..4294967295, got ${start}`);
    if (!Number.isInteger(count) || count < 1 || start + count > NONCE_SPACE) throw Errors.badOption('count', `must be 1..${NONCE_SPACE - start} from nonce ${start}, got ${count}`);
    this.stopRanges();
    this.jobsByKey.clear();
    this.requeued = [];
    this.halted = false;
    this.exhaustedReported = false;
    this.workSetAt = performance.now();
    this.hashesAtWorkSet = this.meter.reading().hashes;
    this.workOdds = { expectedHashes: expectedHashes(work.target), difficulty: work.target === 0n ? Infinity : targetToDifficulty(work.target) };
    this.useHeader(work, 0, start, start + count);
    for (const slot of this.slots) this.dispatch(slot);
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
    if (this.slots.every((slot) => !slot.range)) return Promise.resolve(this.haltedAt ? performance.now() - this.haltedAt : 0);
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  setThrottle(percent: number): void {
    if (!Number.isInteger(percent) || percent < 1 || percent > 100) throw Errors.badOption('throttle', `must be a whole percentage from 1 to 100, got ${percent}`);
    Atomics.store(this.controlView, CONTROL_THROTTLE, percent);
  }

  stats(): MinerStats {
    const reading = this.meter.reading();
    const positions = new Uint32Array(this.positions);
    return {
      backend: this.backend,
      threads: this.threads,
      throttle: Atomics.load(this.controlView, CONTROL_THROTTLE),
      elapsedSeconds: reading.elapsedSeconds,
      hashes: reading.hashes,
      hashrate: reading.hashrate,
      meanHashrate: reading.meanHashrate,
      workHashes: this.job ? reading.hashes - this.hashesAtWorkSet : 0,
      expectedHashes: this.workOdds.expectedHashes,
      difficulty: this.workOdds.difficulty,
      extranonceIndex: this.job?.extranonceIndex ?? 0,
      workers: this.slots.map((slot) => {
        // Copies: the latest range keeps growing in place, and a snapshot must not change after it is taken.
        const ranges = slot.coverage.ranges.map(([start, end]): [number, number] => [start, end]);
        let covered = slot.coverage.count;
        const range = slot.range;
        if (range && range.job === this.job) {
          const position = Atomics.load(positions, slot.index);
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

  /** End one worker abruptly, as a crash would: its range is redone by a fresh worker (fault injection for the lab). */
  async crashWorker(index: number): Promise<void> {
    const worker = this.slots[index]?.worker;
    if (!worker) throw new RangeError(`no worker ${index}`);
    await worker.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    this.halted = true;
    clearInterval(this.sampler);
    this.stopRanges();
    await Promise.all(this.slots.map((slot) => slot.worker?.terminate()));
    for (const resolve of this.idleWaiters.splice(0)) resolve(0);
  }

  private spawn(slot: Slot): Promise<void> {
    const init: WorkerInit = { index: slot.index, backend: this.backend, control: this.control, progress: this.progress, positions: this.positions };
    return new Promise((resolve, reject) => {
      this.pool.acquire(WORKER_FILE, { workerData: init }, (error, worker) => {
        if (error) return reject(error);
        slot.worker = worker;
        slot.ready = false;
        slot.sentJobKey = -1;
        let started = false;
        worker.on('message', (message: FromWorker) => {
          if (slot.worker !== worker) return;
          if (message.type === 'ready') {
            started = true;
            slot.ready = true;
            resolve();
            this.dispatch(slot);
          } else {
            this.onMessage(slot, message);
          }
        });
        worker.on('error', (cause) => {
          if (!started) reject(Errors.badOption('backend', `worker ${slot.index} could not start: ${cause.message}`));
        });
        worker.on('exit', () => {
          if (slot.worker !== worker) return;
          slot.worker = undefined;
          slot.ready = false;
          if (this.closing || !started) return;
          this.replaceWorker(slot);
        });
      });
    });
  }

  /** A worker died: its range goes back in the queue whole (it may have found nothing it could report), and a new worker takes the slot. */
  private replaceWorker(slot: Slot): void {
    const lost = slot.range;
    slot.range = undefined;
    if (lost && lost.job.work === this.job?.work && !this.halted) this.requeued.push({ job: lost.job, start: lost.start, end: lost.end });
    this.replaced++;
    this.emit('workerReplaced', slot.index);
    this.spawn(slot).catch((error: Error) => this.emit('warning', `worker ${slot.index} could not be replaced: ${error.message}`));
    for (const other of this.slots) if (!other.range) this.dispatch(other);
  }

  private onMessage(slot: Slot, message: FromWorker): void {
    switch (message.type) {
      case 'found':
        return this.onFound(message.jobKey, message.nonce);
      case 'best':
        return this.onBest(message.jobKey, message.nonce);
      case 'rangeDone':
        return this.onRangeDone(slot, message);
    }
  }

  private onFound(jobKey: number, nonce: number): void {
    const job = this.jobsByKey.get(jobKey);
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
      hashes: reading.hashes - this.hashesAtWorkSet,
      seconds: (performance.now() - this.workSetAt) / 1000,
    });
  }

  private onBest(jobKey: number, nonce: number): void {
    const job = this.jobsByKey.get(jobKey);
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

  private onRangeDone(slot: Slot, message: Extract<FromWorker, { type: 'rangeDone' }>): void {
    const range = slot.range;
    if (!range || range.rangeId !== message.rangeId) return;
    slot.range = undefined;
    const seconds = (performance.now() - range.sentAt) / 1000;
    if (!message.stopped && seconds > 0) slot.rate = message.hashes / seconds;
    if (range.job === this.job && message.next > range.start) slot.coverage.add(range.start, message.next);
    if (message.stopped && !this.halted && range.job.work === this.job?.work && message.next < range.end) {
      this.requeued.push({ job: range.job, start: message.next, end: range.end });
    }
    this.dispatch(slot);
    this.settle();
  }

  /** Resolve idle waiters, and report a work whose every nonce has been tried. */
  private settle(): void {
    if (this.slots.some((slot) => slot.range)) return;
    const stopMs = this.haltedAt ? performance.now() - this.haltedAt : 0;
    for (const resolve of this.idleWaiters.splice(0)) resolve(stopMs);
    const work = this.job?.work;
    if (work && !this.halted && !this.exhaustedReported && !this.hasMoreRanges()) {
      this.exhaustedReported = true;
      this.halted = true;
      this.emit('exhausted', work);
    }
  }

  private hasMoreRanges(): boolean {
    const job = this.job;
    return this.requeued.length > 0 || (job !== undefined && (this.nextNonce < this.endNonce || job.extranonceIndex + 1 < job.work.extranonceCount));
  }

  private useHeader(work: Work, extranonceIndex: number, start: number, end: number): void {
    const header = work.header(extranonceIndex);
    if (header.length !== 80) throw new RangeError(`work ${work.id} gave a ${header.length}-byte header`);
    this.job = { key: this.nextJobKey++, work, extranonceIndex, header };
    this.jobsByKey.set(this.job.key, this.job);
    this.nextNonce = start;
    this.endNonce = end;
    for (const slot of this.slots) slot.coverage = new NonceCoverage();
  }

  private nextRange(slot: Slot): Range | undefined {
    const requeued = this.requeued.shift();
    if (requeued) return requeued;
    let job = this.job;
    if (!job) return undefined;
    if (this.nextNonce >= this.endNonce) {
      if (job.extranonceIndex + 1 >= job.work.extranonceCount) return undefined;
      // Every nonce of this header is handed out: a new extranonce gives a new merkle root and fresh nonces.
      const start = job.work.nonceStart ?? 0;
      this.useHeader(job.work, job.extranonceIndex + 1, start, start + (job.work.nonceCount ?? NONCE_SPACE - start));
      job = this.job!;
    }
    const rate = slot.rate || this.slots.reduce((best, other) => Math.max(best, other.rate), 0);
    const size = Math.max(MIN_RANGE, Math.min(MAX_RANGE, rate > 0 ? Math.round(rate * RANGE_SECONDS) : 1 << 16));
    const start = this.nextNonce;
    const end = Math.min(this.endNonce, start + size);
    this.nextNonce = end;
    return { job, start, end };
  }

  private dispatch(slot: Slot): void {
    if (this.halted || !slot.ready || slot.range || !slot.worker) return;
    const range = this.nextRange(slot);
    if (!range) return this.settle();
    const worker = slot.worker;
    if (slot.sentJobKey !== range.job.key) {
      const message: ToWorker = {
        type: 'job',
        jobKey: range.job.key,
        header: range.job.header,
        targetLimbs: targetToLimbs(range.job.work.target),
        bestLimbs: this.bestLimbs,
      };
      worker.postMessage(message);
      slot.sentJobKey = range.job.key;
    }
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
    worker.postMessage(message);
  }

  /** Bump the epoch: every range handed out before now ends at its next chunk boundary. */
  private stopRanges(): void {
    this.haltedAt = performance.now();
    Atomics.add(this.controlView, CONTROL_EPOCH, 1);
    Atomics.notify(this.controlView, CONTROL_EPOCH);
  }
}
