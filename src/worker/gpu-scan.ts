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

export async function scanRangeOnGpu(
  scanner: CandidateScanner,
  start: number,
  count: number,
  hooks: ScanHooks,
  sizer: ChunkSizer,
): Promise<ScanOutcome> {
  const end = start + count;
  let next = start;
  let hashes = 0;
  while (next < end) {
    if (hooks.stopped()) return { next, hashes, stopped: true };
    const chunk = Math.min(sizer.size, end - next);
    const began = performance.now();
    const candidates = await scanner.candidates(next, chunk);
    const busyMs = performance.now() - began;
    // A range's short last piece says nothing about the device's speed.
    if (chunk === sizer.size) sizer.adjust(busyMs);
    for (const nonce of candidates) {
      if (!hooks.hit(nonce)) continue;
      const done = nonce - next + 1;
      hooks.progress(done, nonce + 1);
      return { next: nonce + 1, hashes: hashes + done, stopped: true };
    }
    hashes += chunk;
    next += chunk;
    hooks.progress(chunk, next);
    hooks.rest(busyMs);
  }
  return { next, hashes, stopped: false };
}
