import * as bitcoin from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { serializeBlock, witnessMerkleRoot } from '../../src/core/block.js';
import { bytesToHex } from '../../src/core/bytes.js';
import { hashToDisplayHex, serializeHeader, type BlockHeader } from '../../src/core/header.js';
import { merkleRoot } from '../../src/core/merkle.js';
import { REGTEST } from '../../src/core/params.js';
import { digestWordsToBytes, headerMidstate } from '../../src/core/sha256.js';
import {
  buildCoinbase,
  POWLAB_TAG,
  serializeTx,
  txid,
  witnessCommitmentScript,
  type Transaction,
} from '../../src/core/tx.js';
import { explainBlock } from '../../src/explain/block.js';

/** A coinbase as the built-in chain writes it: an 8-byte little-endian extranonce counter. */
function coinbase(height: number, extranonceIndex: number): Transaction {
  const extranonce = new Uint8Array(8);
  new DataView(extranonce.buffer).setBigUint64(0, BigInt(extranonceIndex), true);
  return buildCoinbase({
    height,
    extranonce,
    value: 50n * 100_000_000n,
    payoutScript: Uint8Array.of(0x51),
    tag: POWLAB_TAG,
  });
}

const spend: Transaction = {
  version: 2,
  inputs: [
    {
      prevTxid: new Uint8Array(32).fill(7),
      prevIndex: 1,
      scriptSig: Uint8Array.of(0x51),
      sequence: 0xffffffff,
      witness: [],
    },
  ],
  outputs: [{ value: 1000n, script: Uint8Array.of(0x51) }],
  locktime: 0,
};

function block(transactions: Transaction[]): { bytes: Uint8Array; header: BlockHeader } {
  const header: BlockHeader = {
    version: 0x20000000,
    prevHash: new Uint8Array(32).fill(1),
    merkleRoot: merkleRoot(transactions.map(txid)),
    time: 1_700_000_000,
    bits: 0x207fffff,
    nonce: 0,
  };
  return {
    bytes: serializeBlock(
      header,
      transactions.map((tx) => serializeTx(tx)),
    ),
    header,
  };
}

describe('explainBlock', () => {
  it('reads a powlab coinbase: BIP 34 height, extranonce counter, tag', () => {
    const { bytes } = block([coinbase(300, 7), spend]);
    const e = explainBlock(bytes, { layout: 'powlab', params: REGTEST, height: 300 });
    expect(e.coinbase).toMatchObject({
      bip34Height: 300,
      extranonce: '0700000000000000',
      extranonceIndex: 7,
      tag: '/powlab/',
    });
    expect(e.coinbase.pushes.map((p) => p.role)).toEqual(['bip34Height', 'extranonce', 'tag']);
    expect(e.coinbase.txid).toBe(hashToDisplayHex(txid(coinbase(300, 7))));
  });

  it('builds the merkle tree over the txids up to the root in the header', () => {
    const txs = [coinbase(20, 0), spend, { ...spend, locktime: 1 }];
    const { bytes, header } = block(txs);
    const e = explainBlock(bytes, { layout: 'powlab', params: REGTEST, height: 20 });
    expect(e.transactions).toBe(3);
    expect(e.txids).toEqual(txs.map((tx) => hashToDisplayHex(txid(tx))));
    expect(e.merkleLevels.map((level) => level.length)).toEqual([3, 2, 1]);
    expect(e.merkleRoot).toBe(hashToDisplayHex(header.merkleRoot));
    expect(e.merkleRootMatchesHeader).toBe(true);
  });

  it.each([
    [7, 8, '0800000000000000'],
    [255, 256, '0001000000000000'],
  ])('after extranonce %i comes %i: a new coinbase txid, merkle root and midstate', (index, nextIndex, nextHex) => {
    const { bytes, header } = block([coinbase(5, index), spend]);
    const next = explainBlock(bytes, { layout: 'powlab', params: REGTEST, height: 5 }).nextExtranonce!;
    const nextRoot = merkleRoot([txid(coinbase(5, nextIndex)), txid(spend)]);
    expect(next).toEqual({
      index: nextIndex,
      extranonce: nextHex,
      coinbaseTxid: hashToDisplayHex(txid(coinbase(5, nextIndex))),
      merkleRoot: hashToDisplayHex(nextRoot),
      midstate: bytesToHex(digestWordsToBytes(headerMidstate(serializeHeader({ ...header, merkleRoot: nextRoot })))),
    });
    expect(next.midstate).not.toBe(bytesToHex(digestWordsToBytes(headerMidstate(serializeHeader(header)))));
  });

  it('a wrong merkle root in the header is reported, not hidden', () => {
    const { header } = block([coinbase(9, 0)]);
    const bytes = serializeBlock({ ...header, merkleRoot: new Uint8Array(32) }, [serializeTx(coinbase(9, 0))]);
    expect(explainBlock(bytes, { layout: 'powlab', params: REGTEST, height: 9 }).merkleRootMatchesHeader).toBe(false);
  });

  it('the genesis coinbase predates BIP 34: its pushes are the bits, 4 and the headline', () => {
    const bytes = serializeBlock(REGTEST.genesisHeader, [serializeTx(REGTEST.genesisCoinbase)]);
    const e = explainBlock(bytes, { layout: 'powlab', params: REGTEST, height: 0 });
    expect(e.coinbase).toMatchObject({ bip34Height: null, extranonce: null, extranonceIndex: null, tag: null });
    expect(e.coinbase.pushes.map((p) => p.value)).toEqual([
      0x1d00ffff,
      4,
      'The Times 03/Jan/2009 Chancellor on brink of second bailout for banks',
    ]);
    expect(e.merkleRoot).toBe('4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b');
    expect(e.nextExtranonce).toBeNull();
  });
});

