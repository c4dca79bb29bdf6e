/**
 * The fastest scalar TypeScript: the midstate, the rounds and message-schedule words that do not
 * depend on the nonce computed once per scan, every round written out with scalar locals, and the
 * second hash cut short after round 60 for nearly every nonce. The loop itself is generated (see
 * scripts/generate-sha256d.mjs and src/hash/js-rounds.ts); it allocates nothing.
 */
import type { HashBackend, ScanJob } from './backend.js';
import { filteredScan, JobWords } from './filtered-scan.js';
import { filterNonces } from './js-rounds.js';

export function createJsBackend(): HashBackend {
  const job = new JobWords();
  const filter = (start: number, count: number) => filterNonces(job.midstate, job.tail, job.topLimb, start, count);
  return {
    name: 'js',
    setJob(next: ScanJob) {
      job.set(next);
    },
    scan(start: number, count: number): number {
      return filteredScan(job, filter, start, count);
    },
  };
}
