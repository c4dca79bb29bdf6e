/**
 * One thread's start and end in a worker slot: ready, unavailable (no GPU), failed, exited. What the
 * thread hashes and what a death costs are the Miner's; this module only tells them apart.
 */
import { Errors, type PowlabError } from '../errors.js';
import type { FromWorker, WorkerInit } from '../worker/protocol.js';
import type { WorkerSlot } from './slot.js';
import type { ThreadHost, MinerThread } from './threads.js';
import type { Work } from './work.js';

/** The messages of a thread at work (finds, bests, ranges done, progress), once its start is over. */
export type WorkMessage = Exclude<FromWorker, { type: 'ready' | 'unavailable' | 'failed' }>;

interface ThreadHooks {
  message(message: WorkMessage): void;
  ready(message: Extract<FromWorker, { type: 'ready' }>): void;
  /** The slot's thread ended, started or not; `failure` says why when it said. */
  died(failure: Error | undefined): void;
  /** True once the Miner closes: a thread that starts then is ended at once. */
  closing(): boolean;
}

/**
 * Start a thread in the slot. Resolves once it is ready; rejects when it fails or exits first (a
 * thread that finds no GPU rejects without dying: another would find none either). Messages from a
 * thread the slot no longer holds are dropped.
 */
export function spawnThread<W extends Work>(
  host: ThreadHost,
  slot: WorkerSlot<W>,
  init: WorkerInit,
  hooks: ThreadHooks,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let thread: MinerThread | undefined;
    let ready = false;
    let failure: Error | undefined;
    let unavailable: PowlabError | undefined;
    const current = () => thread !== undefined && slot.thread === thread;
    host
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
          if (message.type !== 'ready') return hooks.message(message);
          if (message.hashrate) slot.rate = message.hashrate;
          ready = true;
          slot.ready();
          resolve();
          hooks.ready(message);
        },
        error: (cause: Error) => {
          failure = cause;
        },
        exit: () => {
          if (!current()) return;
          if (unavailable) return reject(unavailable);
          if (!ready)
            reject(
              Errors.badOption(
                'backend',
                `worker ${slot.index + 1} could not start${failure ? `: ${failure.message}` : ' (it exited)'}`,
              ),
            );
          hooks.died(failure);
        },
      })
      .then((started) => {
        thread = started;
        if (hooks.closing()) return void started.terminate();
        slot.started(started);
      }, reject);
  });
}
