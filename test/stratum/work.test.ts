import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { hashToDisplayHex, withNonce } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import { hashMeetsTarget, leadingZeroBits } from '../../src/core/target.js';
import type { Solution } from '../../src/miner/work.js';
import { readNotify, type StratumJob } from '../../src/stratum/messages.js';
import { MIN_MINING_DIFFICULTY, ShareWork, type PoolTerms } from '../../src/stratum/work.js';

const fromHex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

function solve(work: ShareWork, extranonceIndex: number, nonce: number): Solution<ShareWork> {
  const header = withNonce(work.header(extranonceIndex), nonce);
  return { work, extranonceIndex, nonce, header, hash: sha256d(header), hashes: 0, seconds: 0 };
}

// The job and share of the example session published with the original Stratum description.
const slushJob = readNotify([
  'bf',
  '4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000',
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008',
  '072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000',
  [],
  '00000002',
  '1c2ac4af',
  '504e86b9',
  false,
]);
const slushTerms: PoolTerms = {
  extranonce1: fromHex('08000002'),
  extranonce2Size: 4,
  difficulty: 1,
  versionMask: null,
};

/** A job whose coinbase has room for `extranonceBytes` (extranonce1 + extranonce2) in its scriptSig. */
function jobWithRoomFor(extranonceBytes: number): StratumJob {
  const coinbase1 = fromHex(
    `01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff${(5 + extranonceBytes).toString(16).padStart(2, '0')}03a08601${extranonceBytes.toString(16).padStart(2, '0')}`,
  );
  const coinbase2 = fromHex('ffffffff0100f2052a01000000015100000000');
  return { ...slushJob, coinbase1, coinbase2 };
}

