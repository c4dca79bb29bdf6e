/**
 * The fastest scalar TypeScript: the midstate, the rounds and message-schedule words that do not
 * depend on the nonce computed once per scan, every round written out with scalar locals, and the
 * second hash cut short after round 60 for nearly every nonce. The loop itself is generated (see
 * scripts/generate-sha256d.mjs and src/hash/js-rounds.ts); it allocates nothing.
 */
import type { HashBackend } from './backend.js';
import { filteredBackend } from './filtered-scan.js';
import { filterNonces } from './js-rounds.js';

export function createJsBackend(): HashBackend {
  return filteredBackend(
    'js',
    (job) => (start, count) => filterNonces(job.midstate, job.tail, job.topLimb, start, count),
  );
}
