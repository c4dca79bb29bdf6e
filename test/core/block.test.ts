import { Block as BitcoinJsBlock } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/bytes.js';
import { checkBlock, parseBlock, serializeBlock, witnessMerkleRoot } from '../../src/core/block.js';
import { hashToDisplayHex, headerHash, serializeHeader } from '../../src/core/header.js';
import { merkleRoot } from '../../src/core/merkle.js';
import { MAINNET, REGTEST } from '../../src/core/params.js';
import { buildCoinbase, serializeTx, txid, witnessCommitmentScript } from '../../src/core/tx.js';

describe('genesis blocks rebuilt from chain parameters', () => {
  it.each([MAINNET, REGTEST])('$name genesis hashes to its known hash and passes checkBlock', (params) => {
    const header = serializeHeader(params.genesisHeader);
    expect(hashToDisplayHex(headerHash(header))).toBe(params.genesisHashHex);
    expect(hashToDisplayHex(params.genesisHeader.merkleRoot)).toBe(
      '4a5e1e4baab89f3a32518a88c31bc87f618f76673e2cc77ab2127b7afdeda33b',
    );
    const block = serializeBlock(header, [serializeTx(params.genesisCoinbase)]);
    expect(checkBlock(parseBlock(block))).toBeUndefined();
    const theirs = BitcoinJsBlock.fromBuffer(Buffer.from(block));
    expect(theirs.getId()).toBe(params.genesisHashHex);
    expect(theirs.checkTxRoots()).toBe(true);
  });
});

describe('block assembly', () => {
  it('a block with a witness commitment round-trips and bitcoinjs-lib agrees on its roots', () => {
    const coinbase = buildCoinbase({
      height: 1,
      extranonce: new Uint8Array(8),
      value: 5_000_000_000n,
      payoutScript: Uint8Array.of(0x51),
      witnessCommitment: witnessCommitmentScript(
        witnessMerkleRoot([{ version: 2, inputs: [], outputs: [], locktime: 0 }]),
      ),
    });
    const header = {
      version: 0x20000000,
      prevHash: headerHash(serializeHeader(REGTEST.genesisHeader)),
      merkleRoot: merkleRoot([txid(coinbase)]),
      time: 1700000000,
      bits: 0x207fffff,
      nonce: 0,
    };
    // Regtest's target is half the hash space: a few nonces find a block.
    let block = serializeBlock(header, [serializeTx(coinbase)]);
    while (checkBlock(parseBlock(block)) === 'proof of work does not meet the header bits') {
      header.nonce++;
      block = serializeBlock(header, [serializeTx(coinbase)]);
    }
    expect(checkBlock(parseBlock(block))).toBeUndefined();
    const theirs = BitcoinJsBlock.fromBuffer(Buffer.from(block));
    expect(theirs.checkTxRoots()).toBe(true);
    expect(theirs.checkProofOfWork()).toBe(true);
    expect(bytesToHex(theirs.toBuffer())).toBe(bytesToHex(block));
  });

  it('checkBlock names a broken merkle root', () => {
    const block = parseBlock(
      serializeBlock(serializeHeader(REGTEST.genesisHeader), [serializeTx(REGTEST.genesisCoinbase)]),
    );
    block.transactions[0].locktime = 1;
    expect(checkBlock(block)).toMatch(/merkle root/);
  });
});
