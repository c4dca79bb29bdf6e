/**
 * What every worker does around a scan, CPU or GPU alike: the shared memory it reports through, the
 * job it holds, and the hooks a range's scan calls (stop, progress, a candidate, rest when throttled).
 * A candidate is re-hashed here in full: it is a find when it meets the target, a new best when it
 * beats the best so far, and nothing otherwise (a GPU passes candidates on their top 32 bits alone).
 */
import { headerMidstate, headerTailWords, sha256dFromMidstate } from '../core/sha256.js';
import { digestMeetsTarget } from '../core/target.js';
import type { ScanJob } from '../hash/backend.js';
import { limbsJustBelow, scanLimbsFor } from './best-bar.js';
import {
  CONTROL_EPOCH,
  CONTROL_THROTTLE,
  type ControlMessage,
  type FromWorker,
  type JobMessage,
  type RangeMessage,
  type WorkerInit,
} from './protocol.js';
import type { ScanHooks, ScanOutcome } from './scan.js';

export interface HeldJob extends ScanJob {
  key: number;
  /** Hashes at or below this beat the best so far. */
  bestLimbs: Uint32Array;
}

export interface WorkerMemory {
  index: number;
  /** False: these are this worker's own copies; the controller hears of them by 'progress' messages. */
  shared: boolean;
  control: Int32Array;
  progress: BigInt64Array;
  positions: Uint32Array;
  busy: BigInt64Array;
  /** Rest this worker still owes its throttle (negative: it has rested ahead), carried from chunk to chunk. */
  restOwedMs: number;
  /** When the last 'progress' message went (without shared memory). */
  reportedAt: number;
}

/** Without shared memory, a worker tells its progress this often while it hashes: the hashrate is sampled every 250 ms. */
const PROGRESS_REPORT_MS = 100;

/** Rest taken ahead counts against later rests up to this much, so that one long stall is not a burst of unthrottled work. */
const MAX_REST_CREDIT_MS = 50;

/**
 * The rest a worker owes at `throttle` percent, after `workedMs` more of hashing and `restedMs` of
 * rest. Each millisecond of work at 50% owes one of rest. A busy machine wakes a sleeper late; the
 * extra rest is credited, so the next rests are shorter and the share of time hashing holds.
 */
export function restOwed(owedMs: number, throttle: number, workedMs: number, restedMs = 0): number {
  if (throttle >= 100) return 0;
  return Math.max(-MAX_REST_CREDIT_MS, owedMs + (workedMs * (100 - throttle)) / throttle - restedMs);
}

export function workerMemory(init: WorkerInit): WorkerMemory {
  return {
    index: init.index,
    shared: init.sharedMemory,
    control: new Int32Array(init.control),
    progress: new BigInt64Array(init.progress),
    positions: new Uint32Array(init.positions),
    busy: new BigInt64Array(init.busy),
    restOwedMs: 0,
    reportedAt: 0,
  };
}

/** Without shared memory: the controller's new control slots, written into this worker's copy. */
export function applyControl(memory: WorkerMemory, message: ControlMessage): void {
  Atomics.store(memory.control, CONTROL_EPOCH, message.epoch);
}

/**
 * Without shared memory, tell the controller this worker's slots: when `due` only once
 * PROGRESS_REPORT_MS has passed since the last report, else now (before a find or a range's end, so
 * that the controller has counted every hash it is told of).
 */
export function reportProgress(memory: WorkerMemory, post: (message: FromWorker) => void, due = false): void {
  if (memory.shared) return;
  const now = performance.now();
  if (due && now - memory.reportedAt < PROGRESS_REPORT_MS) return;
  memory.reportedAt = now;
  post({
    type: 'progress',
    hashes: Number(memory.progress[memory.index]),
    busyMicros: Number(memory.busy[memory.index]),
    position: memory.positions[memory.index],
  });
}

export function heldJob(message: JobMessage): HeldJob {
  return {
    key: message.jobKey,
    header: message.header,
    midstate: headerMidstate(message.header),
    tail: headerTailWords(message.header),
    targetLimbs: message.targetLimbs,
    bestLimbs: message.bestLimbs,
  };
}

/** The limbs a scanner reports at or below: the looser of the target and the best so far. */
export function scanLimbs(job: HeldJob): Uint32Array {
  return scanLimbsFor(job.targetLimbs, job.bestLimbs);
}

/**
 * The hooks for one range of `job`. `barLowered` is told when a new best lowered the job's best bar,
 * so the scanner can report only better ones from then on.
 */
export function rangeHooks(
  memory: WorkerMemory,
  job: HeldJob,
  range: RangeMessage,
  post: (message: FromWorker) => void,
  barLowered: () => void,
): ScanHooks {
  const digest = new Uint32Array(8);
  return {
    stopped: () => Atomics.load(memory.control, CONTROL_EPOCH) !== range.epoch,
    progress: (hashes, next, busyMs) => {
      Atomics.add(memory.progress, memory.index, BigInt(hashes));
      Atomics.add(memory.busy, memory.index, BigInt(Math.round(busyMs * 1000)));
      Atomics.store(memory.positions, memory.index, next >>> 0);
      reportProgress(memory, post, true);
    },
    hit: (nonce, hashedAfter) => {
      sha256dFromMidstate(job.midstate, job.tail, nonce, digest);
      if (digestMeetsTarget(digest, job.targetLimbs)) {
        reportProgress(memory, post);
        post({ type: 'found', jobKey: job.key, rangeId: range.rangeId, nonce, hashedAfter });
        return range.stopOnFind;
      }
      if (!digestMeetsTarget(digest, job.bestLimbs)) return false;
      post({ type: 'best', jobKey: job.key, nonce });
      job.bestLimbs = limbsJustBelow(digest);
      barLowered();
      return false;
    },
    rest: (busyMs) => {
      const throttle = Atomics.load(memory.control, CONTROL_THROTTLE);
      memory.restOwedMs = restOwed(memory.restOwedMs, throttle, busyMs);
      if (memory.restOwedMs <= 0) return;
      const began = performance.now();
      // Wakes early when the epoch moves, so a throttled worker still stops at once.
      Atomics.wait(memory.control, CONTROL_EPOCH, range.epoch, memory.restOwedMs);
      memory.restOwedMs = restOwed(memory.restOwedMs, throttle, 0, performance.now() - began);
    },
  };
}

/** The answer for a range: how far it got, or, for a range of a header this worker no longer holds, nowhere. */
export function rangeDone(
  range: RangeMessage,
  outcome: ScanOutcome = { next: range.start, hashes: 0, stopped: true },
): FromWorker {
  return {
    type: 'rangeDone',
    rangeId: range.rangeId,
    next: outcome.next,
    hashes: outcome.hashes,
    stopped: outcome.stopped,
  };
}
