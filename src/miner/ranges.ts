/**
 * Range scheduling, with no threads in it: which nonces of which header go out next. A work's nonces
 * are handed out in ranges sized to a worker's speed; a range a worker could not finish is handed out
 * again first; when a header's nonces run out, the next extranonce gives a new header (a new
 * coinbase, so a new merkle root) and its nonces start over.
 */
import { bytesEqual } from '../core/bytes.js';
import { NONCE_SPACE } from '../core/header.js';
import { Errors } from '../errors.js';
import type { Work } from './work.js';

export interface HeaderJob<W extends Work = Work> {
  /** Names this header (work + extranonce) to the workers for the rest of the run. */
  key: number;
  work: W;
  extranonceIndex: number;
  header: Uint8Array;
}

export interface NonceRange<W extends Work = Work> {
  job: HeaderJob<W>;
  start: number;
  /** Exclusive. */
  end: number;
}

/** Long enough that the messages cost nothing, short enough that new work is taken up at once. */
export const RANGE_SECONDS = 0.25;
export const MIN_RANGE = 1 << 12;
export const MAX_RANGE = 1 << 28;
/** A worker of unknown speed starts with this many nonces. */
export const FIRST_RANGE = 1 << 16;

export function rangeSize(hashesPerSecond: number): number {
  return Math.max(
    MIN_RANGE,
    Math.min(MAX_RANGE, hashesPerSecond > 0 ? Math.round(hashesPerSecond * RANGE_SECONDS) : FIRST_RANGE),
  );
}

/** The nonces one work may use in each header: [start, start + count). */
export function nonceWindow(work: Work): { start: number; end: number } {
  const start = work.nonceStart ?? 0;
  const count = work.nonceCount ?? NONCE_SPACE - start;
  if (!Number.isInteger(start) || start < 0 || start >= NONCE_SPACE)
    throw Errors.badOption('start', `nonce must be 0..4294967295, got ${start}`);
  if (!Number.isInteger(count) || count < 1 || start + count > NONCE_SPACE)
    throw Errors.badOption('count', `must be 1..${NONCE_SPACE - start} from nonce ${start}, got ${count}`);
  return { start, end: start + count };
}

export class RangeScheduler<W extends Work> {
  private current?: HeaderJob<W>;
  private nextNonce = 0;
  private endNonce = 0;
  private requeued: NonceRange<W>[] = [];
  private readonly jobsByKey = new Map<number, HeaderJob<W>>();
  private nextJobKey = 0;

  /** `onHeader` hears of every new header, the first of a work and each extranonce roll. */
  constructor(private readonly onHeader: (job: HeaderJob<W>) => void = () => {}) {}

  get job(): HeaderJob<W> | undefined {
    return this.current;
  }

  /** Drop everything queued and start on this work's first header. */
  setWork(work: W): void {
    const window = nonceWindow(work);
    this.jobsByKey.clear();
    this.requeued = [];
    this.useHeader(work, 0, window);
  }

  /**
   * Go on with the current header under `work`, the same headers at another target: the nonces
   * handed out stay handed out. Finds of ranges out under the old work still name it; what they
   * leave unhashed, and ranges waiting to go out again, go out under the new one. False, changing nothing, when
   * `work` gives another header (or there is no work yet): it is new work, for setWork.
   */
  retarget(work: W): boolean {
    const job = this.current;
    if (!job || !bytesEqual(work.header(job.extranonceIndex), job.header)) return false;
    this.current = { key: this.nextJobKey++, work, extranonceIndex: job.extranonceIndex, header: job.header };
    this.jobsByKey.set(this.current.key, this.current);
    this.requeued = this.requeued.map((range) => ({ ...range, job: this.current! }));
    return true;
  }

  /** The header a worker's report names, while its work is current. */
  jobFor(key: number): HeaderJob<W> | undefined {
    return this.jobsByKey.get(key);
  }

  isCurrent(work: W): boolean {
    return this.current?.work === work;
  }

  /** The next range for a worker hashing at `hashesPerSecond` (0: not known yet); undefined when every nonce is out. */
  next(hashesPerSecond: number): NonceRange<W> | undefined {
    const requeued = this.requeued.shift();
    if (requeued) return requeued;
    let job = this.current;
    if (!job) return undefined;
    if (this.nextNonce >= this.endNonce) {
      if (job.extranonceIndex + 1 >= job.work.extranonceCount) return undefined;
      this.useHeader(job.work, job.extranonceIndex + 1, nonceWindow(job.work));
      job = this.current!;
    }
    const start = this.nextNonce;
    const end = Math.min(this.endNonce, start + rangeSize(hashesPerSecond));
    this.nextNonce = end;
    return { job, start, end };
  }

  /** A range (or the rest of one) that was handed out but not hashed: out again first, if its work is still current. */
  requeue(range: NonceRange<W>): void {
    if (range.start >= range.end) return;
    if (this.isCurrent(range.job.work)) this.requeued.push(range);
    // A range of the header before a retarget: its nonces are still to hash, at the current target.
    else if (range.job.header === this.current?.header) this.requeued.push({ ...range, job: this.current });
  }

  /** Whether any nonce of the current work is still to be handed out. */
  hasMore(): boolean {
    const job = this.current;
    return (
      this.requeued.length > 0 ||
      (job !== undefined && (this.nextNonce < this.endNonce || job.extranonceIndex + 1 < job.work.extranonceCount))
    );
  }

  private useHeader(work: W, extranonceIndex: number, window: { start: number; end: number }): void {
    const header = work.header(extranonceIndex);
    if (header.length !== 80) throw new RangeError(`work ${work.id} gave a ${header.length}-byte header`);
    this.current = { key: this.nextJobKey++, work, extranonceIndex, header };
    this.jobsByKey.set(this.current.key, this.current);
    this.nextNonce = window.start;
    this.endNonce = window.end;
    this.onHeader(this.current);
  }
}
