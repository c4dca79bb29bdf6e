/**
 * The scan of one nonce range, free of thread APIs so it can be read and tested on its own: the range
 * is hashed in chunks of a few milliseconds, and between chunks the loop publishes progress, watches
 * the stop signal and, when throttled, rests.
 */
import type { HashBackend } from '../hash/backend.js';

export interface ScanHooks {
  /** True once the controller wants this range abandoned. */
  stopped(): boolean;
  /** `hashes` more were done, in `busyMs` of hashing; `next` is the next nonce to hash. */
  progress(hashes: number, next: number, busyMs: number): void;
  /**
   * The backend returned `nonce` (its hash meets the scan limbs), after `hashedAfter` more nonces were
   * hashed past it (a GPU dispatch runs whole). Progress up to the end of what was hashed is published
   * before this call, so a find is never told before its hashes are counted. Return true to end the
   * range there, false to go on.
   */
  hit(nonce: number, hashedAfter: number): boolean;
  /** The last chunk kept the core busy for `busyMs`: rest if throttled. */
  rest(busyMs: number): void;
}

export interface ScanOutcome {
  next: number;
  hashes: number;
  stopped: boolean;
}

/** How long a chunk should take, and the sizes it may have. */
export interface ChunkBounds {
  targetMs: number;
  min: number;
  max: number;
  initial: number;
}

/** A CPU core: chunks of a few milliseconds, so a stop or a throttle acts at once. */
export const CPU_CHUNKS: ChunkBounds = { targetMs: 4, min: 256, max: 1 << 22, initial: 4096 };

/** Chunk size carried from range to range, so a new range starts at the speed already measured. */
export class ChunkSizer {
  size: number;

  constructor(private readonly bounds: ChunkBounds = CPU_CHUNKS) {
    this.size = bounds.initial;
  }

  adjust(elapsedMs: number): void {
    const scale = elapsedMs > 0 ? this.bounds.targetMs / elapsedMs : 2;
    this.size = this.bounded(this.size * Math.min(2, Math.max(0.5, scale)));
  }

  /** Start from a speed measured elsewhere, rather than creeping to it from the first guess. */
  fit(hashesPerSecond: number): void {
    this.size = this.bounded((hashesPerSecond * this.bounds.targetMs) / 1000);
  }

  private bounded(size: number): number {
    return Math.max(this.bounds.min, Math.min(this.bounds.max, Math.round(size)));
  }
}

export function scanRange(
  backend: HashBackend,
  start: number,
  count: number,
  hooks: ScanHooks,
  sizer: ChunkSizer,
): ScanOutcome {
  const end = start + count;
  let next = start;
  let hashes = 0;
  while (next < end) {
    if (hooks.stopped()) return { next, hashes, stopped: true };
    const chunk = Math.min(sizer.size, end - next);
    const began = performance.now();
    const hit = backend.scan(next, chunk);
    const busyMs = performance.now() - began;
    const done = hit < 0 ? chunk : hit - next + 1;
    hashes += done;
    next += done;
    hooks.progress(done, next, busyMs);
    if (hit < 0) sizer.adjust(busyMs);
    if (hit >= 0 && hooks.hit(hit, 0)) return { next, hashes, stopped: true };
    hooks.rest(busyMs);
  }
  return { next, hashes, stopped: false };
}

/**
 * Without shared memory a stop comes as a message, which a worker reads only between tasks: the range
 * is scanned in slices of SLICE_CHUNKS chunks (about 50 ms on a CPU), and `between` lets the worker's
 * messages in after each. Slower than one long scan, by the turns taken; the same nonces, in order.
 */
const SLICE_CHUNKS = 12;

export async function scanRangeInSlices(
  backend: HashBackend,
  start: number,
  count: number,
  hooks: ScanHooks,
  sizer: ChunkSizer,
  between: () => Promise<void>,
): Promise<ScanOutcome> {
  const end = start + count;
  let next = start;
  let hashes = 0;
  for (;;) {
    const slice = scanRange(backend, next, Math.min(sizer.size * SLICE_CHUNKS, end - next), hooks, sizer);
    next = slice.next;
    hashes += slice.hashes;
    if (slice.stopped || next >= end) return { next, hashes, stopped: slice.stopped };
    await between();
  }
}
