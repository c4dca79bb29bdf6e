/**
 * What the fast backends share: a generated filter hashes nonces until one whose hash's top 32 bits
 * could meet the target, and the reference hash in src/core decides whether that nonce really does.
 * At any real target nearly every nonce is rejected inside the filter, so the check costs nothing.
 */
import { sha256dFromMidstate } from '../core/sha256.js';
import { digestMeetsTarget } from '../core/target.js';
import type { BackendName, HashBackend, ScanJob } from './backend.js';

/** Hash nonces start..start+count-1 (count <= FILTER_MAX_COUNT); the offset of the first that passes, or -1. */
export type NonceFilter = (start: number, count: number) => number;

/** Filters count in 32-bit integers; 2^30 keeps every offset and nonce arithmetic exact. */
export const FILTER_MAX_COUNT = 1 << 30;

/** The job as a backend keeps it: its own copies, so a caller reusing its arrays cannot change a scan. */
export class JobWords {
  readonly midstate = new Uint32Array(8);
  readonly tail = new Uint32Array(3);
  readonly targetLimbs = new Uint32Array(8);
  private readonly digest = new Uint32Array(8);

  set(job: ScanJob): void {
    this.midstate.set(job.midstate);
    this.tail.set(job.tail);
    this.targetLimbs.set(job.targetLimbs);
  }

  /** The most significant 32 bits of the target: the filter's bound. */
  get topLimb(): number {
    return this.targetLimbs[0];
  }

  meetsTarget(nonce: number): boolean {
    sha256dFromMidstate(this.midstate, this.tail, nonce, this.digest);
    return digestMeetsTarget(this.digest, this.targetLimbs);
  }
}

/** The first nonce of start..start+count-1 whose hash meets the job's target, or -1. */
export function filteredScan(job: JobWords, filter: NonceFilter, start: number, count: number): number {
  let next = start;
  let left = count;
  while (left > 0) {
    const chunk = Math.min(left, FILTER_MAX_COUNT);
    const offset = filter(next, chunk);
    if (offset < 0) {
      next += chunk;
      left -= chunk;
      continue;
    }
    const nonce = next + offset;
    if (job.meetsTarget(nonce)) return nonce;
    next = nonce + 1;
    left -= offset + 1;
  }
  return -1;
}

/** A backend made of a filter over the job's words: what js and wasm differ in is only the filter. */
export function filteredBackend(name: BackendName, filterFor: (job: JobWords) => NonceFilter): HashBackend {
  const job = new JobWords();
  const filter = filterFor(job);
  return {
    name,
    setJob(next: ScanJob) {
      job.set(next);
    },
    scan(start: number, count: number): number {
      return filteredScan(job, filter, start, count);
    },
  };
}
