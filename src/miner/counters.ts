/**
 * The memory the controller and its workers both read: the control word (epoch, throttle) and each
 * worker's hashes, position in its range and busy time. Shared where the platform gives
 * SharedArrayBuffer; otherwise plain buffers that the workers' 'progress' messages fill (see
 * worker/protocol.ts).
 */
import type { BackendName } from '../hash/backend.js';
import {
  CONTROL_EPOCH,
  CONTROL_SLOTS,
  CONTROL_THROTTLE,
  type FromWorker,
  type WorkerBuffer,
  type WorkerInit,
} from '../worker/protocol.js';

export class WorkerCounters {
  private readonly control: WorkerBuffer;
  private readonly controlView: Int32Array;
  private readonly progress: WorkerBuffer;
  private readonly progressView: BigInt64Array;
  private readonly positions: WorkerBuffer;
  private readonly positionsView: Uint32Array;
  private readonly busy: WorkerBuffer;
  private readonly busyView: BigInt64Array;
  /** Each worker's hashes and the busy time when counting (re)started: a calibration's hashes are not the run's. */
  private countedFrom = { progress: [] as number[], busyMicros: 0 };

  constructor(
    readonly sharedMemory: boolean,
    workers: number,
    throttle: number,
  ) {
    const buffer = (bytes: number) => (sharedMemory ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    this.control = buffer(Int32Array.BYTES_PER_ELEMENT * CONTROL_SLOTS);
    this.controlView = new Int32Array(this.control);
    this.progress = buffer(BigInt64Array.BYTES_PER_ELEMENT * workers);
    this.progressView = new BigInt64Array(this.progress);
    this.positions = buffer(Uint32Array.BYTES_PER_ELEMENT * workers);
    this.positionsView = new Uint32Array(this.positions);
    this.busy = buffer(BigInt64Array.BYTES_PER_ELEMENT * workers);
    this.busyView = new BigInt64Array(this.busy);
    Atomics.store(this.controlView, CONTROL_THROTTLE, throttle);
  }

  /** What a worker is started with: its index, backend and these buffers. */
  init(index: number, backend: BackendName): WorkerInit {
    const { sharedMemory, control, progress, positions, busy } = this;
    return { index, backend, sharedMemory, control, progress, positions, busy };
  }

  get throttle(): number {
    return Atomics.load(this.controlView, CONTROL_THROTTLE);
  }

  get epoch(): number {
    return Atomics.load(this.controlView, CONTROL_EPOCH);
  }

  /** Every range handed out before now is to stop: returns the new epoch. */
  bumpEpoch(): number {
    const epoch = Atomics.add(this.controlView, CONTROL_EPOCH, 1) + 1;
    Atomics.notify(this.controlView, CONTROL_EPOCH);
    return epoch;
  }

  /** The next nonce worker `index` will hash in its current range. */
  position(index: number): number {
    return Atomics.load(this.positionsView, index);
  }

  /** Without shared memory: the worker's own counters, copied into the ones read here. */
  record(index: number, message: Extract<FromWorker, { type: 'progress' }>): void {
    this.progressView[index] = BigInt(message.hashes);
    this.busyView[index] = BigInt(message.busyMicros);
    this.positionsView[index] = message.position;
  }

  /** Count from now: what came before is not the run's. Returns each worker's hashes since then, read when called. */
  countFromNow(): () => number[] {
    const countedFrom = {
      progress: Array.from(this.progressView, Number),
      busyMicros: this.totalBusyMicros(),
    };
    this.countedFrom = countedFrom;
    return () => Array.from(this.progressView, (hashes, i) => Number(hashes) - countedFrom.progress[i]);
  }

  /** Seconds all workers together spent hashing since counting (re)started. */
  busySeconds(): number {
    return (this.totalBusyMicros() - this.countedFrom.busyMicros) / 1e6;
  }

  private totalBusyMicros(): number {
    return this.busyView.reduce((sum, micros) => sum + Number(micros), 0);
  }
}
