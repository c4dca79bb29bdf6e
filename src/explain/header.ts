/**
 * One header taken apart step by step, as facts a learner can check: its fields and their bytes, the
 * two SHA-256 passes with the midstate between them, the target its bits encode, and the odds.
 * Pure: the CLI renders these facts as text or JSON.
 */
import { bytesToHex, readUint32BE } from '../core/bytes.js';
import { describeHeader } from '../core/describe.js';
import { hashToDisplayHex, NONCE_SPACE, parseHeader } from '../core/header.js';
import { oddsAt } from '../core/odds.js';
import { digestWordsToBytes, headerMidstate, SHA256_IV, sha256Compress, sha256Padded } from '../core/sha256.js';
import { bitsToTarget, expectedHashes, probabilityPerHash } from '../core/target.js';

export type FieldName = 'version' | 'prevHash' | 'merkleRoot' | 'time' | 'bits' | 'nonce';

export interface HeaderField {
  name: FieldName;
  offset: number;
  length: number;
  /** The bytes as stored in the header (little-endian numbers, hashes in internal order). */
  hex: string;
  /** Numbers decoded; hashes shown reversed, as explorers show them; bits as 8 hex digits. */
  value: number | string;
}

export interface HeaderExplanation {
  header: string;
  fields: HeaderField[];
  /** The header padded to SHA-256's two 64-byte chunks (its message blocks); only the second holds the nonce. */
  chunks: [string, string];
  /** SHA-256's state after the first block, as 32 bytes (8 big-endian words). */
  midstate: string;
  /** SHA-256 of the header: the midstate compressed with the second block. */
  firstHash: string;
  /** The first hash padded to one chunk, for the second SHA-256. */
  secondChunk: string;
  /** SHA-256 of the first hash, as it comes out (internal byte order). */
  hashInternal: string;
  /** The block hash: hashInternal reversed, so the 256-bit little-endian number reads most significant first. */
  hash: string;
  bits: { hex: string; exponent: number; mantissa: number };
  target: string;
  meetsTarget: boolean;
  leadingZeroBits: number;
  /** The leading zero bits every hash under the target has. */
  targetLeadingZeroBits: number;
  difficulty: number;
  probabilityPerHash: number;
  expectedHashes: number;
  nonceSpace: number;
  /** Headers (extranonce values, or seconds of time rolling) expected per block: expectedHashes / 2^32. */
  expectedHeaders: number;
  /** The chance that none of one header's 2^32 nonces wins: (1 - p)^(2^32). */
  probabilityNoncesRunOut: number;
  /** Its base-10 logarithm, which stays a number where the chance itself is too small for one (an easy target). */
  log10NoncesRunOut: number;
  /** The chance that one of them does: 1 - probabilityNoncesRunOut, with every digit kept when it is tiny. */
  probabilityHeaderWins: number;
}

const FIELDS: { name: FieldName; offset: number; length: number }[] = [
  { name: 'version', offset: 0, length: 4 },
  { name: 'prevHash', offset: 4, length: 32 },
  { name: 'merkleRoot', offset: 36, length: 32 },
  { name: 'time', offset: 68, length: 4 },
  { name: 'bits', offset: 72, length: 4 },
  { name: 'nonce', offset: 76, length: 4 },
];

function bigEndianWords(block: Uint8Array): Uint32Array {
  return Uint32Array.from({ length: block.length / 4 }, (_, t) => readUint32BE(block, 4 * t));
}

export function explainHeader(headerBytes: Uint8Array): HeaderExplanation {
  const header = parseHeader(headerBytes);
  const target = bitsToTarget(header.bits);
  // The fields as `powlab hash --json` shows them; here each sits beside its bytes.
  const values = describeHeader(headerBytes);
  const fields = FIELDS.map((field) => ({
    ...field,
    hex: bytesToHex(headerBytes.subarray(field.offset, field.offset + field.length)),
    value: values[field.name],
  }));

  // The same path a worker takes: the midstate once, then per nonce the second block and a second hash.
  const padded = sha256Padded(headerBytes);
  const midstate = headerMidstate(headerBytes);
  const first = Uint32Array.from(midstate);
  sha256Compress(first, bigEndianWords(padded.subarray(64, 128)));
  const firstHash = digestWordsToBytes(first);
  const secondBlock = sha256Padded(firstHash);
  const second = Uint32Array.from(SHA256_IV);
  sha256Compress(second, bigEndianWords(secondBlock));
  const hash = digestWordsToBytes(second);

  const p = probabilityPerHash(target);
  return {
    header: bytesToHex(headerBytes),
    fields,
    chunks: [bytesToHex(padded.subarray(0, 64)), bytesToHex(padded.subarray(64, 128))],
    midstate: bytesToHex(digestWordsToBytes(midstate)),
    firstHash: bytesToHex(firstHash),
    secondChunk: bytesToHex(secondBlock),
    hashInternal: bytesToHex(hash),
    hash: hashToDisplayHex(hash),
    bits: { hex: values.bits, exponent: header.bits >>> 24, mantissa: header.bits & 0xffffff },
    target: values.target,
    meetsTarget: values.meetsTarget,
    leadingZeroBits: values.leadingZeroBits,
    targetLeadingZeroBits: 256 - target.toString(2).length,
    difficulty: values.difficulty,
    probabilityPerHash: p,
    expectedHashes: expectedHashes(target),
    nonceSpace: NONCE_SPACE,
    expectedHeaders: expectedHashes(target) / NONCE_SPACE,
    // (1 - p)^n loses p below 2^-53 in floating point; exp(n * log1p(-p)) keeps it, and expm1 keeps
    // the digits of a tiny complement.
    probabilityNoncesRunOut: Math.exp(NONCE_SPACE * Math.log1p(-p)),
    log10NoncesRunOut: (NONCE_SPACE * Math.log1p(-p)) / Math.LN10,
    probabilityHeaderWins: -Math.expm1(NONCE_SPACE * Math.log1p(-p)),
  };
}

export interface TimeAtHashrate {
  hashrate: number;
  /** Mean time to a block: expectedHashes / hashrate. */
  expectedSeconds: number;
  /** Block times are exponentially distributed: half come sooner than ln 2 x the mean. */
  medianSeconds: number;
  chanceWithinHour: number;
  /** How long one header's 2^32 nonces last. */
  nonceSpaceSeconds: number;
}

export function timeAtHashrate(
  explanation: Pick<HeaderExplanation, 'expectedHashes'>,
  hashrate: number,
): TimeAtHashrate {
  return { hashrate, ...oddsAt(explanation.expectedHashes, hashrate), nonceSpaceSeconds: NONCE_SPACE / hashrate };
}
