/**
 * A node's block template as work for the engine: powlab writes the coinbase (template-coinbase.ts:
 * BIP 34 height, the template's coinbasevalue, an extranonce, the payout, and the BIP 141 witness
 * commitment when the node's rules hold segwit, checked against the node's own), keeps the node's
 * transactions in its order, and builds the header the node asked for. A solution becomes the whole
 * block, ready for submitblock.
 */
import { randomBytes } from 'node:crypto';
import { bytesEqual } from '../../core/bytes.js';
import { serializeHeader } from '../../core/header.js';
import { txid, type Transaction } from '../../core/tx.js';
import { Errors } from '../../errors.js';
import type { Solution, Work } from '../../miner/work.js';
import { TemplateCoinbase, templateBlock, type CoinbaseTemplate } from '../template-coinbase.js';
import { templateHasSegwit, type BlockTemplate } from './template.js';

/** Extranonce: 4 bytes counted by the engine, then 4 bytes fixed per run so two runs paying one script never repeat each other's work. */
const EXTRANONCE_INDEX_BYTES = 4;

export interface TemplateWorkOptions {
  payoutScript: Uint8Array;
  /** Mine at this target when it is harder than the template's (a demo of --zeros); blocks still need the template's. */
  target?: bigint;
  /** 4 bytes that make this run's coinbases its own. */
  runTag: Uint8Array;
  id: string;
  /** Milliseconds clock, for header times that advance while a template is mined. */
  now?: () => number;
}

export class TemplateWork implements Work {
  readonly id: string;
  readonly target: bigint;
  readonly stopOnFind = true;
  readonly extranonceCount = 2 ** (8 * EXTRANONCE_INDEX_BYTES);
  private readonly runTag: Uint8Array;
  private readonly body: CoinbaseTemplate;
  private readonly coinbases: TemplateCoinbase;
  private readonly now: () => number;
  private readonly fetchedAt: number;

  constructor(
    readonly template: BlockTemplate,
    options: TemplateWorkOptions,
  ) {
    if (options.runTag.length !== 4) throw new RangeError('the run tag is 4 bytes');
    this.id = options.id;
    this.target = options.target !== undefined && options.target < template.target ? options.target : template.target;
    this.runTag = options.runTag;
    this.now = options.now ?? Date.now;
    this.fetchedAt = this.now();
    this.body = {
      height: template.height,
      reward: template.coinbaseValue,
      transactions: template.transactions,
      segwit: templateHasSegwit(template),
    };
    this.coinbases = new TemplateCoinbase(this.body, options.payoutScript);
    const ours = this.coinbases.witnessCommitment;
    const theirs = template.defaultWitnessCommitment;
    if (ours && theirs && !bytesEqual(theirs, ours))
      throw Errors.badData(
        'the node sent a bad block template',
        'default_witness_commitment does not commit to its transactions',
      );
  }

  /** The template's height, for reports. */
  get height(): number {
    return this.template.height;
  }

  coinbase(extranonceIndex: number): Transaction {
    const extranonce = new Uint8Array(EXTRANONCE_INDEX_BYTES + this.runTag.length);
    new DataView(extranonce.buffer).setUint32(0, extranonceIndex, true);
    extranonce.set(this.runTag, EXTRANONCE_INDEX_BYTES);
    return this.coinbases.coinbase(extranonce);
  }

  /**
   * The header time: the node's curtime plus the seconds since the template came, as a clock would
   * read, and never below mintime (the median of the last 11 blocks, plus one).
   */
  headerTime(): number {
    const elapsed = Math.max(0, Math.floor((this.now() - this.fetchedAt) / 1000));
    return Math.min(0xffffffff, Math.max(this.template.mintime, this.template.curtime + elapsed));
  }

  header(extranonceIndex: number): Uint8Array {
    return serializeHeader({
      version: this.template.version,
      prevHash: this.template.previousBlockHash,
      merkleRoot: this.coinbases.merkleRoot(txid(this.coinbase(extranonceIndex))),
      time: this.headerTime(),
      bits: this.template.bits,
      nonce: 0,
    });
  }

  /** The whole block for a solution of this work: the solved header, our coinbase, the node's transactions in its order. */
  block(solution: Pick<Solution, 'extranonceIndex' | 'header'>): Uint8Array {
    return templateBlock(this.body, solution.header, this.coinbase(solution.extranonceIndex));
  }
}

/** Four random bytes for TemplateWorkOptions.runTag. */
export function newRunTag(): Uint8Array {
  return Uint8Array.from(randomBytes(4));
}
