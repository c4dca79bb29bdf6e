import { bytesToHex as nobleBytesToHex, concatBytes } from '@noble/hashes/utils.js';
import { Errors } from '../errors.js';

export { concatBytes };

const HEX_DIGITS = /^[0-9a-fA-F]*$/;

/** Hex text to bytes, with a message naming `what` when the text is not whole bytes of hex. */
export function hexToBytes(hex: string, what = 'hex'): Uint8Array {
  const text = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (!HEX_DIGITS.test(text)) {
    const bad = [...text].find((c) => !/[0-9a-fA-F]/.test(c));
    throw Errors.badHex(what, `not hexadecimal (found ${JSON.stringify(bad)})`);
  }
  if (text.length % 2 !== 0) throw Errors.badHex(what, `odd number of hex digits (${text.length})`);
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

/** Hex text that must decode to exactly `length` bytes. */
export function hexToFixedBytes(hex: string, length: number, what: string): Uint8Array {
  const bytes = hexToBytes(hex, what);
  if (bytes.length !== length) throw Errors.badLength(what, length, bytes.length);
  return bytes;
}

export function bytesToHex(bytes: Uint8Array): string {
  return nobleBytesToHex(bytes);
}

/** A reversed copy: Bitcoin shows hashes as the reverse of the bytes it hashes and stores. */
export function reversed(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes).reverse();
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Swap the byte order of a 32-bit word (little-endian <-> big-endian). */
export function byteSwap32(word: number): number {
  return ((word & 0xff) << 24) | ((word & 0xff00) << 8) | ((word >>> 8) & 0xff00) | (word >>> 24);
}

export function readUint32LE(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

export function readUint32BE(bytes: Uint8Array, offset: number): number {
  return ((bytes[offset] << 24) | (bytes[offset + 1] << 16) | (bytes[offset + 2] << 8) | bytes[offset + 3]) >>> 0;
}

export function writeUint32LE(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value & 0xff;
  bytes[offset + 1] = (value >>> 8) & 0xff;
  bytes[offset + 2] = (value >>> 16) & 0xff;
  bytes[offset + 3] = (value >>> 24) & 0xff;
}

export function uint32LE(value: number): Uint8Array {
  const out = new Uint8Array(4);
  writeUint32LE(out, 0, value);
  return out;
}
