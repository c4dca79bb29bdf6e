/**
 * The scan of one nonce range on the GPU, free of thread APIs like scan.ts: the range goes to the
 * device in dispatches sized by measured speed, and between dispatches the loop publishes progress,
 * watches the stop signal and, when throttled, rests. The device hands back candidates (nonces whose
 * hash's top 32 bits pass); `hit` re-checks each on the CPU, in nonce order.
 */
import type { ChunkBounds, ChunkSizer, ScanHooks, ScanOutcome } from './scan.js';

export interface CandidateScanner {
  candidates(start: number, count: number): Promise<number[]>;
}

/**
 * A dispatch of about 50 ms: long enough that the GPU, not the round trip, sets the pace; short
 * enough that a stop waits for little, and that progress (counted per dispatch) is fine-grained
 * enough for a benchmark round. From 2^12 nonces (two workgroups: a software renderer on a busy
 * machine hashes about 0.1 MH/s) to 2^30 (a fast GPU's 50 ms); the first guess, 2^16, any device
 * passes in well under a second.
 */
export const GPU_CHUNKS: ChunkBounds = { targetMs: 50, min: 1 << 12, max: 1 << 30, initial: 1 << 16 };

/**
 * The largest dispatch for a job whose first find ends the work: a quarter of the hashes a find takes
 * on average. A find is known only when its whole dispatch is back, so a 50 ms dispatch on a job a
 * fast device solves in a millisecond made every block wait 50 ms; a quarter keeps that wait, and the
 * hashes past the find, to a fraction of a find's own time, at a few dispatches' overhead.
 */
export function dispatchLimitFor(expectedHashesPerFind: number, stopOnFind: boolean): number {
  if (!stopOnFind) return Infinity;
  return Math.max(GPU_CHUNKS.min, Math.floor(expectedHashesPerFind / 4));
}

export async function scanRangeOnGpu(
  scanner: CandidateScanner,
  start: number,
  count: number,
  hooks: ScanHooks,
  sizer: ChunkSizer,
  dispatchLimit = Infinity,
): Promise<ScanOutcome> {
  const end = start + count;
  let next = start;
  let hashes = 0;
  while (next < end) {
    if (hooks.stopped()) return { next, hashes, stopped: true };
    const chunk = Math.min(sizer.size, dispatchLimit, end - next);
    const began = performance.now();
    const candidates = await scanner.candidates(next, chunk);
    const busyMs = performance.now() - began;
    // A range's short last piece, or a dispatch cut short for a quick find, says nothing about the device's speed.
    if (chunk === sizer.size) sizer.adjust(busyMs);
    // The whole dispatch was hashed, the nonces after a find included: counted before any find is told.
    hashes += chunk;
    next += chunk;
    hooks.progress(chunk, next, busyMs);
    for (const nonce of candidates) if (hooks.hit(nonce, next - nonce - 1)) return { next, hashes, stopped: true };
    hooks.rest(busyMs);
  }
  return { next, hashes, stopped: false };
}
