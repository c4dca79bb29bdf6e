/**
 * The jobs one connection was sent and may still submit to, with the headers credited on each: a
 * share is known by its header hash whatever job id it comes under, so the same work sent twice is
 * credited once; old jobs are forgotten, and the memory for duplicates is capped.
 */
import type { PoolJob } from './jobs.js';

/** Jobs a connection can still submit to; older ones are unknown. */
const JOBS_KEPT = 16;
/** Header hashes remembered for the duplicate check, over all of a connection's live jobs; past this, shares are refused until a new job. */
const SHARES_KEPT = 10_000;

export class SentJobs {
  /** By job id: the job, and the header hashes (hex) credited on it. */
  private readonly jobs = new Map<string, { job: PoolJob; shares: Set<string> }>();
  private sharesKept = 0;

  /** A job sent to the miner; a clean one makes every earlier one unknown. */
  add(job: PoolJob, cleanJobs: boolean): void {
    if (cleanJobs) {
      this.jobs.clear();
      this.sharesKept = 0;
    }
    if (!this.jobs.has(job.id)) this.jobs.set(job.id, { job, shares: new Set() });
    if (this.jobs.size > JOBS_KEPT) {
      const oldest = this.jobs.keys().next().value!;
      this.sharesKept -= this.jobs.get(oldest)!.shares.size;
      this.jobs.delete(oldest);
    }
  }

  get(jobId: unknown): PoolJob | undefined {
    return typeof jobId === 'string' ? this.jobs.get(jobId)?.job : undefined;
  }

  /** No room left to remember another share until a new job. */
  get full(): boolean {
    return this.sharesKept >= SHARES_KEPT;
  }

  isDuplicate(headerHash: string): boolean {
    for (const sent of this.jobs.values()) if (sent.shares.has(headerHash)) return true;
    return false;
  }

  credit(job: PoolJob, headerHash: string): void {
    this.jobs.get(job.id)?.shares.add(headerHash);
    this.sharesKept++;
  }
}
