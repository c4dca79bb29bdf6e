/** What a Miner reports of itself: the figures every view (terminal, dashboard, page) draws from. */
import type { BackendName } from '../hash/backend.js';
import type { GpuAdapterInfo } from '../hash/webgpu.js';
import type { BestHash } from './best.js';

export interface WorkerStats {
  index: number;
  hashes: number;
  hashrate: number;
  /** Nonce ranges [start, end) this worker has covered in the current header: the latest RANGES_KEPT, for drawing. */
  ranges: [number, number][];
  /** Nonces this worker has hashed in the current header, all of them. */
  covered: number;
}

export interface MinerStats {
  backend: BackendName;
  /** The GPU worker's adapter, when one hashes. */
  gpu: GpuAdapterInfo | null;
  threads: number;
  throttle: number;
  /**
   * The share of the run's time the workers spent hashing, over all of them (0..1): what --throttle
   * sets. The hashrate need not follow it: a core with a sibling at rest, or with room to clock up,
   * hashes faster while it works.
   */
  dutyCycle: number;
  elapsedSeconds: number;
  hashes: number;
  hashrate: number;
  meanHashrate: number;
  /** Hashes on the current work since it was set. */
  workHashes: number;
  /** Seconds since the current work was set. */
  workSeconds: number;
  /** Expected hashes for one solution at the current work's target. */
  expectedHashes: number;
  /** The current work's target as a difficulty (0 before any work; Infinity for a target no hash meets). */
  difficulty: number;
  extranonceIndex: number;
  workers: WorkerStats[];
  /** The best hash known: this run's, or an earlier run's when that was better. */
  best: BestHash | null;
  /** The best hash of this run. */
  sessionBest: BestHash | null;
  workersReplaced: number;
}
