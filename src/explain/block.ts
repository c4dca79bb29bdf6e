/**
 * A whole block taken apart: its coinbase (BIP 34 height, extranonce, tag, the outputs and whom they
 * pay), every transaction and its txid, the merkle tree above them up to the root in the header, the
 * reward, the witness commitment, and the root the next extranonce would give. Pure.
 */
import { describeOutputScript, type OutputType } from '../core/address.js';
import { parseBlock, witnessMerkleRoot } from '../core/block.js';
import { bytesEqual, bytesToHex, concatBytes } from '../core/bytes.js';
import { pushData, pushedNumber, readScriptPushes, type ScriptPush } from '../core/encoding.js';
import { hashToDisplayHex, serializeHeader, type BlockHeader } from '../core/header.js';
import { merkleTree } from '../core/merkle.js';
import { blockSubsidy, type ChainParams } from '../core/params.js';
import { digestWordsToBytes, headerMidstate } from '../core/sha256.js';
import { findWitnessCommitment, txid, witnessCommitmentScript, wtxid, type Transaction } from '../core/tx.js';

export type PushRole = 'bip34Height' | 'extranonce' | 'tag' | 'data';

export interface CoinbasePush {
  role: PushRole;
  opcode: number;
  /** The pushed bytes (empty for OP_1..OP_16, which carry their number in the opcode). */
  hex: string;
  /** The height, the extranonce as a little-endian number, the tag; other pushes as text or a number. */
  value?: number | string;
}

export interface OutputFacts {
  /** Satoshis (a safe integer: no output holds more than 21 million BTC). */
  value: number;
  script: string;
  type: OutputType;
  /** Who it pays, as a wallet shows it; null for data (OP_RETURN), anyone-can-spend and odd scripts. */
  address: string | null;
}

export interface TransactionFacts {
  txid: string;
  /** Differs from the txid only when the transaction carries witness data (BIP 141). */
  wtxid: string;
  /** Bytes as serialised in the block, witness included. */
  size: number;
  inputs: { prevTxid: string; prevIndex: number }[];
  outputs: OutputFacts[];
  /** The sum of its outputs, in satoshis. Its fee is the inputs' sum less this, and the block does not hold the inputs' values. */
  valueOut: number;
}

export interface BlockContext {
  /** How to read the coinbase's scriptSig: as powlab writes it (height, extranonce counter, tag), or as anyone may (the BIP 34 height at most). */
  layout: 'powlab' | 'any';
  /** The chain whose addresses and subsidy apply. */
  params: ChainParams;
  /** The height when the caller knows it (a stored block); otherwise the coinbase's BIP 34 height, when it has one. */
  height?: number;
}

export interface BlockExplanation {
  /** Null when neither the caller nor the coinbase says (a version 1 block, before BIP 34). */
  height: number | null;
  transactions: number;
  coinbase: {
    txid: string;
    scriptSig: string;
    pushes: CoinbasePush[];
    /** Null before BIP 34 (the genesis block, any version 1 block). */
    bip34Height: number | null;
    extranonce: string | null;
    extranonceIndex: number | null;
    tag: string | null;
    outputs: OutputFacts[];
  };
  /** Every transaction, coinbase first. */
  transactionList: TransactionFacts[];
  /**
   * What the coinbase claims: the subsidy the height allows plus fees. The fees paid are each
   * transaction's inputs less its outputs, and a block holds no input values (they are in the earlier
   * transactions it spends), so from the block alone only the claim is known: outputs less subsidy.
   */
  reward: { coinbaseValue: number; subsidy: number | null; claimedFees: number | null };
  /** BIP 141: the coinbase output committing to the wtxids, and whether it matches them. */
  witnessCommitment: { commitment: string; witnessRoot: string; matches: boolean } | null;
  /** Display order, coinbase first. */
  txids: string[];
  /** The tree level by level in display order: the txids first, the root alone last. */
  merkleLevels: string[][];
  merkleRoot: string;
  merkleRootMatchesHeader: boolean;
  /** What the miner hashes after this header's nonces: the extranonce plus one, so a new root and midstate. */
  nextExtranonce: {
    index: number;
    extranonce: string;
    coinbaseTxid: string;
    merkleRoot: string;
    midstate: string;
  } | null;
}

/** BIP 34 made version 2 blocks put their height first in the coinbase; version 1 blocks did not. */
const BIP34_VERSION = 2;

