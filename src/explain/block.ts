/**
 * Where a header's merkle root comes from: the block's coinbase (BIP 34 height, extranonce, tag),
 * its txids, the tree above them, and the root the next extranonce would give. Pure.
 */
import { parseBlock } from '../core/block.js';
import { bytesEqual, bytesToHex, concatBytes } from '../core/bytes.js';
import { pushData, pushedNumber, readScriptPushes, type ScriptPush } from '../core/encoding.js';
import { hashToDisplayHex, serializeHeader, type BlockHeader } from '../core/header.js';
import { merkleTree } from '../core/merkle.js';
import { digestWordsToBytes, headerMidstate } from '../core/sha256.js';
import { txid, type Transaction } from '../core/tx.js';

export type PushRole = 'bip34Height' | 'extranonce' | 'tag' | 'data';

export interface CoinbasePush {
  role: PushRole;
  opcode: number;
  /** The pushed bytes (empty for OP_1..OP_16, which carry their number in the opcode). */
  hex: string;
  /** The height, the extranonce as a little-endian number, the tag; other pushes as text or a number. */
  value?: number | string;
}

export interface BlockExplanation {
  height: number;
  transactions: number;
  coinbase: {
    txid: string;
    scriptSig: string;
    pushes: CoinbasePush[];
    /** Null before BIP 34 (the genesis block). */
    bip34Height: number | null;
    extranonce: string | null;
    extranonceIndex: number | null;
    tag: string | null;
  };
  /** Display order, coinbase first. */
  txids: string[];
  /** The tree level by level in display order: the txids first, the root alone last. */
  merkleLevels: string[][];
  merkleRoot: string;
  merkleRootMatchesHeader: boolean;
  /** What the miner hashes after this header's nonces: the extranonce plus one, so a new root and midstate. */
  nextExtranonce: { index: number; extranonce: string; coinbaseTxid: string; merkleRoot: string; midstate: string } | null;
}

/**
 * `height` says how to read the coinbase: from height 1 a powlab coinbase pushes its BIP 34 height,
 * then its extranonce (a little-endian counter), then a tag, each with the shortest push (as
 * src/core/tx.ts writes them); the genesis coinbase predates all that.
 */
export function explainBlock(blockBytes: Uint8Array, height: number): BlockExplanation {
  const block = parseBlock(blockBytes);
  const coinbase = block.transactions[0];
  const scriptSig = coinbase.inputs[0].scriptSig;
  const pushes = readScriptPushes(scriptSig, 'coinbase scriptSig');
  const roles: PushRole[] = height === 0 ? [] : ['bip34Height', 'extranonce', 'tag'];
  const described: CoinbasePush[] = pushes.map((push, i) => {
    const role = roles[i] ?? 'data';
    const value = role === 'bip34Height' ? pushedNumber(push) : role === 'extranonce' ? littleEndianNumber(push.data) : role === 'tag' ? new TextDecoder().decode(push.data) : dataValue(push);
    return { role, opcode: push.opcode, hex: bytesToHex(push.data), ...(value === undefined ? {} : { value }) };
  });
  const find = (role: PushRole) => described.find((push) => push.role === role);
  const extranoncePush = pushes[1];

  const leaves = block.transactions.map(txid);
  const levels = merkleTree(leaves);
  const root = levels[levels.length - 1][0];
  const display = (level: Uint8Array[]) => level.map(hashToDisplayHex);
  return {
    height,
    transactions: block.transactions.length,
    coinbase: {
      txid: hashToDisplayHex(leaves[0]),
      scriptSig: bytesToHex(scriptSig),
      pushes: described,
      bip34Height: (find('bip34Height')?.value as number | undefined) ?? null,
      extranonce: find('extranonce')?.hex ?? null,
      extranonceIndex: (find('extranonce')?.value as number | undefined) ?? null,
      tag: (find('tag')?.value as string | undefined) ?? null,
    },
    txids: display(leaves),
    merkleLevels: levels.map(display),
    merkleRoot: hashToDisplayHex(root),
    merkleRootMatchesHeader: bytesEqual(root, block.header.merkleRoot),
    nextExtranonce: height === 0 || !extranoncePush ? null : nextExtranonce(block.header, coinbase, pushes[0].opcode, extranoncePush.data, leaves),
  };
}

/** Other pushes, as a reader would take them: text when it is all printable, else a small number. */
function dataValue(push: ScriptPush): number | string | undefined {
  const text = String.fromCharCode(...push.data);
  if (push.data.length >= 4 && /^[\x20-\x7e]+$/.test(text)) return text;
  return push.data.length <= 4 ? pushedNumber(push) : undefined;
}

function littleEndianNumber(bytes: Uint8Array): number {
  let value = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
  return Number(value);
}

/** The extranonce bytes plus one, as a little-endian counter of the same width (wrapping at the top). */
function incremented(extranonce: Uint8Array): Uint8Array {
  const next = Uint8Array.from(extranonce);
  for (let i = 0; i < next.length; i++) {
    next[i] = (next[i] + 1) & 0xff;
    if (next[i] !== 0) break;
  }
  return next;
}

function nextExtranonce(
  header: BlockHeader,
  coinbase: Transaction,
  heightOpcode: number,
  extranonce: Uint8Array,
  leaves: Uint8Array[],
): BlockExplanation['nextExtranonce'] {
  const scriptSig = coinbase.inputs[0].scriptSig;
  // The height push is one opcode byte plus its data; the extranonce push follows it.
  const heightLength = 1 + (heightOpcode < 0x4c ? heightOpcode : 0);
  const rest = scriptSig.subarray(heightLength + pushData(extranonce).length);
  const next = incremented(extranonce);
  const nextCoinbase: Transaction = {
    ...coinbase,
    inputs: [{ ...coinbase.inputs[0], scriptSig: concatBytes(scriptSig.subarray(0, heightLength), pushData(next), rest) }],
  };
  const nextTxid = txid(nextCoinbase);
  const levels = merkleTree([nextTxid, ...leaves.slice(1)]);
  const merkleRoot = levels[levels.length - 1][0];
  return {
    index: littleEndianNumber(next),
    extranonce: bytesToHex(next),
    coinbaseTxid: hashToDisplayHex(nextTxid),
    merkleRoot: hashToDisplayHex(merkleRoot),
    midstate: bytesToHex(digestWordsToBytes(headerMidstate(serializeHeader({ ...header, merkleRoot })))),
  };
}
