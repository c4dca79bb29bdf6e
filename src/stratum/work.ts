/**
 * A pool's job as the miner's Work. The coinbase is coinb1 + extranonce1 + extranonce2 + coinb2, its
 * txid climbs the merkle branch to the root, and the header is mined at the share target
 * (difficulty-1 target / pool difficulty). Each extranonce index names one extranonce2 value and,
 * when the pool allows version rolling (BIP 310), one choice of the version bits it allows.
 */
import { bytesToHex, concatBytes, readUint32LE } from '../core/bytes.js';
import { serializeHeader } from '../core/header.js';
import { merkleRootFromBranch } from '../core/merkle.js';
import { sha256d } from '../core/sha256.js';
import { bitsToTarget, difficultyToTarget } from '../core/target.js';
import { isCoinbase, parseTx } from '../core/tx.js';
import { Errors, errorMessage } from '../errors.js';
import type { Solution, Work } from '../miner/work.js';
import { wordToHex, type StratumJob } from './messages.js';

/** What the pool told this connection: it applies to every job the connection receives. */
export interface PoolTerms {
  extranonce1: Uint8Array;
  extranonce2Size: number;
  /** The share difficulty in force when the job arrived. */
  difficulty: number;
  /** Version bits the pool lets the miner change, or null when version rolling was not negotiated. */
  versionMask: number | null;
}

/** A `mining.submit` share, in the hex forms pools expect. */
export interface Share {
  jobId: string;
  /** The extranonce2 bytes in hex. */
  extranonce2: string;
  /** 8 hex digits, most significant first, as in the notify. */
  ntime: string;
  nonce: string;
  /** The header version's bits within the mask (BIP 310), when version rolling was negotiated. */
  versionBits?: string;
}

/** Rolling more version bits than this gives more headers than an index can name. */
const MAX_ROLLED_BITS = 16;
/**
 * The easiest share target powlab mines at: one share per 65,536 hashes. A pool asking for less
 * (by mistake, or to flood the miner with finds) gets shares at this difficulty, which still meet its own.
 */
export const MIN_MINING_DIFFICULTY = 2 ** -16;

export class ShareWork implements Work {
  readonly stopOnFind = false;
  /** Hashes at or below this are shares (at the pool's difficulty, or MIN_MINING_DIFFICULTY if that is harder). */
  readonly target: bigint;
  /** Hashes at or below this are blocks (the job's nbits). */
  readonly networkTarget: bigint;
  readonly extranonceCount: number;
  private readonly versionChoices: number;

  constructor(
    readonly id: string,
    readonly job: StratumJob,
    readonly terms: PoolTerms,
  ) {
    this.target = difficultyToTarget(Math.max(terms.difficulty, MIN_MINING_DIFFICULTY));
    this.networkTarget = bitsToTarget(job.bits);
    this.versionChoices = terms.versionMask === null ? 1 : 2 ** Math.min(MAX_ROLLED_BITS, popcount(terms.versionMask));
    const extranonce2Values = 2 ** (8 * terms.extranonce2Size);
    this.extranonceCount = Math.min(Number.MAX_SAFE_INTEGER, extranonce2Values * this.versionChoices);
    // A coinbase that does not parse would make every share worthless: refuse the job up front.
    const coinbase = this.coinbase(0);
    let parsed;
    try {
      parsed = parseTx(coinbase);
    } catch (error) {
      throw Errors.badData(
        `job ${job.jobId}`,
        `coinb1 + extranonces + coinb2 is not a transaction (${errorMessage(error)})`,
      );
    }
    if (!isCoinbase(parsed)) throw Errors.badData(`job ${job.jobId}`, 'the coinbase does not spend the null outpoint');
  }

  /** The extranonce2 for an index: a counter, most significant byte first, in the pool's size. */
  extranonce2(index: number): Uint8Array {
    this.checkIndex(index);
    let counter = BigInt(Math.floor(index / this.versionChoices));
    const bytes = new Uint8Array(this.terms.extranonce2Size);
    for (let i = bytes.length - 1; i >= 0 && counter > 0n; i--) {
      bytes[i] = Number(counter & 0xffn);
      counter >>= 8n;
    }
    return bytes;
  }

  /** The header version for an index: the job's, with the allowed bits flipped by the rolling counter. */
  version(index: number): number {
    this.checkIndex(index);
    if (this.terms.versionMask === null) return this.job.version;
    return (this.job.version ^ depositBits(index % this.versionChoices, this.terms.versionMask)) >>> 0;
  }

  coinbase(index: number): Uint8Array {
    return concatBytes(this.job.coinbase1, this.terms.extranonce1, this.extranonce2(index), this.job.coinbase2);
  }

  merkleRoot(index: number): Uint8Array {
    return merkleRootFromBranch(sha256d(this.coinbase(index)), this.job.merkleBranch);
  }

  header(index: number): Uint8Array {
    return serializeHeader({
      version: this.version(index),
      prevHash: this.job.prevHash,
      merkleRoot: this.merkleRoot(index),
      time: this.job.time,
      bits: this.job.bits,
      nonce: 0,
    });
  }

  /** The share a solution of this work makes. */
  share(solution: Solution): Share {
    const share: Share = {
      jobId: this.job.jobId,
      extranonce2: bytesToHex(this.extranonce2(solution.extranonceIndex)),
      ntime: wordToHex(readUint32LE(solution.header, 68)),
      nonce: wordToHex(solution.nonce),
    };
    if (this.terms.versionMask !== null)
      share.versionBits = wordToHex(readUint32LE(solution.header, 0) & this.terms.versionMask);
    return share;
  }

  private checkIndex(index: number): void {
    if (!Number.isSafeInteger(index) || index < 0 || index >= this.extranonceCount)
      throw new RangeError(`extranonce index ${index} outside 0..${this.extranonceCount - 1}`);
  }
}

function popcount(word: number): number {
  let count = 0;
  for (let w = word >>> 0; w !== 0; w &= w - 1) count++;
  return count;
}

/** Spread the low bits of `value` over the set bits of `mask`, lowest first. */
function depositBits(value: number, mask: number): number {
  let out = 0;
  let rest = value;
  for (let bit = 0; bit < 32 && rest !== 0; bit++) {
    if ((mask >>> bit) & 1) {
      if (rest & 1) out |= 1 << bit;
      rest >>>= 1;
    }
  }
  return out >>> 0;
}
