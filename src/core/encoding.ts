/** Bitcoin's serialisation primitives: CompactSize integers, script pushes and script numbers. */
import { Errors } from '../errors.js';
import { concatBytes, readUint32LE } from './bytes.js';

export function compactSize(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`compact size must be a non-negative integer, got ${n}`);
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  if (n <= 0xffffffff) return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
  const out = new Uint8Array(9);
  out[0] = 0xff;
  new DataView(out.buffer).setBigUint64(1, BigInt(n), true);
  return out;
}

/** Bitcoin's CScriptNum serialisation: little-endian magnitude, sign in the top bit of the last byte. */
export function scriptNumBytes(value: number): Uint8Array {
  if (value === 0) return new Uint8Array(0);
  const negative = value < 0;
  let magnitude = Math.abs(value);
  const bytes: number[] = [];
  while (magnitude > 0) {
    bytes.push(magnitude & 0xff);
    magnitude = Math.floor(magnitude / 256);
  }
  if (bytes[bytes.length - 1] & 0x80) bytes.push(negative ? 0x80 : 0);
  else if (negative) bytes[bytes.length - 1] |= 0x80;
  return Uint8Array.from(bytes);
}

/** A push of `data` with the smallest push opcode (direct length, OP_PUSHDATA1/2/4). */
export function pushData(data: Uint8Array): Uint8Array {
  const n = data.length;
  if (n < 0x4c) return concatBytes(Uint8Array.of(n), data);
  if (n <= 0xff) return concatBytes(Uint8Array.of(0x4c, n), data);
  if (n <= 0xffff) return concatBytes(Uint8Array.of(0x4d, n & 0xff, n >>> 8), data);
  return concatBytes(Uint8Array.of(0x4e, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24), data);
}

/** Push an integer as Bitcoin Core's `CScript() << n` does: OP_0, OP_1..OP_16, OP_1NEGATE, else a minimal number. */
export function pushInt(n: number): Uint8Array {
  if (n === 0) return Uint8Array.of(0x00);
  if (n === -1) return Uint8Array.of(0x4f);
  if (n >= 1 && n <= 16) return Uint8Array.of(0x50 + n);
  return pushData(scriptNumBytes(n));
}

/** One push of a push-only script: its opcode, and the bytes it pushes (none for OP_1NEGATE, OP_1..OP_16). */
export interface ScriptPush {
  opcode: number;
  data: Uint8Array;
}

/** Split a push-only script, such as a coinbase scriptSig, into its pushes. */
export function readScriptPushes(script: Uint8Array, what = 'script'): ScriptPush[] {
  const reader = new ByteReader(script, what);
  const pushes: ScriptPush[] = [];
  while (reader.remaining > 0) {
    const at = reader.offset;
    const opcode = reader.uint8();
    let length: number;
    if (opcode < 0x4c) length = opcode;
    else if (opcode === 0x4c) length = reader.uint8();
    else if (opcode === 0x4d) length = reader.uint8() | (reader.uint8() << 8);
    else if (opcode === 0x4e) length = reader.uint32();
    else if (opcode === 0x4f || (opcode >= 0x51 && opcode <= 0x60)) length = 0;
    else throw Errors.badData(what, `opcode 0x${opcode.toString(16).padStart(2, '0')} at byte ${at} is not a push`);
    pushes.push({ opcode, data: Uint8Array.from(reader.take(length)) });
  }
  return pushes;
}

/** The number a push stands for, as CScriptNum reads it: OP_1NEGATE, OP_1..OP_16, or the pushed bytes. */
export function pushedNumber(push: ScriptPush): number {
  if (push.opcode === 0x4f) return -1;
  if (push.opcode >= 0x51 && push.opcode <= 0x60) return push.opcode - 0x50;
  const bytes = push.data;
  if (bytes.length === 0) return 0;
  if (bytes.length > 6) throw Errors.badData('script number', `${bytes.length} bytes is too long to be a number here`);
  let magnitude = 0;
  for (let i = bytes.length - 1; i >= 0; i--)
    magnitude = magnitude * 256 + (i === bytes.length - 1 ? bytes[i] & 0x7f : bytes[i]);
  return bytes[bytes.length - 1] & 0x80 ? -magnitude : magnitude;
}

/** A cursor over bytes for parsing, with errors naming what was being read. */
export class ByteReader {
  offset = 0;
  constructor(
    readonly bytes: Uint8Array,
    readonly what: string,
  ) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  take(n: number): Uint8Array {
    if (n > this.remaining)
      throw Errors.badData(this.what, `truncated at byte ${this.offset} (wanted ${n} more, ${this.remaining} left)`);
    const out = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }

  uint8(): number {
    return this.take(1)[0];
  }

  uint32(): number {
    return readUint32LE(this.take(4), 0);
  }

  uint64(): bigint {
    const b = this.take(8);
    return new DataView(b.buffer, b.byteOffset, 8).getBigUint64(0, true);
  }

  compactSize(): number {
    const first = this.uint8();
    if (first < 0xfd) return first;
    if (first === 0xfd) {
      const b = this.take(2);
      return b[0] | (b[1] << 8);
    }
    if (first === 0xfe) return this.uint32();
    const big = this.uint64();
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw Errors.badData(this.what, `size ${big} is too large`);
    return Number(big);
  }

  varBytes(): Uint8Array {
    return this.take(this.compactSize());
  }
}
