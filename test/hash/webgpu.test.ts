/**
 * The webgpu backend must find exactly the nonces the reference finds. On CI the GPU is Mesa's
 * llvmpipe through OpenGL ES (.ci/run installs it), so a missing adapter fails here; only an install
 * where the optional package itself is absent skips, and says so.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headerBytesFromHex } from '../../src/core/header.js';
import { digestWordsToBytes, headerMidstate, headerTailWords, sha256dFromMidstate } from '../../src/core/sha256.js';
import { bitsToTarget, digestMeetsTarget, hashToBigInt, targetToLimbs } from '../../src/core/target.js';
import type { ScanJob } from '../../src/hash/backend.js';
import { WebGpuScanner, type OpenedGpu } from '../../src/hash/webgpu.js';
import { openWebGpu } from '../../src/hash/webgpu-node.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

const packageMissing = await import('webgpu').then(
  () => undefined,
  (error: NodeJS.ErrnoException) =>
    error.code === 'ERR_MODULE_NOT_FOUND' ? String(error.message).split('\n')[0] : undefined,
);
if (packageMissing)
  console.warn(`webgpu tests skipped: the optional webgpu package is not installed (${packageMissing})`);

function jobFor(header: Uint8Array, target: bigint): ScanJob {
  return {
    header,
    midstate: headerMidstate(header),
    tail: headerTailWords(header),
    targetLimbs: targetToLimbs(target),
  };
}

const byteSwap = (x: number) => ((x << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | (x >>> 24)) >>> 0;

/** The reference, nonce by nonce: those whose hash's top 32 bits pass the bound, and those that meet the target. */
function reference(job: ScanJob, start: number, count: number): { candidates: number[]; meeting: number[] } {
  const digest = new Uint32Array(8);
  const candidates: number[] = [];
  const meeting: number[] = [];
  for (let nonce = start; nonce < start + count; nonce++) {
    sha256dFromMidstate(job.midstate, job.tail, nonce, digest);
    if (byteSwap(digest[7]) <= job.targetLimbs[0]) candidates.push(nonce);
    if (digestMeetsTarget(digest, job.targetLimbs)) meeting.push(nonce);
  }
  return { candidates, meeting };
}

function hashValue(job: ScanJob, nonce: number): bigint {
  const digest = new Uint32Array(8);
  sha256dFromMidstate(job.midstate, job.tail, nonce, digest);
  return hashToBigInt(digestWordsToBytes(digest));
}

const randomHeader = () => new Uint8Array(randomBytes(80));
const randomWord = () => randomBytes(4).readUInt32LE(0);

