/** A stand-in for the Miner, enough for the dashboard's state and server: stats() and the 'record' event. */
import { EventEmitter } from 'node:events';
import { headerBytesFromHex, withNonce } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import type { Miner, MinerStats } from '../../src/miner/miner.js';
import type { Solution, Work } from '../../src/miner/work.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

export function fakeStats(overrides: Partial<MinerStats> = {}): MinerStats {
  return {
    backend: 'js',
    gpu: null,
    threads: 2,
    throttle: 100,
    dutyCycle: 1,
    elapsedSeconds: 3,
    hashes: 3_000_000,
    hashrate: 1_000_000,
    meanHashrate: 1_000_000,
    workHashes: 40_000,
    workSeconds: 0.04,
    expectedHashes: 65_537,
    difficulty: 1 / 65_536,
    extranonceIndex: 0,
    workers: [
      { index: 0, hashes: 1_500_000, hashrate: 500_000, ranges: [[0, 4096]], covered: 9_000_000 },
      { index: 1, hashes: 1_500_000, hashrate: 500_000, ranges: [[4096, 8192]], covered: 9_000_000 },
    ],
    best: null,
    sessionBest: null,
    workersReplaced: 0,
    ...overrides,
  };
}

/** A Miner whose stats() answers `stats()`, called afresh on each snapshot. */
export function fakeMiner(stats: () => MinerStats = () => fakeStats()): Miner {
  return Object.assign(new EventEmitter(), { stats }) as unknown as Miner;
}

const block100000 = headerBytesFromHex(vectors.valid.find((v) => v.height === 100000)!.hex);
const work: Work = { id: 'fake', target: 1n << 240n, stopOnFind: true, extranonceCount: 1, header: () => block100000 };

/** A solution with a true header and hash: block 100000's header at another nonce. */
export function fakeSolution(nonce: number): Solution {
  const header = withNonce(block100000, nonce);
  return { work, extranonceIndex: 0, nonce, header, hash: sha256d(header), hashes: 1000 + nonce, seconds: 0.5 };
}
