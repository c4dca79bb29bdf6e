/**
 * SHA-256 over 32-bit words (FIPS 180-4, section 6.2), written to be read: one compression function,
 * the midstate of a block header's first 64 bytes, and the double hash of a header from that midstate.
 * The fast backends in src/hash/ are checked against this and against @noble/hashes.
 */
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { readUint32BE } from './bytes.js';

/** Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
export const SHA256_K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** Initial hash value: the first 32 bits of the fractional parts of the square roots of the first 8 primes. */
export const SHA256_IV = Uint32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

const schedule = new Uint32Array(64);

/** One SHA-256 compression: `state` (8 words) absorbs one 64-byte block given as 16 big-endian words. */
export function sha256Compress(state: Uint32Array, block: ArrayLike<number>): void {
  const w = schedule;
  for (let t = 0; t < 16; t++) w[t] = block[t];
  for (let t = 16; t < 64; t++) {
    const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
    const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  let a = state[0],
    b = state[1],
    c = state[2],
    d = state[3];
  let e = state[4],
    f = state[5],
    g = state[6],
    h = state[7];
  for (let t = 0; t < 64; t++) {
    const sigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
    const choose = (e & f) ^ (~e & g);
    const t1 = (h + sigma1 + choose + SHA256_K[t] + w[t]) | 0;
    const sigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
    const majority = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (sigma0 + majority) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0;
  state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0;
  state[7] = (state[7] + h) | 0;
}

/**
 * A message as SHA-256 sees it (FIPS 180-4, 5.1.1): the bytes, 0x80, zeros, and the length in bits as
 * 8 big-endian bytes, to a whole number of 64-byte blocks. An 80-byte header becomes two blocks.
 */
export function sha256Padded(message: Uint8Array): Uint8Array {
  const length = Math.ceil((message.length + 9) / 64) * 64;
  const out = new Uint8Array(length);
  out.set(message);
  out[message.length] = 0x80;
  new DataView(out.buffer).setBigUint64(length - 8, BigInt(message.length) * 8n);
  return out;
}

/** Bitcoin's double SHA-256: txids, merkle nodes and block hashes, in internal byte order. */
export function sha256d(data: Uint8Array): Uint8Array {
  return nobleSha256(nobleSha256(data));
}

/** The state after the header's first 64 bytes: it does not change while only the nonce does. */
export function headerMidstate(header: Uint8Array): Uint32Array {
  const state = Uint32Array.from(SHA256_IV);
  const block = new Uint32Array(16);
  for (let t = 0; t < 16; t++) block[t] = readUint32BE(header, 4 * t);
  sha256Compress(state, block);
  return state;
}

/**
 * The header's bytes 64..75 (end of the merkle root, time, bits) as three big-endian words:
 * with the midstate, all a worker needs to hash any nonce of this header.
 */
export function headerTailWords(header: Uint8Array): Uint32Array {
  return Uint32Array.of(readUint32BE(header, 64), readUint32BE(header, 68), readUint32BE(header, 72));
}

/**
 * Double SHA-256 of a header from its midstate, in two compressions: the header's second block
 * (tail, nonce, padding for 80 bytes) and then the 32-byte first digest with its padding.
 * `nonce` is the header's nonce as a number; the header stores it little-endian, SHA-256 reads
 * big-endian words, so the word hashed is its byte swap. `digest` receives 8 big-endian words.
 */
export function sha256dFromMidstate(
  midstate: Uint32Array,
  tail: Uint32Array,
  nonce: number,
  digest: Uint32Array,
): void {
  const block = secondBlock;
  block[0] = tail[0];
  block[1] = tail[1];
  block[2] = tail[2];
  block[3] = ((nonce & 0xff) << 24) | ((nonce & 0xff00) << 8) | ((nonce >>> 8) & 0xff00) | (nonce >>> 24);
  const first = firstDigest;
  first.set(midstate);
  sha256Compress(first, block);
  for (let t = 0; t < 8; t++) digestBlock[t] = first[t];
  digest.set(SHA256_IV);
  sha256Compress(digest, digestBlock);
}

// Padding for an 80-byte message: 0x80 after the data, then the length in bits (640).
const secondBlock = Uint32Array.of(0, 0, 0, 0, 0x80000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 640);
// Padding for a 32-byte message: 0x80 after the digest, then 256 bits.
const digestBlock = Uint32Array.of(0, 0, 0, 0, 0, 0, 0, 0, 0x80000000, 0, 0, 0, 0, 0, 0, 256);
const firstDigest = new Uint32Array(8);

/** A digest given as 8 big-endian words, as the 32 bytes SHA-256 outputs (internal byte order). */
export function digestWordsToBytes(digest: Uint32Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let t = 0; t < 8; t++) {
    out[4 * t] = digest[t] >>> 24;
    out[4 * t + 1] = (digest[t] >>> 16) & 0xff;
    out[4 * t + 2] = (digest[t] >>> 8) & 0xff;
    out[4 * t + 3] = digest[t] & 0xff;
  }
  return out;
}
