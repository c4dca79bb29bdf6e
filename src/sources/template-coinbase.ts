/**
 * The one place powlab writes a block template's coinbase and commits to its transactions: the
 * coinbase (BIP 34 height, an extranonce, powlab's tag, the payout for the template's reward, the
 * BIP 141 witness commitment when the template's rules hold segwit), its path to the merkle root,
 * and the whole block around a solved header. Mining a node's template directly (rpc/work.ts) and
 * the pool's jobs (pool/jobs.ts) both build on it. Pure: no I/O.
 */
import { serializeBlock } from '../core/block.js';
import { merkleBranch, merkleRoot, merkleRootFromBranch } from '../core/merkle.js';
import {
  buildCoinbase,
  POWLAB_TAG,
  serializeTx,
  WITNESS_RESERVED_VALUE,
  witnessCommitmentScript,
  type Transaction,
} from '../core/tx.js';

/** What of a block template its coinbase depends on. */
export interface CoinbaseTemplate {
  height: number;
  /** Satoshis the coinbase claims: subsidy plus fees. */
  reward: bigint;
  /** The node's transactions after the coinbase, in its order (internal byte order hashes). */
  transactions: readonly { data: Uint8Array; txid: Uint8Array; wtxid: Uint8Array }[];
  /** The block must commit to its witnesses (BIP 141). */
  segwit: boolean;
}

/** The coinbase's own hash in a merkle tree it is built for: any 32 bytes (its txid, or zero for the wtxid root). */
const COINBASE_SLOT = new Uint8Array(32);

export class TemplateCoinbase {
  /** The BIP 141 commitment output script, when the template is segwit. */
  readonly witnessCommitment?: Uint8Array;
  /** The coinbase's path to the merkle root: the same whatever the coinbase. */
  readonly merkleBranch: Uint8Array[];

  constructor(
    private readonly template: CoinbaseTemplate,
    private readonly payoutScript: Uint8Array,
  ) {
    const { transactions } = template;
    this.merkleBranch = merkleBranch([COINBASE_SLOT, ...transactions.map((tx) => tx.txid)], 0);
    // The coinbase's wtxid counts as zero (BIP 141); the rest are the node's transactions.
    if (template.segwit)
      this.witnessCommitment = witnessCommitmentScript(
        merkleRoot([COINBASE_SLOT, ...transactions.map((tx) => tx.wtxid)]),
      );
  }

  /** The coinbase with `extranonce` in its scriptSig. */
  coinbase(extranonce: Uint8Array): Transaction {
    return buildCoinbase({
      height: this.template.height,
      extranonce,
      value: this.template.reward,
      payoutScript: this.payoutScript,
      witnessCommitment: this.witnessCommitment,
      tag: POWLAB_TAG,
    });
  }

  /** The merkle root for a coinbase with this txid. */
  merkleRoot(coinbaseTxid: Uint8Array): Uint8Array {
    return merkleRootFromBranch(coinbaseTxid, this.merkleBranch, 0);
  }
}

/**
 * The whole block: the solved header, the coinbase (its witness the reserved value when the template
 * is segwit, whatever form it came in), then the template's transactions in its order.
 */
export function templateBlock(template: CoinbaseTemplate, header: Uint8Array, coinbase: Transaction): Uint8Array {
  const [input, ...others] = coinbase.inputs;
  const withWitness: Transaction = {
    ...coinbase,
    inputs: [{ ...input, witness: template.segwit ? [WITNESS_RESERVED_VALUE] : [] }, ...others],
  };
  return serializeBlock(header, [serializeTx(withWitness), ...template.transactions.map((tx) => tx.data)]);
}
