/**
 * A block template from getblocktemplate (BIP 22/23), checked field by field before use: a node is
 * trusted to judge blocks, not to send well-formed JSON. Each transaction is parsed and its txid and
 * wtxid recomputed, so the merkle roots powlab commits to are its own.
 */
import { bytesEqual, hexToBytes } from '../../core/bytes.js';
import { displayHexToHash } from '../../core/header.js';
import { sha256d } from '../../core/sha256.js';
import { bitsToTarget } from '../../core/target.js';
import {
  isCoinbase,
  parseTx,
  serializeTx,
  txid as computeTxid,
  WITNESS_COMMITMENT_HEADER,
  type Transaction,
} from '../../core/tx.js';
import { Errors, PowlabError, errorMessage } from '../../errors.js';
import { printable } from '../printable.js';

export interface TemplateTransaction {
  /** The transaction as the node serialised it (with witness when it has one). */
  data: Uint8Array;
  /** BIP 141 weight: 3 × size without witness + size with it. */
  weight: number;
  /** Signature operations, in BIP 141 cost units: as the node counted them, else the legacy count × 4. */
  sigOpsCost: number;
  /** Internal byte order. */
  txid: Uint8Array;
  /** Internal byte order. */
  wtxid: Uint8Array;
}

export interface BlockTemplate {
  version: number;
  /** Internal byte order. */
  previousBlockHash: Uint8Array;
  /** Display order, as the node sent it. */
  previousBlockHashHex: string;
  transactions: TemplateTransaction[];
  /** Satoshis: subsidy plus the fees of the template's transactions. */
  coinbaseValue: bigint;
  bits: number;
  target: bigint;
  curtime: number;
  mintime: number;
  height: number;
  rules: string[];
  /** The BIP 141 commitment output script, when the node sends one. */
  defaultWitnessCommitment?: Uint8Array;
  longPollId?: string;
}

/** Consensus limits (Bitcoin Core, src/consensus/consensus.h): a block over them is invalid however well mined. */
const MAX_BLOCK_WEIGHT = 4_000_000;
const MAX_BLOCK_SIGOPS_COST = 80_000;
const WITNESS_SCALE_FACTOR = 4;
/** The smallest transaction is 60 bytes without witness (one input, one output), so weighs at least 240. */
const MIN_TRANSACTION_WEIGHT = 60 * WITNESS_SCALE_FACTOR;
/** Header, transaction count and our coinbase: the weight Core's miner keeps back for them (DEFAULT_BLOCK_RESERVED_WEIGHT). */
const RESERVED_WEIGHT = 8_000;
/** Room for the template's transactions once the reserve is kept. */
const MAX_TEMPLATE_WEIGHT = MAX_BLOCK_WEIGHT - RESERVED_WEIGHT;
const MAX_TEMPLATE_TRANSACTIONS = Math.floor(MAX_TEMPLATE_WEIGHT / MIN_TRANSACTION_WEIGHT);

/** 21 million coins in satoshis: no honest coinbase is worth more. */
const MAX_MONEY = 21_000_000 * 100_000_000;
const HASH_HEX = /^[0-9a-fA-F]{64}$/;

/** The "!" rules (BIP 9) whose consensus changes powlab's blocks follow. */
const UNDERSTOOD_REQUIRED_RULES = ['!segwit'];

function bad(field: string, why: string): PowlabError {
  return Errors.badData('the node sent a bad block template', `${field} ${why}`);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw bad(field, `must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)?.slice(0, 40)}`);
  }
  return value;
}

function hash(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || !HASH_HEX.test(value)) throw bad(field, 'must be 64 hex digits');
  return displayHexToHash(value, field);
}

function hexBytes(value: unknown, field: string): Uint8Array {
  if (typeof value !== 'string' || value.length === 0) throw bad(field, 'must be a hex string');
  try {
    return hexToBytes(value, field);
  } catch (error) {
    throw bad(field, errorMessage(error));
  }
}

