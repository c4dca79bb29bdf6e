/**
 * The 80-byte block header. Every field is stored little-endian; hashes are kept in internal byte
 * order (as hashed) and shown reversed, as Bitcoin Core shows them.
 */
import { bytesToHex, hexToFixedBytes, readUint32LE, reversed, writeUint32LE } from './bytes.js';
import { sha256d } from './sha256.js';

export const HEADER_BYTES = 80;
export const NONCE_OFFSET = 76;
/** The 32-bit nonce field's every value: what one header offers before the extranonce must roll. */
export const NONCE_SPACE = 2 ** 32;

export interface BlockHeader {
  version: number;
  /** Hash of the previous block, internal byte order. */
  prevHash: Uint8Array;
  /** Merkle root of the block's txids, internal byte order. */
  merkleRoot: Uint8Array;
  /** Seconds since 1970, as the miner claims. */
  time: number;
  /** The target in compact form. */
  bits: number;
  nonce: number;
}

export function parseHeader(bytes: Uint8Array): BlockHeader {
  if (bytes.length !== HEADER_BYTES) throw new RangeError(`a header is ${HEADER_BYTES} bytes, got ${bytes.length}`);
  return {
    version: readUint32LE(bytes, 0) | 0,
    prevHash: bytes.slice(4, 36),
    merkleRoot: bytes.slice(36, 68),
    time: readUint32LE(bytes, 68),
    bits: readUint32LE(bytes, 72),
    nonce: readUint32LE(bytes, 76),
  };
}

export function serializeHeader(header: BlockHeader): Uint8Array {
  const out = new Uint8Array(HEADER_BYTES);
  writeUint32LE(out, 0, header.version);
  out.set(header.prevHash, 4);
  out.set(header.merkleRoot, 36);
  writeUint32LE(out, 68, header.time);
  writeUint32LE(out, 72, header.bits);
  writeUint32LE(out, 76, header.nonce);
  return out;
}

/** Parse 160 hex digits into header bytes, naming the problem if they are not one. */
export function headerBytesFromHex(hex: string): Uint8Array {
  return hexToFixedBytes(hex.trim(), HEADER_BYTES, 'header');
}

/** The block hash in internal byte order. */
export function headerHash(headerBytes: Uint8Array): Uint8Array {
  return sha256d(headerBytes);
}

/** A hash in internal byte order, shown as Bitcoin shows it: reversed, in hex. */
export function hashToDisplayHex(hashInternal: Uint8Array): string {
  return bytesToHex(reversed(hashInternal));
}

/** A hash shown reversed in hex (as block explorers and RPC do), back to internal byte order. */
export function displayHexToHash(displayHex: string, what = 'hash'): Uint8Array {
  return reversed(hexToFixedBytes(displayHex, 32, what));
}

/** A copy of the header bytes with another nonce. */
export function withNonce(headerBytes: Uint8Array, nonce: number): Uint8Array {
  const out = Uint8Array.from(headerBytes);
  writeUint32LE(out, NONCE_OFFSET, nonce);
  return out;
}