describe('a pool job as Work', () => {
  it('rebuilds the published example share: its hash meets difficulty 1, and the submit matches', () => {
    const work = new ShareWork('slush', slushJob, slushTerms);
    expect(hex(work.extranonce2(1))).toBe('00000001');
    // The share was mined with ntime rolled forward to 504e86ed; powlab leaves ntime alone, so set it in the header.
    const header = work.header(1);
    new DataView(header.buffer).setUint32(68, 0x504e86ed, true);
    const solution = { ...solve(work, 1, 0xb2957c02), header: withNonce(header, 0xb2957c02) };
    solution.hash = sha256d(solution.header);
    // 2^-32 odds by chance: only a rightly decoded header gets here.
    expect(leadingZeroBits(solution.hash)).toBeGreaterThanOrEqual(32);
    expect(hashMeetsTarget(solution.hash, work.target)).toBe(true);
    expect(work.share(solution)).toEqual({
      jobId: 'bf',
      extranonce2: '00000001',
      ntime: '504e86ed',
      nonce: 'b2957c02',
    });
  });

  it('rebuilds mainnet block 100,000 from it posed as a notify', () => {
    const fixture = JSON.parse(readFileSync(new URL('./fixtures/block-100000.json', import.meta.url), 'utf8'));
    const job = readNotify(fixture.notify.params);
    const work = new ShareWork('b100k', job, {
      extranonce1: fromHex(fixture.subscribe.extranonce1),
      extranonce2Size: fixture.subscribe.extranonce2Size,
      difficulty: 1,
      versionMask: null,
    });
    const index = parseInt(fixture.share.extranonce2, 16);
    expect(hashToDisplayHex(sha256d(work.coinbase(index)))).toBe(fixture.block.coinbaseTxid);
    expect(hashToDisplayHex(work.merkleRoot(index))).toBe(fixture.block.merkleroot);
    const solution = solve(work, index, parseInt(fixture.share.nonce, 16));
    expect(hashToDisplayHex(solution.hash)).toBe(fixture.block.hash);
    expect(hashToDisplayHex(solution.header.slice(4, 36))).toBe(fixture.block.previousblockhash);
    expect(hashMeetsTarget(solution.hash, work.networkTarget)).toBe(true);
    expect(work.share(solution)).toEqual({ jobId: 'block-100000', ...fixture.share });
  });

  it('mines at difficulty-1 target / pool difficulty, and knows the network target from nbits', () => {
    const work = new ShareWork('d', slushJob, { ...slushTerms, difficulty: 0.0002 });
    // 0.0002 has no exact binary form: the target is diff-1 × 5000 to within rounding.
    const exact = (0xffffn << 208n) * 5000n;
    const error = work.target > exact ? work.target - exact : exact - work.target;
    expect(error * 10n ** 12n < exact).toBe(true);
    expect(work.networkTarget).toBe(0x2ac4afn << (8n * (0x1cn - 3n)));
    expect(work.stopOnFind).toBe(false);
    // A pool asking for next to nothing gets shares at the floor, which still meet its difficulty.
    const flood = new ShareWork('f', slushJob, { ...slushTerms, difficulty: 1e-12 });
    expect(flood.target).toBe(
      new ShareWork('g', slushJob, { ...slushTerms, difficulty: MIN_MINING_DIFFICULTY }).target,
    );
    expect(flood.target < (0xffffn << 208n) * 10n ** 12n).toBe(true);
  });

  it('names each extranonce2 value once, most significant byte first, as many as its size allows', () => {
    const work = new ShareWork('e', jobWithRoomFor(6), { ...slushTerms, extranonce2Size: 2 });
    expect(work.extranonceCount).toBe(65536);
    expect([0, 1, 255, 256, 65535].map((i) => hex(work.extranonce2(i)))).toEqual([
      '0000',
      '0001',
      '00ff',
      '0100',
      'ffff',
    ]);
    expect(() => work.header(65536)).toThrow(RangeError);
    expect(new ShareWork('z', jobWithRoomFor(4), { ...slushTerms, extranonce2Size: 0 }).extranonceCount).toBe(1);
    const wide = new ShareWork('w', jobWithRoomFor(12), { ...slushTerms, extranonce2Size: 8 });
    expect(wide.extranonceCount).toBe(Number.MAX_SAFE_INTEGER);
    expect(hex(wide.extranonce2(2 ** 40 + 5))).toBe('0000010000000005');
    // Each index is a different coinbase, so a different merkle root.
    const roots = new Set([0, 1, 2, 3].map((i) => hex(work.merkleRoot(i))));
    expect(roots.size).toBe(4);
  });

  it('rolls only the version bits the pool allows, and reports them as BIP 310 asks', () => {
    const mask = 0x1fffe000;
    const job: StratumJob = { ...slushJob, version: 0x20000004 };
    const work = new ShareWork('v', job, { ...slushTerms, versionMask: mask });
    expect(work.extranonceCount).toBe(2 ** 32 * 2 ** 16);
    expect(work.version(0)).toBe(job.version);
    const versions = new Set<number>();
    for (let index = 0; index < 2 ** 16; index++) {
      const version = work.version(index);
      expect(((version ^ job.version) & ~mask) >>> 0).toBe(0);
      versions.add(version);
      if (index % 4099 !== 0) continue;
      expect(hex(work.extranonce2(index))).toBe('00000000');
      const share = work.share(solve(work, index, 7));
      const bits = parseInt(share.versionBits!, 16);
      expect((bits & ~mask) >>> 0).toBe(0);
      // What the pool computes from the job's version and the submitted bits is the header's version.
      expect(((job.version & ~mask) | (bits & mask)) >>> 0).toBe(version);
    }
    expect(versions.size).toBe(2 ** 16);
    // Past every version choice, the next extranonce2.
    expect(hex(work.extranonce2(2 ** 16))).toBe('00000001');
    expect(work.version(2 ** 16)).toBe(job.version);
  });

  it('refuses a job whose coinbase is not a coinbase transaction', () => {
    // The published coinbase has room for exactly 8 extranonce bytes: 4 + 4 parses, 4 + 2 does not.
    expect(() => new ShareWork('t', slushJob, { ...slushTerms, extranonce2Size: 2 })).toThrow(/not a transaction/);
    expect(() => new ShareWork('t', { ...slushJob, coinbase2: slushJob.coinbase2.slice(0, 20) }, slushTerms)).toThrow(
      /not a transaction/,
    );
    const notNull = Uint8Array.from(slushJob.coinbase1);
    notNull[10] = 1; // inside the spent outpoint's txid
    expect(() => new ShareWork('t', { ...slushJob, coinbase1: notNull }, slushTerms)).toThrow(/null outpoint/);
    expect(() => new ShareWork('t', { ...slushJob, bits: 0x1d80ffff }, slushTerms)).toThrow(/negative/);
  });
});
