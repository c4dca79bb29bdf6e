/**
 * One worker slot's lifecycle: starting, ready (idle or holding one range), gone. A slot outlives its
 * threads: when one dies, a replacement takes the slot after a pause that grows with each death in a
 * row, and a slot whose threads keep dying gives up.
 */
import type { BackendName } from '../hash/backend.js';
import type { Work } from './work.js';
import type { MinerThread } from './threads.js';
import type { NonceRange } from './ranges.js';
import { NonceCoverage } from './coverage.js';

export type SlotState = 'starting' | 'ready' | 'gone';

export interface HeldRange<W extends Work> extends NonceRange<W> {
  rangeId: number;
  sentAt: number;
}

/** Deaths in a row (no range finished between them) after which the slot gives up. */
export const MAX_DEATHS_IN_A_ROW = 5;
const FIRST_RESPAWN_MS = 50;
const MAX_RESPAWN_MS = 2_000;

export class WorkerSlot<W extends Work> {
  state: SlotState = 'starting';
  thread?: MinerThread;
  /** The header key last sent to this thread: a range of another header needs the job first. */
  sentJobKey = -1;
  range?: HeldRange<W>;
  /** Hashes per second this worker reached on its last full range. */
  rate = 0;
  coverage = new NonceCoverage();
  /** Deaths since this slot last finished a range. */
  deathsInARow = 0;

  /** `backend` says which worker the slot runs: a CPU backend's, or the GPU's ('webgpu'). */
  constructor(
    readonly index: number,
    readonly backend: BackendName,
  ) {}

  get idle(): boolean {
    return this.state === 'ready' && this.range === undefined && this.thread !== undefined;
  }

  started(thread: MinerThread): void {
    this.thread = thread;
    this.sentJobKey = -1;
  }

  ready(): void {
    this.state = 'ready';
  }

  /**
   * The nonces this worker has covered in `header` (the current one), with its range in flight up to
   * `position`, the next nonce it will hash there.
   */
  covered(header: Uint8Array | undefined, position: number): { ranges: [number, number][]; covered: number } {
    // Copies: the latest range keeps growing in place, and a snapshot must not change after it is taken.
    const ranges = this.coverage.ranges.map(([start, end]): [number, number] => [start, end]);
    let covered = this.coverage.count;
    const range = this.range;
    if (range && range.job.header === header && position > range.start && position <= range.end) {
      ranges.push([range.start, position]);
      covered += position - range.start;
    }
    return { ranges, covered };
  }

  /** A range came back: the worker lives and works, so its deaths so far are forgiven. */
  finishedRange(): HeldRange<W> | undefined {
    const range = this.range;
    this.range = undefined;
    this.deathsInARow = 0;
    return range;
  }

  /** The thread died: what it held, and how long to wait before the next one (undefined: give up). */
  died(): { lost?: HeldRange<W>; respawnMs?: number } {
    const lost = this.range;
    this.range = undefined;
    this.thread = undefined;
    this.state = 'starting';
    this.deathsInARow++;
    if (this.deathsInARow >= MAX_DEATHS_IN_A_ROW) {
      this.state = 'gone';
      return { lost };
    }
    return { lost, respawnMs: Math.min(MAX_RESPAWN_MS, FIRST_RESPAWN_MS * 2 ** (this.deathsInARow - 1)) };
  }
}
