/**
 * A whole block judged against the tree it would join, in the order Bitcoin Core checks a new
 * block (AcceptBlockHeader, ContextualCheckBlockHeader, CheckBlock, ContextualCheckBlock in
 * src/validation.cpp), each failure named by Core's reject reason where Core has one.
 * The retarget and time rules apply to chains that retarget (classnet); regtest keeps the rules
 * powlab always gave it (any bits up to the limit, the miner's own clock).
 */
import { bytesEqual } from '../core/bytes.js';
import { checkBlock, type Block } from '../core/block.js';
import { hashToDisplayHex, headerHash, serializeHeader } from '../core/header.js';
import { merkleRoot } from '../core/merkle.js';
import { bitsToTarget, decodeCompact, hashMeetsTarget, bitsHex } from '../core/target.js';
import { bip34HeightPush, txid } from '../core/tx.js';
import { PowlabError } from '../errors.js';
import type { BlockTree } from './tree.js';
import { timeViolation } from './time-rules.js';

export type RuleName =
  | 'high-hash'
  | 'prev-blk-not-found'
  | 'bad-diffbits'
  | 'time-too-old'
  | 'time-too-new'
  | 'bad-txnmrklroot'
  | 'bad-cb-height'
  | 'bad-blk';

export interface RuleViolation {
  rule: RuleName;
  /** The facts, in words. */
  why: string;
}

/** A block a chain refused: the rule it breaks is the code a front end words. */
export class BlockRefusedError extends PowlabError {
  constructor(
    readonly rule: RuleName,
    readonly why: string,
    readonly blockId: string,
  ) {
    super(`block ${blockId} refused: ${rule}: ${why}`, 'ERR_BLOCK_REFUSED', 1);
    this.name = 'BlockRefusedError';
  }
}

/** The first rule `block` breaks as a child in `tree` at clock `now` (seconds), or undefined. */
export function blockViolation(tree: BlockTree, block: Block, now: number): RuleViolation | undefined {
  const { header } = block;
  const hash = headerHash(serializeHeader(header));
  const compact = decodeCompact(header.bits);
  const limit = bitsToTarget(tree.params.powLimitBits);
  // Core's CheckProofOfWork: bits that name no target, or one above the limit, fail as the hash does.
  if (compact.negative || compact.overflow || compact.target === 0n || compact.target > limit)
    return { rule: 'high-hash', why: `bits ${bitsHex(header.bits)} name no target within the chain's limit` };
  if (!hashMeetsTarget(hash, compact.target))
    return { rule: 'high-hash', why: `the hash is above the target its bits ${bitsHex(header.bits)} name` };
  const parent = tree.get(hashToDisplayHex(header.prevHash));
  if (!parent)
    return { rule: 'prev-blk-not-found', why: `its parent ${hashToDisplayHex(header.prevHash)} is not in the chain` };
  const height = parent.height + 1;
  const required = tree.requiredWork(parent);
  if (required && required.bits !== header.bits)
    return {
      rule: 'bad-diffbits',
      why: `bits ${bitsHex(header.bits)} at height ${height}, where the retarget rule gives ${bitsHex(required.bits)}`,
    };
  if (tree.params.retarget) {
    const median = tree.medianTimePast(parent);
    const time = timeViolation(header.time, median, now);
    if (time === 'time-too-old')
      return { rule: time, why: `time ${header.time} is not above the median time past ${median}` };
    if (time === 'time-too-new')
      return { rule: time, why: `time ${header.time} is more than two hours ahead of the clock (${now})` };
  }
  if (!bytesEqual(merkleRoot(block.transactions.map(txid)), header.merkleRoot))
    return { rule: 'bad-txnmrklroot', why: 'the merkle root does not match the transactions' };
  const other = checkBlock(block);
  if (other) return { rule: 'bad-blk', why: other };
  const heightPush = bip34HeightPush(height);
  if (!bytesEqual(block.transactions[0].inputs[0].scriptSig.subarray(0, heightPush.length), heightPush))
    return { rule: 'bad-cb-height', why: `the coinbase does not start with height ${height} (BIP 34)` };
  return undefined;
}
