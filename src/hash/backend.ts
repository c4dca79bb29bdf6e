/**
 * The one interface every hashing backend offers the workers: take a job, scan a range of nonces,
 * stop at the first nonce whose double SHA-256 meets the target.
 */

/** webgpu scans asynchronously, so it is no HashBackend: see src/hash/webgpu.ts and src/worker/gpu-runner.ts. */
export const BACKEND_NAMES = ['noble', 'js', 'wasm', 'webgpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface ScanJob {
  /** The 80-byte header; its nonce field is ignored. */
  header: Uint8Array;
  /** SHA-256 state after the header's first 64 bytes. */
  midstate: Uint32Array;
  /** Header bytes 64..75 (end of merkle root, time, bits) as three big-endian words. */
  tail: Uint32Array;
  /** The target as eight 32-bit limbs, most significant first (see core/target.ts targetToLimbs). */
  targetLimbs: Uint32Array;
}

export interface HashBackend {
  readonly name: BackendName;
  /** Take a new job; later scans hash its header. */
  setJob(job: ScanJob): void;
  /**
   * Hash nonces start, start+1, …, start+count-1 (start + count <= 2^32) and return the first that
   * meets the target, or -1 when none does. Nonces after a find are not hashed.
   */
  scan(start: number, count: number): number;
}
