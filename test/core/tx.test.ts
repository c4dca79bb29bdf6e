import { Transaction as BitcoinJsTransaction } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/core/bytes.js';
import { hashToDisplayHex } from '../../src/core/header.js';
import { REGTEST } from '../../src/core/params.js';
import { sha256d } from '../../src/core/sha256.js';
import { addressToScript } from '../../src/core/address.js';
import {
  bip34HeightPush,
  buildCoinbase,
  findWitnessCommitment,
  parseTx,
  serializeTx,
  txid,
  witnessCommitmentScript,
  wtxid,
} from '../../src/core/tx.js';
import vectors from '../vectors/bip34.json' with { type: 'json' };

describe('BIP 34 height push', () => {
  it.each(vectors.valid)('height $height is $push', (v) => {
    expect(bytesToHex(bip34HeightPush(v.height))).toBe(v.push);
  });

  it('refuses heights outside 1..2^31-1', () => {
    expect(() => bip34HeightPush(0)).toThrow(RangeError);
    expect(() => bip34HeightPush(2 ** 31)).toThrow(RangeError);
  });
});

describe('coinbase', () => {
  const payoutScript = addressToScript('bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', REGTEST);

  it('serialises as bitcoinjs-lib reads it, txid included', () => {
    const coinbase = buildCoinbase({
      height: 300,
      extranonce: hexToBytes('0011223344556677'),
      value: 5_000_000_000n,
      payoutScript,
    });
    const bytes = serializeTx(coinbase);
    const theirs = BitcoinJsTransaction.fromBuffer(Buffer.from(bytes));
    expect(theirs.isCoinbase()).toBe(true);
    expect(theirs.getId()).toBe(hashToDisplayHex(txid(coinbase)));
    expect(bytesToHex(theirs.ins[0].script).startsWith('022c01')).toBe(true);
    expect(bytesToHex(theirs.outs[0].script)).toBe(bytesToHex(payoutScript));
    expect(theirs.outs[0].value).toBe(5_000_000_000n);
    expect(bytesToHex(serializeTx(parseTx(bytes)))).toBe(bytesToHex(bytes));
  });

  it('with a witness commitment carries the reserved value and differs in txid and wtxid', () => {
    const commitment = witnessCommitmentScript(new Uint8Array(32));
    const coinbase = buildCoinbase({
      height: 500,
      extranonce: new Uint8Array(8),
      value: 1n,
      payoutScript,
      witnessCommitment: commitment,
    });
    const bytes = serializeTx(coinbase);
    const theirs = BitcoinJsTransaction.fromBuffer(Buffer.from(bytes));
    expect(theirs.hasWitnesses()).toBe(true);
    expect(theirs.getId()).toBe(hashToDisplayHex(txid(coinbase)));
    // bitcoinjs-lib reports a coinbase's wtxid as zero (BIP 141's convention), so hash its own bytes.
    expect(bytesToHex(sha256d(theirs.toBuffer()))).toBe(bytesToHex(wtxid(coinbase)));
    expect(bytesToHex(wtxid(coinbase))).not.toBe(bytesToHex(txid(coinbase)));
    expect(bytesToHex(findWitnessCommitment(coinbase)!)).toBe(bytesToHex(commitment.subarray(6)));
    expect(bytesToHex(serializeTx(parseTx(bytes)))).toBe(bytesToHex(bytes));
  });
});

describe('addresses', () => {
  it.each([
    ['bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080', '0014751e76e8199196d454941c45d1b3a323f1433bd6'],
    ['mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn', '76a914243f1394f44554f4ce3fd68649c19adc483ce92488ac'],
    ['2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc', 'a9144e9f39ca4688ff102128ea4ccda34105324305b087'],
  ])('%s pays to %s', (address, script) => {
    expect(bytesToHex(addressToScript(address, REGTEST))).toBe(script);
  });

  it.each([
    'bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4',
    '1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2',
    'nonsense',
    'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt081',
  ])('%s is refused on regtest', (address) => {
    expect(() => addressToScript(address, REGTEST)).toThrow(/invalid address/);
  });
});