/**
 * A powlab coinbase, from height 1, pushes its BIP 34 height, then its extranonce (a little-endian
 * counter), then a tag, each with the shortest push (as src/core/tx.ts writes them); the genesis
 * coinbase predates all that. Another miner's coinbase is known only as far as BIP 34 goes.
 */
export function explainBlock(blockBytes: Uint8Array, context: BlockContext): BlockExplanation {
  const block = parseBlock(blockBytes);
  const coinbase = block.transactions[0];
  const scriptSig = coinbase.inputs[0].scriptSig;
  const pushes = readScriptPushes(scriptSig, 'coinbase scriptSig');
  const powlab = context.layout === 'powlab';
  const roles: PushRole[] = powlab
    ? context.height === 0
      ? []
      : ['bip34Height', 'extranonce', 'tag']
    : block.header.version >= BIP34_VERSION
      ? ['bip34Height']
      : [];
  const described: CoinbasePush[] = pushes.map((push, i) => {
    const role = roles[i] ?? 'data';
    const value =
      role === 'bip34Height'
        ? pushedNumber(push)
        : role === 'extranonce'
          ? littleEndianNumber(push.data)
          : role === 'tag'
            ? new TextDecoder().decode(push.data)
            : dataValue(push);
    return { role, opcode: push.opcode, hex: bytesToHex(push.data), ...(value === undefined ? {} : { value }) };
  });
  const find = (role: PushRole) => described.find((push) => push.role === role);
  const extranoncePush = pushes[1];
  const bip34Height = (find('bip34Height')?.value as number | undefined) ?? null;
  const height = context.height ?? bip34Height;

  const transactionList = block.transactions.map((tx, i) => transactionFacts(tx, block.raw[i].length, context.params));
  const coinbaseValue = transactionList[0].valueOut;
  const subsidy = height === null ? null : Number(blockSubsidy(height, context.params));

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
      bip34Height,
      extranonce: find('extranonce')?.hex ?? null,
      extranonceIndex: (find('extranonce')?.value as number | undefined) ?? null,
      tag: (find('tag')?.value as string | undefined) ?? null,
      outputs: transactionList[0].outputs,
    },
    transactionList,
    reward: { coinbaseValue, subsidy, claimedFees: subsidy === null ? null : coinbaseValue - subsidy },
    witnessCommitment: witnessCommitmentFacts(block.transactions),
    txids: display(leaves),
    merkleLevels: levels.map(display),
    merkleRoot: hashToDisplayHex(root),
    merkleRootMatchesHeader: bytesEqual(root, block.header.merkleRoot),
    nextExtranonce:
      !powlab || context.height === 0 || !extranoncePush
        ? null
        : nextExtranonce(block.header, coinbase, pushes[0].opcode, extranoncePush.data, leaves),
  };
}

function transactionFacts(tx: Transaction, size: number, params: ChainParams): TransactionFacts {
  const outputs = tx.outputs.map((output) => ({
    value: Number(output.value),
    script: bytesToHex(output.script),
    ...describeOutputScript(output.script, params),
  }));
  return {
    txid: hashToDisplayHex(txid(tx)),
    wtxid: hashToDisplayHex(wtxid(tx)),
    size,
    inputs: tx.inputs.map((input) => ({ prevTxid: hashToDisplayHex(input.prevTxid), prevIndex: input.prevIndex })),
    outputs,
    valueOut: outputs.reduce((sum, output) => sum + output.value, 0),
  };
}

function witnessCommitmentFacts(transactions: Transaction[]): BlockExplanation['witnessCommitment'] {
  const commitment = findWitnessCommitment(transactions[0]);
  if (!commitment) return null;
  const witnessRoot = witnessMerkleRoot(transactions);
  const reserved = transactions[0].inputs[0].witness;
  const matches =
    reserved.length === 1 &&
    reserved[0].length === 32 &&
    bytesEqual(witnessCommitmentScript(witnessRoot, reserved[0]).subarray(6), commitment);
  return { commitment: bytesToHex(commitment), witnessRoot: hashToDisplayHex(witnessRoot), matches };
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
    inputs: [
      { ...coinbase.inputs[0], scriptSig: concatBytes(scriptSig.subarray(0, heightLength), pushData(next), rest) },
    ],
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
