/** Payout addresses to output scripts: bech32/bech32m segwit (BIP 173/350) and base58check P2PKH/P2SH. */
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
  if (payload[0] === params.pubkeyHashPrefix) return concatBytes(Uint8Array.of(0x76, 0xa9, 0x14), hash, Uint8Array.of(0x88, 0xac));
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
  if (decoded.prefix !== params.bech32Prefix) throw Errors.badAddress(text, `prefix ${decoded.prefix} is not ${params.name}`);
  const [version, ...rest] = decoded.words;
  if (version === undefined || version > 16) throw Errors.badAddress(text, 'bad witness version');
  if ((version === 0) === isBech32m) throw Errors.badAddress(text, version === 0 ? 'version 0 must use bech32' : 'version 1+ must use bech32m');
  const program = Uint8Array.from(bech32.fromWords(rest));
  if (program.length < 2 || program.length > 40) throw Errors.badAddress(text, `witness program of ${program.length} bytes`);
  if (version === 0 && program.length !== 20 && program.length !== 32) throw Errors.badAddress(text, 'version 0 program must be 20 or 32 bytes');
  const versionOp = version === 0 ? 0x00 : 0x50 + version;
  return concatBytes(Uint8Array.of(versionOp, program.length), program);
}
