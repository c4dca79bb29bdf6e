/**
 * Rank the CPU backends, by timing each one briefly on one thread on a throwaway job, and pick the
 * fastest. A ranking only: how fast this machine mines is measured by src/miner/measure.ts, with the
 * workers mining will use.
 */
import { headerMidstate, headerTailWords } from '../core/sha256.js';
import { BACKEND_NAMES, type BackendName } from './backend.js';
import { loadBackend } from './index.js';

export interface Calibration {
  backend: BackendName;
  /** Hashes per second each backend managed on one thread, for those that loaded. */
  rates: Partial<Record<BackendName, number>>;
}

export async function calibrateBackends(millisecondsEach = 40): Promise<Calibration> {
  const header = new Uint8Array(80).fill(0x5a);
  const job = {
    header,
    midstate: headerMidstate(header),
    tail: headerTailWords(header),
    targetLimbs: new Uint32Array(8),
  };
  const rates: Partial<Record<BackendName, number>> = {};
  for (const name of BACKEND_NAMES) {
    let backend;
    try {
      backend = await loadBackend(name);
    } catch {
      continue;
    }
    backend.setJob(job);
    backend.scan(0, 1024); // let the engine compile the loop before it is timed
    let hashes = 0;
    let chunk = 1024;
    const began = performance.now();
    while (performance.now() - began < millisecondsEach) {
      backend.scan(hashes, chunk);
      hashes += chunk;
      chunk *= 2;
    }
    rates[name] = hashes / ((performance.now() - began) / 1000);
  }
  const [fastest] = Object.entries(rates).sort((a, b) => b[1] - a[1]);
  return { backend: fastest[0] as BackendName, rates };
}

export async function chooseFastestBackend(): Promise<BackendName> {
  return (await calibrateBackends()).backend;
}