function transaction(value: unknown, index: number): TemplateTransaction {
  const field = `transactions[${index}]`;
  if (typeof value !== 'object' || value === null) throw bad(field, 'must be an object');
  const entry = value as Record<string, unknown>;
  const data = hexBytes(entry.data, `${field}.data`);
  let tx;
  try {
    tx = parseTx(data);
  } catch (error) {
    throw bad(`${field}.data`, `is not a transaction: ${errorMessage(error)}`);
  }
  if (isCoinbase(tx)) throw bad(field, 'is a coinbase');
  const txid = computeTxid(tx);
  const wtxid = sha256d(data);
  if (!bytesEqual(hash(entry.txid, `${field}.txid`), txid)) throw bad(`${field}.txid`, 'is not the txid of its data');
  // BIP 22 lets `hash` be absent; since segwit, Core and bcoin send the wtxid there.
  if (entry.hash !== undefined && !bytesEqual(hash(entry.hash, `${field}.hash`), wtxid))
    throw bad(`${field}.hash`, 'is not the wtxid of its data');
  const weight = (WITNESS_SCALE_FACTOR - 1) * serializeTx(tx, { witness: false }).length + data.length;
  const sigOpsCost =
    entry.sigops === undefined
      ? legacySigOps(tx) * WITNESS_SCALE_FACTOR
      : integer(entry.sigops, `${field}.sigops`, 0, MAX_BLOCK_SIGOPS_COST);
  return { data, txid, wtxid, weight, sigOpsCost };
}

const OP_PUSHDATA1 = 0x4c;
const OP_PUSHDATA4 = 0x4e;
const OP_CHECKSIG = 0xac;
const OP_CHECKSIGVERIFY = 0xad;
const OP_CHECKMULTISIG = 0xae;
const OP_CHECKMULTISIGVERIFY = 0xaf;
/** A bare multisig counts as 20 in the legacy count (Core's MAX_PUBKEYS_PER_MULTISIG). */
const MULTISIG_SIGOPS = 20;

/** Core's GetLegacySigOpCount: the checksig opcodes in every scriptSig and scriptPubKey, pushes skipped. */
function legacySigOps(tx: Transaction): number {
  let count = 0;
  for (const script of [...tx.inputs.map((input) => input.scriptSig), ...tx.outputs.map((output) => output.script)]) {
    for (let i = 0; i < script.length;) {
      const op = script[i++];
      if (op > 0 && op < OP_PUSHDATA1) i += op;
      else if (op >= OP_PUSHDATA1 && op <= OP_PUSHDATA4) {
        const size = op === OP_PUSHDATA1 ? 1 : op === OP_PUSHDATA1 + 1 ? 2 : 4;
        let length = 0;
        for (let k = 0; k < size && i + k < script.length; k++) length += script[i + k] * 2 ** (8 * k);
        i += size + length;
      } else if (op === OP_CHECKSIG || op === OP_CHECKSIGVERIFY) count += 1;
      else if (op === OP_CHECKMULTISIG || op === OP_CHECKMULTISIGVERIFY) count += MULTISIG_SIGOPS;
    }
  }
  return count;
}

/**
 * The template's transactions, refused in one line as soon as they cannot fit one block: more of
 * them than 4,000,000 weight holds, their weight, or their signature operations.
 */
function transactions(value: unknown): TemplateTransaction[] {
  if (!Array.isArray(value)) throw bad('transactions', 'must be an array');
  const over = (what: string) => Errors.badData('the node sent a block template over the consensus limits', what);
  if (value.length > MAX_TEMPLATE_TRANSACTIONS) {
    throw over(
      `${value.length} transactions cannot fit in a block of ${MAX_BLOCK_WEIGHT} weight (at most ${MAX_TEMPLATE_TRANSACTIONS} of ${MIN_TRANSACTION_WEIGHT} weight each, beside the coinbase); not mining it`,
    );
  }
  const parsed: TemplateTransaction[] = [];
  let weight = 0;
  let sigOpsCost = 0;
  for (const [index, entry] of value.entries()) {
    const tx = transaction(entry, index);
    weight += tx.weight;
    sigOpsCost += tx.sigOpsCost;
    if (weight > MAX_TEMPLATE_WEIGHT)
      throw over(
        `its transactions weigh more than ${MAX_TEMPLATE_WEIGHT} (the block limit ${MAX_BLOCK_WEIGHT}, less ${RESERVED_WEIGHT} for the header and coinbase); not mining it`,
      );
    if (sigOpsCost > MAX_BLOCK_SIGOPS_COST)
      throw over(`its transactions cost more than ${MAX_BLOCK_SIGOPS_COST} in signature operations; not mining it`);
    parsed.push(tx);
  }
  return parsed;
}

