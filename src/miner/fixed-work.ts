/**
 * The fixed workload of `bench --fixed-work N` (after XMRig's `--bench`): the same N million nonces
 * over the same published headers on every machine, so two laptops' times compare directly, and a
 * checksum of what was found that every backend, machine and run must agree on. docs/fixed-work.md
 * publishes the recipe, so anyone can recompute the checksum with any SHA-256.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, writeUint32LE } from '../core/bytes.js';
import { hashToDisplayHex } from '../core/header.js';
import { hashToBigInt, targetFromZeroBits } from '../core/target.js';
import type { Miner } from './miner.js';
import type { Solution, Work } from './work.js';

/** Nonces hashed in each header: a million, so N million nonces are N headers. */
export const FIXED_NONCES_PER_HEADER = 1_000_000;
/** Hashes counted are those with 16 leading zero bits: about 15 per million, each re-checked by the reference. */
export const FIXED_TARGET_ZERO_BITS = 16;
/** The most headers a run may ask for: a thousand million nonces, hours on a laptop. */
export const MAX_FIXED_MILLIONS = 1000;

const FIXED_VERSION = 0x20000000;
/** 2023-11-14 22:13:20 UTC: any fixed time will do; this one is a round number. */
const FIXED_TIME = 1_700_000_000;
const FIXED_BITS = 0x1d00ffff;

const text = new TextEncoder();

/**
 * Header `index` of the workload: version 0x20000000, a zero previous hash, the merkle root the
 * SHA-256 of the ASCII text "powlab fixed work <index>", time 1700000000, bits 0x1d00ffff, nonce 0.
 */
export function fixedWorkHeader(index: number): Uint8Array {
  const header = new Uint8Array(80);
  writeUint32LE(header, 0, FIXED_VERSION);
  header.set(sha256(text.encode(`powlab fixed work ${index}`)), 36);
  writeUint32LE(header, 68, FIXED_TIME);
  writeUint32LE(header, 72, FIXED_BITS);
  return header;
}

/** The workload as the Miner mines it: `millions` headers, a million nonces each, every find kept. */
export function fixedWork(millions: number): Work {
  return {
    id: `fixed-work-${millions}`,
    target: targetFromZeroBits(FIXED_TARGET_ZERO_BITS),
    stopOnFind: false,
    extranonceCount: millions,
    nonceStart: 0,
    nonceCount: FIXED_NONCES_PER_HEADER,
    header: fixedWorkHeader,
  };
}

export interface FixedWorkChecksum {
  /** Hashes of the workload at or below the fixed target. */
  found: number;
  /** The lowest of them, as block explorers show a hash; null when none was found. */
  lowest: string | null;
  /** The first 16 hex digits of the SHA-256 of the finds as "header:nonce" lines, sorted: one nonce missed or extra changes it. */
  digest: string;
}

/** A find of the workload: which header, which nonce, its hash in internal byte order. */
export type FixedWorkFind = Pick<Solution, 'extranonceIndex' | 'nonce' | 'hash'>;

export function fixedWorkChecksum(finds: readonly FixedWorkFind[]): FixedWorkChecksum {
  const sorted = [...finds].sort((a, b) => a.extranonceIndex - b.extranonceIndex || a.nonce - b.nonce);
  const lowest = sorted.reduce<FixedWorkFind | null>(
    (best, find) => (best && hashToBigInt(best.hash) <= hashToBigInt(find.hash) ? best : find),
    null,
  );
  const lines = sorted.map((find) => `${find.extranonceIndex}:${find.nonce}\n`).join('');
  return {
    found: sorted.length,
    lowest: lowest && hashToDisplayHex(lowest.hash),
    digest: bytesToHex(sha256(text.encode(lines))).slice(0, 16),
  };
}

export function sameChecksum(a: FixedWorkChecksum, b: FixedWorkChecksum): boolean {
  return a.found === b.found && a.lowest === b.lowest && a.digest === b.digest;
}

export interface FixedWorkRound {
  seconds: number;
  hashrate: number;
  checksum: FixedWorkChecksum;
}

/**
 * Hash the whole workload once on a started, paused miner: from the work set to its last nonce. Null
 * when `signal` stops it first (the miner is paused again).
 */
export async function hashFixedWork(
  miner: Miner,
  millions: number,
  signal?: AbortSignal,
): Promise<FixedWorkRound | null> {
  const work = fixedWork(millions);
  const finds: FixedWorkFind[] = [];
  let began = 0;
  const ended = await new Promise<number | Error | null>((resolve) => {
    const onFound = (solution: Solution) => {
      if (solution.work === work) finds.push(solution);
    };
    const onExhausted = (exhausted: Work) => {
      if (exhausted === work) finish(performance.now());
    };
    const onFailed = (error: Error) => finish(error);
    const onAbort = () => finish(null);
    const finish = (outcome: number | Error | null) => {
      miner.off('found', onFound);
      miner.off('exhausted', onExhausted);
      miner.off('failed', onFailed);
      signal?.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    miner.on('found', onFound);
    miner.on('exhausted', onExhausted);
    miner.on('failed', onFailed);
    signal?.addEventListener('abort', onAbort);
    began = performance.now();
    miner.setWork(work);
  });
  if (ended instanceof Error) throw ended;
  if (ended === null) {
    await miner.pause();
    return null;
  }
  const seconds = (ended - began) / 1000;
  return { seconds, hashrate: (millions * FIXED_NONCES_PER_HEADER) / seconds, checksum: fixedWorkChecksum(finds) };
}
