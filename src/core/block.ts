/** Whole blocks: header, transaction count, transactions; assembly, parsing and the checks a node makes first. */
import { Errors, errorMessage } from '../errors.js';
import { bytesEqual, concatBytes } from './bytes.js';
import { ByteReader, compactSize } from './encoding.js';
import { BlockHeader, HEADER_BYTES, headerHash, parseHeader, serializeHeader } from './header.js';
import { merkleRoot } from './merkle.js';
import { bitsToTarget, hashMeetsTarget } from './target.js';
import { findWitnessCommitment, isCoinbase, readTx, Transaction, txid, witnessCommitmentScript, wtxid } from './tx.js';

export interface Block {
  header: BlockHeader;
  transactions: Transaction[];
}

/** Assemble block bytes from a header and already-serialised transactions (coinbase first). */
export function serializeBlock(header: BlockHeader | Uint8Array, transactions: readonly Uint8Array[]): Uint8Array {
  const headerBytes = header instanceof Uint8Array ? header : serializeHeader(header);
  return concatBytes(headerBytes, compactSize(transactions.length), ...transactions);
}

/** Parse block bytes; `raw` keeps each transaction's own bytes (as serialised, with witness). */
export function parseBlock(bytes: Uint8Array): Block & { raw: Uint8Array[] } {
  const reader = new ByteReader(bytes, 'block');
  const header = parseHeader(Uint8Array.from(reader.take(HEADER_BYTES)));
  const count = reader.compactSize();
  if (count === 0) throw Errors.badData('block', 'has no transactions');
  const transactions: Transaction[] = [];
  const raw: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const start = reader.offset;
    transactions.push(readTx(reader));
    raw.push(bytes.slice(start, reader.offset));
  }
  if (reader.remaining !== 0) throw Errors.badData('block', `${reader.remaining} bytes after the last transaction`);
  return { header, transactions, raw };
}

/** The wtxid merkle root of a block (the coinbase's wtxid counts as zero, BIP 141). */
export function witnessMerkleRoot(transactions: readonly Transaction[]): Uint8Array {
  return merkleRoot(transactions.map((tx, i) => (i === 0 ? new Uint8Array(32) : wtxid(tx))));
}

/**
 * A block's self-contained checks, the ones that need no chain: proof of work against its own bits,
 * the merkle root, one coinbase first, and the witness commitment when any transaction has a witness.
 * Returns the reason it fails, or undefined.
 */
export function checkBlock(block: Block): string | undefined {
  const hash = headerHash(serializeHeader(block.header));
  let target: bigint;
  try {
    target = bitsToTarget(block.header.bits);
  } catch (error) {
    return errorMessage(error);
  }
  if (!hashMeetsTarget(hash, target)) return 'proof of work does not meet the header bits';
  const txs = block.transactions;
  if (txs.length === 0 || !isCoinbase(txs[0])) return 'first transaction is not a coinbase';
  if (txs.slice(1).some(isCoinbase)) return 'more than one coinbase';
  if (!bytesEqual(merkleRoot(txs.map(txid)), block.header.merkleRoot))
    return 'merkle root does not match the transactions';
  const commitment = findWitnessCommitment(txs[0]);
  const anyWitness = txs.slice(1).some((tx) => tx.inputs.some((input) => input.witness.length > 0));
  if (commitment) {
    const reserved = txs[0].inputs[0].witness;
    if (reserved.length !== 1 || reserved[0].length !== 32)
      return 'coinbase witness must be one 32-byte reserved value';
    const expected = witnessCommitmentScript(witnessMerkleRoot(txs), reserved[0]).subarray(6);
    if (!bytesEqual(expected, commitment)) return 'witness commitment does not match';
  } else if (anyWitness) {
    return 'witness data without a witness commitment';
  }
  return undefined;
}
