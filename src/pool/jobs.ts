/**
 * The pool's side of a Stratum job: a block template (from the built-in chain or a node) cut into
 * what `mining.notify` sends, coinb1 | extranonce1 | extranonce2 | coinb2 and the merkle branch,
 * and the way back from a share to a whole block. Pure: no I/O.
 */
import { bytesToHex, bytesEqual } from '../core/bytes.js';
import { serializeHeader } from '../core/header.js';
import { merkleRootFromBranch } from '../core/merkle.js';
import { sha256d } from '../core/sha256.js';
import { targetToDifficulty } from '../core/target.js';
import { parseTx, serializeTx } from '../core/tx.js';
import { TemplateCoinbase, templateBlock } from '../sources/template-coinbase.js';
import { prevHashFromStratum, wordToHex, type Submission } from '../stratum/messages.js';

/** Bytes the pool gives each connection, and bytes each miner rolls: 8 in all, inside the coinbase's extranonce push. */
export const EXTRANONCE1_BYTES = 4;
export const EXTRANONCE2_BYTES = 4;

export interface PoolTemplate {
  height: number;
  /** Internal byte order. */
  prevHash: Uint8Array;
  version: number;
  bits: number;
  target: bigint;
  /** The header time to start from (never below the chain's median time past + 1). */
  time: number;
  /** Satoshis: subsidy plus fees. */
  reward: bigint;
  /** The node's transactions after the coinbase, in its order. */
  transactions: { data: Uint8Array; txid: Uint8Array; wtxid: Uint8Array }[];
  /** The block must commit to its witnesses (BIP 141). */
  segwit: boolean;
}

export interface PoolJob {
  /** The job id on the wire: printable, short, unique within a run. */
  id: string;
  template: PoolTemplate;
  coinbase1: Uint8Array;
  coinbase2: Uint8Array;
  /** Internal byte order, from the coinbase's sibling up. */
  merkleBranch: Uint8Array[];
  /** Block difficulty: no share difficulty may be above it, or blocks would go unsubmitted. */
  networkDifficulty: number;
  /** Miners start afresh on this job: every earlier one is stale. */
  cleanJobs: boolean;
}

/** Cut a template into a job whose coinbase pays `payoutScript`. */
export function jobFromTemplate(
  id: string,
  template: PoolTemplate,
  payoutScript: Uint8Array,
  cleanJobs: boolean,
): PoolJob {
  const coinbases = new TemplateCoinbase(template, payoutScript);
  // Miners hash the txid form; the witness goes back in when the block is assembled.
  const coinbaseWith = (fill: number) =>
    serializeTx(coinbases.coinbase(new Uint8Array(EXTRANONCE1_BYTES + EXTRANONCE2_BYTES).fill(fill)), {
      witness: false,
    });
  // The extranonce is where two coinbases differing only in it differ.
  const zeros = coinbaseWith(0x00);
  const ones = coinbaseWith(0xff);
  let start = 0;
  while (zeros[start] === ones[start]) start++;
  const end = start + EXTRANONCE1_BYTES + EXTRANONCE2_BYTES;
  return {
    id,
    template,
    coinbase1: zeros.slice(0, start),
    coinbase2: zeros.slice(end),
    merkleBranch: coinbases.merkleBranch,
    networkDifficulty: targetToDifficulty(template.target),
    cleanJobs,
  };
}

/** The `mining.notify` params for a job; `cleanJobs` may differ from the job's (a miner's first job is always clean). */
export function notifyParams(job: PoolJob, cleanJobs: boolean): unknown[] {
  return [
    job.id,
    // Stratum's word-swapped prevhash: the swap is its own inverse.
    bytesToHex(prevHashFromStratum(job.template.prevHash)),
    bytesToHex(job.coinbase1),
    bytesToHex(job.coinbase2),
    job.merkleBranch.map(bytesToHex),
    wordToHex(job.template.version),
    wordToHex(job.template.bits),
    wordToHex(job.template.time),
    cleanJobs,
  ];
}

/** The coinbase (txid form) a share's extranonces make. */
export function shareCoinbase(job: PoolJob, extranonce1: Uint8Array, extranonce2: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(job.coinbase1.length + extranonce1.length + extranonce2.length + job.coinbase2.length);
  bytes.set(job.coinbase1, 0);
  bytes.set(extranonce1, job.coinbase1.length);
  bytes.set(extranonce2, job.coinbase1.length + extranonce1.length);
  bytes.set(job.coinbase2, job.coinbase1.length + extranonce1.length + extranonce2.length);
  return bytes;
}

/** The header a share's coinbase, time, nonce and version bits (within `versionMask`) make on its job. */
export function shareHeader(
  job: PoolJob,
  coinbase: Uint8Array,
  share: Pick<Submission, 'ntime' | 'nonce' | 'versionBits'>,
  versionMask: number,
): Uint8Array {
  const { template } = job;
  return serializeHeader({
    version: ((template.version & ~versionMask) | (share.versionBits & versionMask)) >>> 0,
    prevHash: template.prevHash,
    merkleRoot: merkleRootFromBranch(sha256d(coinbase), job.merkleBranch, 0),
    time: share.ntime,
    bits: template.bits,
    nonce: share.nonce,
  });
}

/** The whole block for a share that met the block target: its header, the coinbase (with its witness when segwit), the template's transactions. */
export function blockFromShare(job: PoolJob, header: Uint8Array, coinbase: Uint8Array): Uint8Array {
  const tx = parseTx(coinbase);
  if (!job.template.segwit && !bytesEqual(serializeTx(tx), coinbase))
    throw new Error('the coinbase does not serialise back to itself');
  return templateBlock(job.template, header, tx);
}
