/** A short, honest hashrate measurement: real workers hashing a job that can never be solved. */
import type { BackendName } from '../hash/backend.js';
import type { Miner } from './miner.js';
import type { ThreadHost } from './threads.js';
import type { Work } from './work.js';

export interface Measurement {
  hashrate: number;
  hashes: number;
  seconds: number;
  backend: BackendName;
  threads: number;
}

/** A work no hash can meet (target zero), with endless extranonces: pure hashing to measure. */
export function unsolvableWork(id = 'measure'): Work {
  const header = new Uint8Array(80).fill(0x42);
  return {
    id,
    target: 0n,
    stopOnFind: true,
    extranonceCount: Number.MAX_SAFE_INTEGER,
    header: (index) => {
      const copy = Uint8Array.from(header);
      new DataView(copy.buffer).setFloat64(36, index, true);
      return copy;
    },
  };
}

/** Resolves after `milliseconds`, in any JavaScript runtime. */
export function delay(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

/** Long enough for the workers to settle into their rate, short enough to wait for. */
export const DEFAULT_MEASURE_SECONDS = 2;
/** Longer tells nothing more; it only keeps a person waiting. */
export const MAX_MEASURE_SECONDS = 60;

/** The hashes a running miner does over the next `milliseconds`, counted from its workers' own counters. */
export async function hashesOver(miner: Miner, milliseconds: number): Promise<{ hashes: number; seconds: number }> {
  const before = miner.stats();
  await delay(milliseconds);
  const after = miner.stats();
  return { hashes: after.hashes - before.hashes, seconds: after.elapsedSeconds - before.elapsedSeconds };
}

export async function measureHashrate(options: {
  host: ThreadHost;
  seconds?: number;
  threads?: number;
  backend?: BackendName | 'auto';
}): Promise<Measurement> {
  const seconds = options.seconds ?? DEFAULT_MEASURE_SECONDS;
  // Loaded here, not at the top, so that the constants above cost a command's --help nothing.
  const { Miner } = await import('./miner.js');
  // The CPU's figure, as explain and economics have always given it: the GPU is measured by bench.
  const miner = await Miner.start({
    host: options.host,
    threads: options.threads,
    backend: options.backend,
    gpu: false,
  });
  try {
    miner.setWork(unsolvableWork());
    const { hashes, seconds: elapsed } = await hashesOver(miner, seconds * 1000);
    return { hashrate: hashes / elapsed, hashes, seconds: elapsed, backend: miner.backend, threads: miner.threads };
  } finally {
    await miner.close();
  }
}