describe('explainBlock on anyone’s block', () => {
  // A segwit spend and a coinbase committing to it (BIP 141), paying a bech32 address: bitcoinjs-lib checks it.
  const segwitSpend: Transaction = {
    ...spend,
    inputs: [{ ...spend.inputs[0], scriptSig: new Uint8Array(0), witness: [Uint8Array.of(1, 2, 3)] }],
  };
  const payee = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
  const payout = bitcoin.address.toOutputScript(payee, bitcoin.networks.regtest);
  const withoutCommitment = buildCoinbase({
    height: 400,
    extranonce: new Uint8Array(4),
    value: 0n,
    payoutScript: payout,
  });
  const placeholder = [withoutCommitment, segwitSpend];
  const commitment = witnessCommitmentScript(witnessMerkleRoot(placeholder));
  const cb = buildCoinbase({
    height: 400,
    extranonce: new Uint8Array(4),
    value: 1_250_000_000n + 700n,
    payoutScript: payout,
    witnessCommitment: commitment,
  });
  const { bytes } = block([cb, segwitSpend]);
  const e = explainBlock(bytes, { layout: 'any', params: REGTEST });

  it('takes the height from BIP 34 and splits the reward into subsidy and the fees claimed', () => {
    expect(e.height).toBe(400);
    expect(e.coinbase.bip34Height).toBe(400);
    expect(e.coinbase.pushes.map((p) => p.role)).toEqual(['bip34Height', 'data']);
    expect(e.nextExtranonce).toBeNull();
    // Regtest halves every 150 blocks: two halvings by 400, so 12.5 BTC.
    expect(e.reward).toEqual({ coinbaseValue: 1_250_000_700, subsidy: 1_250_000_000, claimedFees: 700 });
  });

  it('names the payee and the commitment, as bitcoinjs-lib reads the same block', () => {
    const reference = bitcoin.Block.fromBuffer(Buffer.from(bytes));
    expect(reference.checkTxRoots()).toBe(true);
    expect(e.coinbase.outputs[0]).toMatchObject({ value: 1_250_000_700, type: 'p2wpkh', address: payee });
    expect(e.coinbase.outputs[1]).toMatchObject({ value: 0, type: 'nulldata', address: null });
    expect(e.witnessCommitment).toEqual({
      commitment: Buffer.from(reference.witnessCommit!).toString('hex'),
      witnessRoot: hashToDisplayHex(witnessMerkleRoot([cb, segwitSpend])),
      matches: true,
    });
    expect(e.transactionList[1].wtxid).not.toBe(e.transactionList[1].txid);
    // bitcoinjs-lib gives the coinbase's wtxid as zero, as the witness tree counts it; the others must agree.
    expect(e.transactionList.slice(1).map((tx) => tx.wtxid)).toEqual(
      reference.transactions!.slice(1).map((tx) => Buffer.from(tx.getHash(true)).reverse().toString('hex')),
    );
  });

  it('a version 1 block has no BIP 34 height to read', () => {
    const header = { ...block([cb]).header, version: 1 };
    const old = explainBlock(serializeBlock(header, [serializeTx(cb)]), { layout: 'any', params: REGTEST });
    expect(old.height).toBeNull();
    expect(old.reward.subsidy).toBeNull();
  });
});