describe.skipIf(packageMissing !== undefined)('webgpu backend', () => {
  let gpu: OpenedGpu;
  let scanner: WebGpuScanner;

  beforeAll(async () => {
    try {
      gpu = await openWebGpu();
    } catch (error) {
      throw new Error(
        `no WebGPU adapter: on Linux .ci/run installs Mesa's llvmpipe (libegl-mesa0, libgles2, libgl1-mesa-dri); ${(error as Error).message}`,
      );
    }
    scanner = await WebGpuScanner.open(gpu);
  });
  afterAll(() => scanner?.close());

  it('names its adapter', () => {
    expect(scanner.adapter.via).toMatch(/^(default|opengles)$/);
    expect(`${scanner.adapter.vendor}${scanner.adapter.device}${scanner.adapter.description}`).not.toBe('');
  });

  const mainNet = vectors.valid.filter((v) => v.chain === 'main');
  it.each(mainNet.map((v) => [v.description, v] as const))(
    'finds the true nonce of %s, its nonce zeroed, in a window around it',
    async (_d, vector) => {
      const header = headerBytesFromHex(vector.hex);
      const view = new DataView(header.buffer);
      const nonce = view.getUint32(76, true);
      view.setUint32(76, 0, true);
      const job = jobFor(header, bitsToTarget(view.getUint32(72, true)));
      scanner.setJob(job);
      const start = Math.max(0, nonce - 20_000);
      const count = Math.min(2 ** 32 - start, nonce - start + 20_000);
      const expected = reference(job, start, count);
      expect(expected.meeting).toEqual([nonce]);
      expect(await scanner.candidates(start, count)).toEqual(expected.candidates);
      expect(await scanner.scan(start, count)).toBe(nonce);
      expect(await scanner.scan(nonce + 1, 20_000)).toBe(-1);
    },
  );

  it('hands back the same candidates as the reference over whole ranges of random headers at easy targets', async () => {
    for (let round = 0; round < 12; round++) {
      // One hash in 2^k meets the target, k from 2 to 13: many candidates, at every offset.
      const job = jobFor(randomHeader(), (1n << BigInt(256 - 2 - round)) - 1n);
      scanner.setJob(job);
      const start = round % 3 === 0 ? 2 ** 32 - 20_000 : randomWord() % 2 ** 31;
      const count = 20_000 - (randomWord() % 1000);
      const expected = reference(job, start, count);
      const candidates = await scanner.candidates(start, count);
      expect(candidates, `round ${round}`).toEqual(expected.candidates);
      expect(
        candidates.filter((nonce) => scanner.meetsTarget(nonce)),
        `round ${round}`,
      ).toEqual(expected.meeting);
      expect(await scanner.scan(start, count)).toBe(expected.meeting[0] ?? -1);
    }
  });

  it('covers ranges that end at nonce 2^32 - 1, whatever their length, and nothing after them', async () => {
    const job = jobFor(randomHeader(), (1n << 256n) - 1n); // every hash meets it
    scanner.setJob(job);
    for (const count of [1, 2, 3, 4, 5, 255, 256, 257, 1023, 1024, 1025, 4095]) {
      const start = 2 ** 32 - count;
      const candidates = await scanner.candidates(start, count);
      expect(candidates.length).toBe(count);
      expect(candidates[0]).toBe(start);
      expect(candidates[count - 1]).toBe(2 ** 32 - 1);
    }
    scanner.setJob(jobFor(job.header, 0n)); // no hash meets it
    expect(await scanner.scan(2 ** 32 - 5000, 5000)).toBe(-1);
  });

  it('decides near misses by the whole hash, not only its top bits', async () => {
    for (let round = 0; round < 10; round++) {
      const header = randomHeader();
      const nonce = randomWord();
      const exact = hashValue(jobFor(header, 0n), nonce);
      scanner.setJob(jobFor(header, exact));
      expect(await scanner.scan(nonce, 1)).toBe(nonce);
      // One below: the same top 32 bits, so the GPU passes it, and the CPU's re-check rejects it.
      scanner.setJob(jobFor(header, exact - 1n));
      expect(await scanner.candidates(nonce, 1)).toEqual([nonce]);
      expect(await scanner.scan(nonce, 1)).toBe(-1);
    }
  });

  it('loses no candidate when a dispatch finds more than its output buffer holds', async () => {
    const small = await WebGpuScanner.open(gpu, { workgroupSize: 64, noncesPerInvocation: 3 }, 50);
    try {
      const job = jobFor(randomHeader(), (1n << 254n) - 1n); // one hash in four
      small.setJob(job);
      const start = 2 ** 32 - 3001;
      expect(await small.candidates(start, 3001)).toEqual(reference(job, start, 3001).candidates);
    } finally {
      small.close();
    }
  });

  it.each([
    [1, 1],
    [32, 16],
    [256, 1],
  ])(
    'gives the same candidates with %i invocations per workgroup and %i nonces each',
    async (workgroupSize, noncesPerInvocation) => {
      const other = await WebGpuScanner.open(gpu, { workgroupSize, noncesPerInvocation });
      try {
        const job = jobFor(randomHeader(), (1n << 250n) - 1n);
        other.setJob(job);
        const start = randomWord() % 2 ** 31;
        expect(await other.candidates(start, 7777)).toEqual(reference(job, start, 7777).candidates);
      } finally {
        other.close();
      }
    },
  );

  it('reports a machine without an adapter in one line (test hook POWLAB_TEST_WEBGPU=no-adapter)', async () => {
    process.env.POWLAB_TEST_WEBGPU = 'no-adapter';
    try {
      await expect(openWebGpu()).rejects.toThrow(/^no GPU adapter \(tried [^\n]+\)$/);
    } finally {
      delete process.env.POWLAB_TEST_WEBGPU;
    }
  });
});
