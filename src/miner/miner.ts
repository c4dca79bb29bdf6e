/**
 * The controller: one long-lived worker per thread, nonce ranges handed out on demand and sized to a
 * fraction of a second, every find re-checked here before it is believed, and the extranonce rolled
 * when a header's nonces run out. Jobs in, ranges out, results and hashrate back. The threads come
 * through a ThreadHost, so the same Miner runs in Node and in a browser.
 */
import { withNonce } from '../core/header.js';
import { sha256d } from '../core/sha256.js';
import { expectedHashes, hashMeetsTarget, targetToDifficulty, targetToLimbs } from '../core/target.js';
import { Emitter } from '../events.js';
import type { BackendName } from '../hash/backend.js';
import type { GpuAdapterInfo } from '../hash/webgpu.js';
import type { ToWorker } from '../worker/protocol.js';
import { BestTracker, type BestHash } from './best.js';
import { WorkerCounters } from './counters.js';
import { HashrateMeter } from './meter.js';
import { RangeScheduler, type HeaderJob } from './ranges.js';
import { WorkerSlot } from './slot.js';
import { spawnThread, type WorkMessage } from './spawn.js';
import { startMiner, type MinerOptions, type StartingMiner } from './start.js';
import type { MinerStats } from './stats.js';
import type { ThreadHost } from './threads.js';
import type { Solution, Work } from './work.js';
import { WorkSwitch } from './switch.js';

export type { MinerOptions } from './start.js';
export type { MinerStats } from './stats.js';

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
  /** Every worker has new work: the milliseconds each went on with the old one after setWork. */
  switched: [number[]];
}

const SAMPLE_MS = 250;
/** Expected hashes and difficulty of a target: bigint divisions, done once per work rather than per stats() call. */
function oddsOf(target: bigint): { expectedHashes: number; difficulty: number } {
  return { expectedHashes: expectedHashes(target), difficulty: target === 0n ? Infinity : targetToDifficulty(target) };
}

export class Miner<W extends Work = Work> extends Emitter<MinerEvents<W>> implements StartingMiner {
  private readonly counters: WorkerCounters;
  private readonly slots: WorkerSlot<W>[];
  private meter: HashrateMeter;
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
  private readonly bests: BestTracker;
  private closing = false;
  private replaced = 0;
  private readonly switching = new WorkSwitch<W>((delaysMs) => this.emit('switched', delaysMs));

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
    this.counters = new WorkerCounters(host.sharedMemory ?? true, slotBackends.length, throttle);
    this.slots = slotBackends.map((backend, index) => new WorkerSlot<W>(index, backend));
    this.bests = new BestTracker(best);
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

  /** Start the workers (and calibrate when asked for 'auto'); resolves once all are ready. See start.ts. */
  static start<W extends Work = Work>(options: MinerOptions): Promise<Miner<W>> {
    return startMiner(
      options,
      (slotBackends, throttle) => new Miner<W>(options.host, slotBackends, throttle, options.best ?? null),
    );
  }

  /** Start-up's first step (start.ts): the first worker alone, the GPU's when there is one. */
  startFirstWorker(): Promise<void> {
    return this.spawn(this.slots[0]);
  }

  /** Start-up's last step (start.ts): every worker not yet started; on any failure, close and throw. */
  async startWorkers(): Promise<this> {
    try {
      await Promise.all(this.slots.filter((slot) => !slot.thread).map((slot) => this.spawn(slot)));
    } catch (error) {
      await this.close();
      throw error;
    }
    return this;
  }

  /** Mine this work from now on; every worker drops what it was doing within a chunk (a few ms). */
  setWork(work: W): void {
    this.ranges.setWork(work);
    this.stopRanges();
    this.halted = false;
    this.exhaustedReported = false;
    this.workSetAt = performance.now();
    this.switching.begin(work, this.workSetAt, this.slots.length);
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
      throttle: this.counters.throttle,
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
      workers: this.slots.map((slot) => ({
        index: slot.index,
        ...reading.perWorker[slot.index],
        ...slot.covered(job?.header, this.counters.position(slot.index)),
      })),
      best: this.bests.best,
      sessionBest: this.bests.sessionBest,
      workersReplaced: this.replaced,
    };
  }

  forgetCalibration(): void {
    this.meter = this.countFromNow();
    this.bests.forgetRun();
  }

  /** A meter that counts from now, and the duty cycle with it: what came before is not the run's. */
  private countFromNow(): HashrateMeter {
    this.firstWorkAt = undefined;
    return new HashrateMeter(this.counters.countFromNow());
  }

  /** Busy time over the time since the first work, for all workers together. */
  private dutyCycle(): number {
    const seconds = this.firstWorkAt === undefined ? 0 : (performance.now() - this.firstWorkAt) / 1000;
    if (!(seconds > 0)) return 0;
    return Math.min(1, this.counters.busySeconds() / (seconds * this.slots.length));
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

  /** Start a thread in the slot; once started, a thread that dies is replaced (see replaceWorker). */
  private spawn(slot: WorkerSlot<W>): Promise<void> {
    return spawnThread(this.host, slot, this.counters.init(slot.index, slot.backend), {
      message: (message) => this.onMessage(slot, message),
      ready: (message) => {
        if (message.adapter) this.gpu = message.adapter;
        this.dispatch(slot);
      },
      died: (failure) => this.replaceWorker(slot, failure),
      closing: () => this.closing,
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
      const last = cause ? ` (last: ${cause.message})` : '';
      const why = `worker ${slot.index + 1} died ${slot.deathsInARow} times in a row${last}`;
      return void this.emit('failed', new Error(`${why}; stopping rather than hashing on without it`));
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

  private onMessage(slot: WorkerSlot<W>, message: WorkMessage): void {
    switch (message.type) {
      case 'found':
        return this.onFound(message.jobKey, message.nonce, message.hashedAfter);
      case 'best':
        return this.onBest(message.jobKey, message.nonce);
      case 'rangeDone':
        return this.onRangeDone(slot, message);
      case 'progress':
        return this.counters.record(slot.index, message);
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
    const noted = this.bests.note(hash);
    if (!noted) return;
    this.emit('record', noted.record);
    if (noted.allTime) this.emit('best', noted.record);
  }

  private onRangeDone(slot: WorkerSlot<W>, message: Extract<WorkMessage, { type: 'rangeDone' }>): void {
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
      epoch: this.counters.epoch,
      stopOnFind: range.job.work.stopOnFind,
    };
    slot.thread!.post(message);
    this.switching.dispatched(slot.index, range.job.work);
  }

  private sendJob(slot: WorkerSlot<W>, job: HeaderJob<W>): void {
    if (slot.sentJobKey === job.key) return;
    slot.thread!.post({
      type: 'job',
      jobKey: job.key,
      header: job.header,
      targetLimbs: targetToLimbs(job.work.target),
      bestLimbs: this.bests.limbs,
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
    const epoch = this.counters.bumpEpoch();
    if (!this.counters.sharedMemory) for (const slot of this.slots) slot.thread?.post({ type: 'control', epoch });
  }
}
