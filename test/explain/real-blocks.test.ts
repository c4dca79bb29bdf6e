// explainBlock on real main-net blocks, judged by bitcoinjs-lib as an independent reader.
import { readFileSync } from 'node:fs';
import { address, Block } from 'bitcoinjs-lib';
import { describe, expect, it } from 'vitest';
import { hexToBytes } from '../../src/core/bytes.js';
import { MAINNET } from '../../src/core/params.js';
import { explainBlock } from '../../src/explain/block.js';

const BLOCK_100000 = readFileSync(new URL('../vectors/blocks/mainnet-100000.hex', import.meta.url), 'utf8').trim();

describe('main-net block 100,000', () => {
  const reference = Block.fromHex(BLOCK_100000);
  const e = explainBlock(hexToBytes(BLOCK_100000), { layout: 'any', params: MAINNET });

  it('is the real block, by bitcoinjs-lib: its id, proof of work and merkle root', () => {
    expect(reference.getId()).toBe('000000000003ba27aa200b1cecaad478d2b00432346c3f1f3986da1afd33e506');
    expect(reference.checkProofOfWork()).toBe(true);
    expect(reference.checkTxRoots()).toBe(true);
  });

  it('lists every txid as bitcoinjs-lib computes them, and rebuilds the root in the header', () => {
    expect(e.transactions).toBe(4);
    expect(e.txids).toEqual(reference.transactions!.map((tx) => tx.getId()));
    expect(e.transactionList.map((tx) => tx.txid)).toEqual(e.txids);
    expect(e.merkleLevels.map((level) => level.length)).toEqual([4, 2, 1]);
    expect(e.merkleRoot).toBe(Buffer.from(reference.merkleRoot!).reverse().toString('hex'));
    expect(e.merkleRootMatchesHeader).toBe(true);
  });

  it('reads the coinbase: no BIP 34 height (version 1), 50 BTC to a public key, shown as its address', () => {
    expect(e.height).toBeNull();
    expect(e.coinbase.bip34Height).toBeNull();
    expect(e.nextExtranonce).toBeNull();
    expect(e.coinbase.outputs).toEqual([
      {
        value: 5_000_000_000,
        script: Buffer.from(reference.transactions![0].outs[0].script).toString('hex'),
        type: 'p2pk',
        address: '1HWqMzw1jfpXb3xyuUZ4uWXY4tqL2cW47J',
      },
    ]);
    expect(e.reward).toEqual({ coinbaseValue: 5_000_000_000, subsidy: null, claimedFees: null });
    expect(e.witnessCommitment).toBeNull();
  });

  it('gives each transaction its outputs, values and payees as bitcoinjs-lib reads them', () => {
    e.transactionList.forEach((tx, i) => {
      const outs = reference.transactions![i].outs;
      expect(tx.outputs.map((o) => o.value)).toEqual(outs.map((o) => Number(o.value)));
      expect(tx.valueOut).toBe(outs.reduce((sum, o) => sum + Number(o.value), 0));
      expect(tx.size).toBe(reference.transactions![i].byteLength());
    });
    for (const [i, tx] of e.transactionList.entries()) {
      if (i === 0) continue;
      expect(tx.outputs.map((o) => o.address)).toEqual(
        reference.transactions![i].outs.map((o) => address.fromOutputScript(o.script)),
      );
    }
    expect(e.transactionList[1].outputs.map((o) => o.address)).toEqual([
      '1JqDybm2nWTENrHvMyafbSXXtTk5Uv5QAn',
      '1EYTGtG4LnFfiMvjJdsU7GMGCQvsRSjYhx',
    ]);
  });

  it('with a known height, the reward splits into the subsidy and the fees claimed', () => {
    const known = explainBlock(hexToBytes(BLOCK_100000), { layout: 'any', params: MAINNET, height: 100_000 });
    expect(known.reward).toEqual({ coinbaseValue: 5_000_000_000, subsidy: 5_000_000_000, claimedFees: 0 });
  });
});
