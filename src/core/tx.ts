/**
 * Transactions: the structures, their legacy and witness (BIP 144) serialisations, txid and wtxid,
 * and the coinbase a miner writes: BIP 34 height, extranonce, payout and witness commitment.
 */
import { Errors } from '../errors.js';
import { bytesEqual, concatBytes, uint32LE } from './bytes.js';
import { ByteReader, compactSize, pushData, pushInt } from './encoding.js';
import { sha256d } from './sha256.js';

export interface TxInput {
  /** Txid of the output spent, internal byte order (all zero for a coinbase). */
  prevTxid: Uint8Array;
  prevIndex: number;
  scriptSig: Uint8Array;
  sequence: number;
  witness: Uint8Array[];
}

export interface TxOutput {
  /** Satoshis. */
  value: bigint;
  script: Uint8Array;
}

export interface Transaction {
  version: number;
  inputs: TxInput[];
  outputs: TxOutput[];
  locktime: number;
}

export function hasWitness(tx: Transaction): boolean {
  return tx.inputs.some((input) => input.witness.length > 0);
}

function uint64LE(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

/** Serialise a transaction; with `witness`, in BIP 144 form when it has any witness data. */
export function serializeTx(tx: Transaction, { witness = true } = {}): Uint8Array {
  const withWitness = witness && hasWitness(tx);
  const parts: Uint8Array[] = [uint32LE(tx.version)];
  if (withWitness) parts.push(Uint8Array.of(0x00, 0x01));
  parts.push(compactSize(tx.inputs.length));
  for (const input of tx.inputs) {
    parts.push(
      input.prevTxid,
      uint32LE(input.prevIndex),
      compactSize(input.scriptSig.length),
      input.scriptSig,
      uint32LE(input.sequence),
    );
  }
  parts.push(compactSize(tx.outputs.length));
  for (const output of tx.outputs) parts.push(uint64LE(output.value), compactSize(output.script.length), output.script);
  if (withWitness) {
    for (const input of tx.inputs) {
      parts.push(compactSize(input.witness.length));
      for (const item of input.witness) parts.push(compactSize(item.length), item);
    }
  }
  parts.push(uint32LE(tx.locktime));
  return concatBytes(...parts);
}

/** The txid (internal byte order): double SHA-256 of the serialisation without witness. */
export function txid(tx: Transaction): Uint8Array {
  return sha256d(serializeTx(tx, { witness: false }));
}

/** The wtxid (internal byte order): double SHA-256 of the witness serialisation. */
export function wtxid(tx: Transaction): Uint8Array {
  return sha256d(serializeTx(tx, { witness: true }));
}

/** Read one transaction (legacy or BIP 144) from a reader. */
export function readTx(reader: ByteReader): Transaction {
  const version = reader.uint32() | 0;
  let inputCount = reader.compactSize();
  let segwit = false;
  if (inputCount === 0) {
    const flag = reader.uint8();
    if (flag !== 0x01) throw Errors.badData(reader.what, `unknown transaction flag ${flag}`);
    segwit = true;
    inputCount = reader.compactSize();
  }
  const inputs: TxInput[] = [];
  for (let i = 0; i < inputCount; i++) {
    const prevTxid = Uint8Array.from(reader.take(32));
    const prevIndex = reader.uint32();
    const scriptSig = Uint8Array.from(reader.varBytes());
    const sequence = reader.uint32();
    inputs.push({ prevTxid, prevIndex, scriptSig, sequence, witness: [] });
  }
  const outputCount = reader.compactSize();
  const outputs: TxOutput[] = [];
  for (let i = 0; i < outputCount; i++) {
    const value = reader.uint64();
    outputs.push({ value, script: Uint8Array.from(reader.varBytes()) });
  }
  if (segwit) {
    for (const input of inputs) {
      const items = reader.compactSize();
      for (let i = 0; i < items; i++) input.witness.push(Uint8Array.from(reader.varBytes()));
    }
  }
  const locktime = reader.uint32();
  return { version, inputs, outputs, locktime };
}

export function parseTx(bytes: Uint8Array): Transaction {
  const reader = new ByteReader(bytes, 'transaction');
  const tx = readTx(reader);
  if (reader.remaining !== 0) throw Errors.badData('transaction', `${reader.remaining} bytes left over`);
  return tx;
}

export function isCoinbase(tx: Transaction): boolean {
  return tx.inputs.length === 1 && tx.inputs[0].prevIndex === 0xffffffff && tx.inputs[0].prevTxid.every((b) => b === 0);
}

/** The BIP 34 height push, as Bitcoin Core writes it: `CScript() << height`. */
export function bip34HeightPush(height: number): Uint8Array {
  if (!Number.isInteger(height) || height < 1 || height > 0x7fffffff)
    throw new RangeError(`block height must be 1..2^31-1, got ${height}`);
  return pushInt(height);
}

/** The witness reserved value a coinbase commits with: 32 zero bytes, as every miner uses. */
export const WITNESS_RESERVED_VALUE = new Uint8Array(32);

/** The header of a BIP 141 witness commitment output: OP_RETURN, push 36, 0xaa21a9ed. */
export const WITNESS_COMMITMENT_HEADER = Uint8Array.of(0x6a, 0x24, 0xaa, 0x21, 0xa9, 0xed);

/** The BIP 141 commitment output script for a block's wtxids (the coinbase's taken as zero). */
export function witnessCommitmentScript(
  witnessRoot: Uint8Array,
  reservedValue: Uint8Array = WITNESS_RESERVED_VALUE,
): Uint8Array {
  return concatBytes(WITNESS_COMMITMENT_HEADER, sha256d(concatBytes(witnessRoot, reservedValue)));
}

/** Find the BIP 141 commitment output (the last one matching), if any. */
export function findWitnessCommitment(tx: Transaction): Uint8Array | undefined {
  for (let i = tx.outputs.length - 1; i >= 0; i--) {
    const script = tx.outputs[i].script;
    if (script.length >= 38 && bytesEqual(script.subarray(0, 6), WITNESS_COMMITMENT_HEADER))
      return script.subarray(6, 38);
  }
  return undefined;
}

export interface CoinbaseSpec {
  height: number;
  /** Bytes a miner changes to get a new merkle root when the nonces run out. */
  extranonce: Uint8Array;
  /** Satoshis: subsidy plus fees. */
  value: bigint;
  payoutScript: Uint8Array;
  /** A BIP 141 commitment output script; when given, the input carries the reserved value as witness. */
  witnessCommitment?: Uint8Array;
  /** Free text after the extranonce (a miner's tag). */
  tag?: Uint8Array;
}

/** What powlab writes after the extranonce in its coinbases, so its blocks can be told apart. */
export const POWLAB_TAG = new TextEncoder().encode('/powlab/');

/** The coinbase's scriptSig: height push, extranonce push, optional tag push. 2..100 bytes by consensus. */
export function coinbaseScriptSig(spec: Pick<CoinbaseSpec, 'height' | 'extranonce' | 'tag'>): Uint8Array {
  const parts = [bip34HeightPush(spec.height), pushData(spec.extranonce)];
  if (spec.tag && spec.tag.length > 0) parts.push(pushData(spec.tag));
  const script = concatBytes(...parts);
  if (script.length < 2 || script.length > 100)
    throw new RangeError(`coinbase scriptSig must be 2..100 bytes, got ${script.length}`);
  return script;
}

export function buildCoinbase(spec: CoinbaseSpec): Transaction {
  const outputs: TxOutput[] = [{ value: spec.value, script: spec.payoutScript }];
  if (spec.witnessCommitment) outputs.push({ value: 0n, script: spec.witnessCommitment });
  return {
    version: spec.witnessCommitment ? 2 : 1,
    inputs: [
      {
        prevTxid: new Uint8Array(32),
        prevIndex: 0xffffffff,
        scriptSig: coinbaseScriptSig(spec),
        sequence: 0xffffffff,
        witness: spec.witnessCommitment ? [WITNESS_RESERVED_VALUE] : [],
      },
    ],
    outputs,
    locktime: 0,
  };
}