export function parseTemplate(value: unknown): BlockTemplate {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad('the answer', 'must be an object');
  const t = value as Record<string, unknown>;
  const version = integer(t.version, 'version', 0, 0xffffffff);
  const previousBlockHash = hash(t.previousblockhash, 'previousblockhash');
  const checkedTransactions = transactions(t.transactions);
  const coinbaseValue = BigInt(integer(t.coinbasevalue, 'coinbasevalue', 0, MAX_MONEY));
  if (typeof t.bits !== 'string' || !/^[0-9a-fA-F]{8}$/.test(t.bits)) throw bad('bits', 'must be 8 hex digits');
  const bits = parseInt(t.bits, 16) >>> 0;
  let target: bigint;
  try {
    target = bitsToTarget(bits);
  } catch (error) {
    throw bad('bits', errorMessage(error));
  }
  if (t.target !== undefined) {
    if (typeof t.target !== 'string' || !HASH_HEX.test(t.target)) throw bad('target', 'must be 64 hex digits');
    if (BigInt(`0x${t.target}`) !== target) throw bad('target', `does not match bits ${t.bits}`);
  }
  const curtime = integer(t.curtime, 'curtime', 0, 0xffffffff);
  const mintime = t.mintime === undefined ? 0 : integer(t.mintime, 'mintime', 0, 0xffffffff);
  const height = integer(t.height, 'height', 1, 0x7fffffff);
  let rules: string[] = [];
  if (t.rules !== undefined) {
    if (!Array.isArray(t.rules) || !t.rules.every((rule) => typeof rule === 'string' && rule.length <= 64))
      throw bad('rules', 'must be an array of names');
    rules = t.rules as string[];
  }
  // BIP 9: a rule marked "!" changes what a valid block is; a miner that does not know it must not use the template.
  const unknownRequired = rules.filter((rule) => rule.startsWith('!') && !UNDERSTOOD_REQUIRED_RULES.includes(rule));
  if (unknownRequired.length > 0)
    throw bad('rules', `require ${unknownRequired.map(printable).join(', ')}, which powlab does not implement`);
  let defaultWitnessCommitment: Uint8Array | undefined;
  if (t.default_witness_commitment !== undefined) {
    defaultWitnessCommitment = hexBytes(t.default_witness_commitment, 'default_witness_commitment');
    if (
      defaultWitnessCommitment.length < 38 ||
      !bytesEqual(defaultWitnessCommitment.subarray(0, WITNESS_COMMITMENT_HEADER.length), WITNESS_COMMITMENT_HEADER)
    ) {
      throw bad('default_witness_commitment', 'is not a witness commitment script (6a24aa21a9ed…)');
    }
  }
  let longPollId: string | undefined;
  if (t.longpollid !== undefined) {
    if (typeof t.longpollid !== 'string' || t.longpollid.length === 0 || t.longpollid.length > 256)
      throw bad('longpollid', 'must be a short string');
    longPollId = t.longpollid;
  }
  return {
    version,
    previousBlockHash,
    previousBlockHashHex: (t.previousblockhash as string).toLowerCase(),
    transactions: checkedTransactions,
    coinbaseValue,
    bits,
    target,
    curtime,
    mintime,
    height,
    rules,
    defaultWitnessCommitment,
    longPollId,
  };
}

/** BIP 9 names a rule the client must understand with a leading "!"; segwit is one. */
export function templateHasSegwit(template: BlockTemplate): boolean {
  return template.rules.includes('segwit') || template.rules.includes('!segwit');
}
