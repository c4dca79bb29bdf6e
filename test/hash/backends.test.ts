/**
 * Every backend must find exactly the nonces the reference hash finds: the same first nonce of any
 * range, at any target, on real headers and on random ones.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { headerBytesFromHex } from '../../src/core/header.js';
import { digestWordsToBytes, headerMidstate, headerTailWords, sha256dFromMidstate } from '../../src/core/sha256.js';
import { bitsToTarget, digestMeetsTarget, hashToBigInt, targetToLimbs } from '../../src/core/target.js';
import { useBuiltWasm } from '../helpers/built.js';
import { createJsBackend } from '../../src/hash/js.js';
import { createNobleBackend } from '../../src/hash/noble.js';
import { createWasmBackend } from '../../src/hash/wasm.js';
import type { HashBackend, ScanJob } from '../../src/hash/backend.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

useBuiltWasm();

const backends: [string, () => HashBackend][] = [
  ['noble', createNobleBackend],
  ['js', createJsBackend],
  ['wasm (simd)', () => createWasmBackend('simd')],
  ['wasm (scalar)', () => createWasmBackend('scalar')],
];

function jobFor(header: Uint8Array, target: bigint): ScanJob {
  return {
    header,
    midstate: headerMidstate(header),
    tail: headerTailWords(header),
    targetLimbs: targetToLimbs(target),
  };
}

/** The reference: every nonce hashed by src/core, one at a time. */
function referenceScan(job: ScanJob, start: number, count: number): number {
  const digest = new Uint32Array(8);
  for (let nonce = start; nonce < start + count; nonce++) {
    sha256dFromMidstate(job.midstate, job.tail, nonce, digest);
    if (digestMeetsTarget(digest, job.targetLimbs)) return nonce;
  }
  return -1;
}

/** The hash of one nonce as a number, the value a target is compared with. */
function hashValue(job: ScanJob, nonce: number): bigint {
  const digest = new Uint32Array(8);
  sha256dFromMidstate(job.midstate, job.tail, nonce, digest);
  return hashToBigInt(digestWordsToBytes(digest));
}

const randomHeader = () => new Uint8Array(randomBytes(80));
const randomWord = () => randomBytes(4).readUInt32LE(0);

describe.each(backends)('backend %s', (_name, create) => {
  // Main-net targets are hard enough that the block's nonce is the only one in its window.
  const mainNet = vectors.valid.filter((v) => v.chain === 'main');
  it.each(mainNet.map((v) => [v.description, v] as const))(
    'finds the true nonce of %s in a window around it',
    (_d, vector) => {
      const header = headerBytesFromHex(vector.hex);
      const nonce = new DataView(header.buffer).getUint32(76, true);
      const backend = create();
      backend.setJob(jobFor(header, bitsToTarget(new DataView(header.buffer).getUint32(72, true))));
      const start = Math.max(0, nonce - 5000);
      expect(backend.scan(start, nonce - start + 5000)).toBe(nonce);
      expect(backend.scan(nonce + 1, 5000)).toBe(-1);
    },
  );

  it('agrees with the reference on random headers, ranges and easy targets', () => {
    const backend = create();
    for (let round = 0; round < 40; round++) {
      // A target that one hash in 2^k meets, k from 1 to 12: finds in most ranges, at any offset.
      const target = (1n << BigInt(256 - 1 - (round % 12))) - 1n;
      const job = jobFor(randomHeader(), target);
      backend.setJob(job);
      const start = round % 3 === 0 ? 2 ** 32 - 1 - (round % 13) - 300 : randomWord() % 2 ** 31;
      const count = 1 + (randomWord() % 300);
      expect(backend.scan(start, count), `round ${round}`).toBe(referenceScan(job, start, count));
    }
  });

  it('decides near misses by the whole hash, not only its top bits', () => {
    const backend = create();
    for (let round = 0; round < 20; round++) {
      const header = randomHeader();
      const nonce = randomWord();
      const exact = hashValue(jobFor(header, 0n), nonce);
      // The hash equals the target: it meets it. One below: the same top bits, and it does not.
      backend.setJob(jobFor(header, exact));
      expect(backend.scan(nonce, 1)).toBe(nonce);
      backend.setJob(jobFor(header, exact - 1n));
      expect(backend.scan(nonce, 1)).toBe(-1);
    }
  });

  it('covers a range to its last nonce, whatever its length, and hashes nothing after it', () => {
    const backend = create();
    const job = jobFor(randomHeader(), (1n << 256n) - 1n); // every hash meets it
    backend.setJob(job);
    for (const count of [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17]) {
      expect(backend.scan(2 ** 32 - count, count)).toBe(2 ** 32 - count);
    }
    backend.setJob(jobFor(job.header, 0n)); // no hash meets it
    expect(backend.scan(2 ** 32 - 17, 17)).toBe(-1);
  });
});

describe('calibration', () => {
  it('times every backend and picks the fastest of them', async () => {
    const { calibrateBackends } = await import('../../src/hash/calibrate.js');
    const { backend, rates } = await calibrateBackends(20);
    expect(Object.keys(rates).sort()).toEqual(['js', 'noble', 'wasm']);
    for (const rate of Object.values(rates)) expect(rate).toBeGreaterThan(0);
    expect(rates[backend]).toBe(Math.max(...Object.values(rates)));
  });
});

describe('wasm backend', () => {
  it('prefers SIMD where the engine has it', () => {
    expect(createWasmBackend().variant).toBe('simd');
  });
});
