/** Payout addresses to output scripts and back: bech32/bech32m segwit (BIP 173/350) and base58check P2PKH/P2SH. */
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bech32, bech32m } from 'bech32';
import bs58check from 'bs58check';
import { Errors } from '../errors.js';
import { concatBytes } from './bytes.js';
import type { ChainParams } from './params.js';

export function addressToScript(address: string, params: ChainParams): Uint8Array {
  const text = address.trim();
  if (text.toLowerCase().startsWith(`${params.bech32Prefix}1`)) return segwitScript(text, params);
  let payload: Uint8Array;
  try {
    payload = bs58check.decode(text);
  } catch {
    throw Errors.badAddress(text, `not a ${params.name} bech32 or base58check address`);
  }
  if (payload.length !== 21) throw Errors.badAddress(text, `base58 payload is ${payload.length} bytes, expected 21`);
  const hash = payload.subarray(1);
  if (payload[0] === params.pubkeyHashPrefix)
    return concatBytes(Uint8Array.of(0x76, 0xa9, 0x14), hash, Uint8Array.of(0x88, 0xac));
  if (payload[0] === params.scriptHashPrefix) return concatBytes(Uint8Array.of(0xa9, 0x14), hash, Uint8Array.of(0x87));
  throw Errors.badAddress(text, `version byte ${payload[0]} is not a ${params.name} address`);
}

function segwitScript(text: string, params: ChainParams): Uint8Array {
  let decoded: { prefix: string; words: number[] } | undefined;
  let isBech32m = false;
  try {
    decoded = bech32.decode(text);
  } catch {
    try {
      decoded = bech32m.decode(text);
      isBech32m = true;
    } catch {
      throw Errors.badAddress(text, 'bad bech32 checksum or characters');
    }
  }
  if (decoded.prefix !== params.bech32Prefix)
    throw Errors.badAddress(text, `prefix ${decoded.prefix} is not ${params.name}`);
  const [version, ...rest] = decoded.words;
  if (version === undefined || version > 16) throw Errors.badAddress(text, 'bad witness version');
  if ((version === 0) === isBech32m)
    throw Errors.badAddress(text, version === 0 ? 'version 0 must use bech32' : 'version 1+ must use bech32m');
  const program = Uint8Array.from(bech32.fromWords(rest));
  if (program.length < 2 || program.length > 40)
    throw Errors.badAddress(text, `witness program of ${program.length} bytes`);
  if (version === 0 && program.length !== 20 && program.length !== 32)
    throw Errors.badAddress(text, 'version 0 program must be 20 or 32 bytes');
  const versionOp = version === 0 ? 0x00 : 0x50 + version;
  return concatBytes(Uint8Array.of(versionOp, program.length), program);
}

export type OutputType =
  'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness' | 'p2pk' | 'nulldata' | 'anyone' | 'nonstandard';

export interface OutputPayee {
  type: OutputType;
  /** The address a wallet shows; for a bare public key (P2PK), the P2PKH address of that key, as explorers show it. */
  address: string | null;
}

/** Who an output script pays, the inverse of addressToScript for the standard forms. */
export function describeOutputScript(script: Uint8Array, params: ChainParams): OutputPayee {
  const base58 = (prefix: number, hash: Uint8Array) => bs58check.encode(concatBytes(Uint8Array.of(prefix), hash));
  const n = script.length;
  if (
    n === 25 &&
    script[0] === 0x76 &&
    script[1] === 0xa9 &&
    script[2] === 0x14 &&
    script[23] === 0x88 &&
    script[24] === 0xac
  ) {
    return { type: 'p2pkh', address: base58(params.pubkeyHashPrefix, script.subarray(3, 23)) };
  }
  if (n === 23 && script[0] === 0xa9 && script[1] === 0x14 && script[22] === 0x87) {
    return { type: 'p2sh', address: base58(params.scriptHashPrefix, script.subarray(2, 22)) };
  }
  const version = script[0] === 0x00 ? 0 : script[0] >= 0x51 && script[0] <= 0x60 ? script[0] - 0x50 : -1;
  if (version >= 0 && n >= 4 && n <= 42 && script[1] === n - 2) {
    const program = script.subarray(2);
    const words = [version, ...bech32.toWords(program)];
    const address =
      version === 0 ? bech32.encode(params.bech32Prefix, words) : bech32m.encode(params.bech32Prefix, words);
    if (version === 0 && program.length === 20) return { type: 'p2wpkh', address };
    if (version === 0 && program.length === 32) return { type: 'p2wsh', address };
    if (version === 1 && program.length === 32) return { type: 'p2tr', address };
    if (version !== 0) return { type: 'witness', address };
  }
  const isKey = (length: number) => n === length + 2 && script[0] === length && script[n - 1] === 0xac;
  if ((isKey(33) && (script[1] === 0x02 || script[1] === 0x03)) || (isKey(65) && script[1] === 0x04)) {
    return { type: 'p2pk', address: base58(params.pubkeyHashPrefix, ripemd160(sha256(script.subarray(1, n - 1)))) };
  }
  if (n > 0 && script[0] === 0x6a) return { type: 'nulldata', address: null };
  if (n === 1 && script[0] === 0x51) return { type: 'anyone', address: null };
  return { type: 'nonstandard', address: null };
}
