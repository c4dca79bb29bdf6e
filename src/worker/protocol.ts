/**
 * The messages between the controller and its workers, and the memory both read. Signals that must
 * be fast (stop, progress, position) live in shared memory; messages carry work and results.
 *
 * Where the platform gives no SharedArrayBuffer (a page over plain http from another machine is not
 * cross-origin isolated), the same slots live in plain buffers, one copy on each side, kept in step
 * by messages: 'control' to the workers whenever the controller changes a slot, 'progress' back.
 */
import type { BackendName } from '../hash/backend.js';
import type { GpuAdapterInfo } from '../hash/webgpu.js';

/** Slots of the shared Int32Array `control`. */
export const CONTROL_EPOCH = 0; // bumped by the controller to stop every range dispatched before it
export const CONTROL_THROTTLE = 1; // percent of its time a worker may spend hashing, 1..100
export const CONTROL_SLOTS = 2;

/** A SharedArrayBuffer, or where there is none, a plain buffer copied to the worker (see above). */
export type WorkerBuffer = SharedArrayBuffer | ArrayBuffer;

export interface WorkerInit {
  index: number;
  backend: BackendName;
  /** False: the buffers below are the worker's own copies, and the two sides talk by message. */
  sharedMemory: boolean;
  /** Int32Array(CONTROL_SLOTS) */
  control: WorkerBuffer;
  /** BigInt64Array(threads): hashes done by each worker, ever. */
  progress: WorkerBuffer;
  /** Uint32Array(threads): the next nonce each worker will hash in its current range. */
  positions: WorkerBuffer;
  /** BigInt64Array(threads): microseconds each worker has spent hashing, ever (its rests when throttled left out). */
  busy: WorkerBuffer;
}

export interface JobMessage {
  type: 'job';
  /** Names one header (work + extranonce) for the rest of the run. */
  jobKey: number;
  header: Uint8Array;
  targetLimbs: Uint32Array;
  /** Hashes at or below this are reported as a new best (limbs, most significant first). */
  bestLimbs: Uint32Array;
}

export interface RangeMessage {
  type: 'range';
  jobKey: number;
  rangeId: number;
  start: number;
  count: number;
  /** The control epoch this range was handed out in: a different epoch means stop. */
  epoch: number;
  stopOnFind: boolean;
}

/** Without shared memory: the controller's control slots, sent to every worker whenever they change. */
export interface ControlMessage {
  type: 'control';
  epoch: number;
}

export type ToWorker = JobMessage | RangeMessage | ControlMessage;

export type FromWorker =
  /** The GPU worker also names its adapter and the hashrate it measured on starting. */
  | { type: 'ready'; backend: BackendName; adapter?: GpuAdapterInfo; hashrate?: number }
  /** The GPU worker found no device to run on (the reason is one line); it ends after saying so. */
  | { type: 'unavailable'; reason: string }
  /**
   * A GPU dispatch failed (the device was lost, a buffer could not be read back): the worker can do
   * no more and takes no more messages. The controller ends it, as it would a crashed worker.
   */
  | { type: 'failed'; reason: string }
  /**
   * A nonce whose hash meets the job's target. `hashedAfter`: nonces after it that were hashed too,
   * in the same GPU dispatch (a dispatch is not stopped midway; a CPU scan stops at the find, so 0).
   * They are work done, already in the worker's progress count, but not hashes towards this find.
   */
  | { type: 'found'; jobKey: number; rangeId: number; nonce: number; hashedAfter: number }
  /** A nonce whose hash beats the best so far without meeting the target. */
  | { type: 'best'; jobKey: number; nonce: number }
  /**
   * Without shared memory: this worker's slots (hashes and busy microseconds ever, its position), sent
   * every PROGRESS_REPORT_MS while it hashes, and always before a find or the end of a range.
   */
  | { type: 'progress'; hashes: number; busyMicros: number; position: number }
  /** The range ended: all hashed, or stopped with `next` the first nonce not hashed. */
  | { type: 'rangeDone'; rangeId: number; next: number; hashes: number; stopped: boolean };
