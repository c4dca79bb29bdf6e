/**
 * The seam between the Miner and the threads it hashes on. The Miner speaks the worker protocol
 * (src/worker/protocol.ts) through these few calls and nothing else, so one Miner drives Node's
 * worker_threads (src/worker/node-threads.ts) or, in a browser, Web Workers.
 */
import type { FromWorker, ToWorker, WorkerInit } from '../worker/protocol.js';

export interface ThreadEvents {
  message(message: FromWorker): void;
  /** The thread failed (it threw, or could not load); an exit follows. */
  error(error: Error): void;
  /** The thread is gone, for whatever reason. */
  exit(): void;
}

export interface MinerThread {
  post(message: ToWorker): void;
  /** End the thread at once; resolves when it is gone. */
  terminate(): Promise<void>;
}

export interface ThreadHost {
  /**
   * False where the platform has no SharedArrayBuffer (a page that is not cross-origin isolated): the
   * Miner and its workers then keep their counters and stop signal in step by message. Default true.
   */
  readonly sharedMemory?: boolean;
  /** The thread count when none is asked for: one per core. */
  readonly defaultThreads: number;
  /** Start a worker with its init data; its events arrive through `events` from then on. */
  spawn(init: WorkerInit, events: ThreadEvents): Promise<MinerThread>;
}
