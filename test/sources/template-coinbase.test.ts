// One coinbase builder for a node's template, whether the engine mines it directly (rpc/work.ts) or
// the pool cuts it into Stratum jobs (pool/jobs.ts): both ways make the same block, and it passes
// the block checks that need no chain (merkle root, witness commitment) with and without segwit.
import { describe, expect, it } from 'vitest';
import { checkBlock, parseBlock } from '../../src/core/block.js';
import { concatBytes } from '../../src/core/bytes.js';
import { headerHash, serializeHeader, type BlockHeader } from '../../src/core/header.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/target.js';
import { findWitnessCommitment, serializeTx, txid, wtxid, type Transaction } from '../../src/core/tx.js';
import { blockFromShare, jobFromTemplate, shareCoinbase, shareHeader } from '../../src/pool/jobs.js';
import { TemplateCoinbase, templateBlock } from '../../src/sources/template-coinbase.js';
import { template } from '../pool/template-fixture.js';

/** A spend with a witness (its wtxid differs from its txid): what a segwit template carries. */
function witnessSpend(seed: number): Transaction {
  return {
    version: 2,
    inputs: [
      {
        prevTxid: new Uint8Array(32).fill(seed),
        prevIndex: 0,
        scriptSig: new Uint8Array(0),
        sequence: 0xffffffff,
        witness: [new Uint8Array(72).fill(seed), new Uint8Array(33).fill(2)],
      },
    ],
    outputs: [{ value: 1000n, script: Uint8Array.of(0x51) }],
    locktime: 0,
  };
}

const REGTEST_BITS = 0x207fffff;

/** The first header from nonce 0 up that meets its own bits (half of all hashes do at regtest's). */
function solved(make: (nonce: number) => Uint8Array): Uint8Array {
  for (let nonce = 0; ; nonce++) {
    const header = make(nonce);
    if (hashMeetsTarget(headerHash(header), bitsToTarget(REGTEST_BITS))) return header;
  }
}
const payout = Uint8Array.of(0x51);
const extranonce1 = Uint8Array.of(1, 2, 3, 4);
const extranonce2 = Uint8Array.of(5, 6, 7, 8);

describe('TemplateCoinbase: one builder for the engine and the pool', () => {
  it.each([true, false])(
    'segwit %s: the pool’s block from a share is the block built directly, and it checks',
    (segwit) => {
      const spends = segwit ? [witnessSpend(1), witnessSpend(2), witnessSpend(3)] : [];
      const poolTemplate = template({
        bits: REGTEST_BITS,
        target: bitsToTarget(REGTEST_BITS),
        segwit,
        transactions: spends.map((tx) => ({ data: serializeTx(tx), txid: txid(tx), wtxid: wtxid(tx) })),
      });
      const job = jobFromTemplate('1', poolTemplate, payout, true);
      const coinbase = shareCoinbase(job, extranonce1, extranonce2);
      const header = solved((nonce) =>
        shareHeader(job, coinbase, { ntime: poolTemplate.time, nonce, versionBits: 0 }, 0),
      );

      const fromShare = blockFromShare(job, header, coinbase);
      const builder = new TemplateCoinbase(poolTemplate, payout);
      const direct = templateBlock(poolTemplate, header, builder.coinbase(concatBytes(extranonce1, extranonce2)));
      expect(fromShare).toEqual(direct);

      const block = parseBlock(fromShare);
      expect(checkBlock(block)).toBeUndefined();
      expect(block.transactions).toHaveLength(1 + spends.length);
      expect(findWitnessCommitment(block.transactions[0]) !== undefined).toBe(segwit);
    },
  );

  it('witnesses in a template not marked segwit: no commitment is written, and the same checks refuse the block', () => {
    const spend = witnessSpend(4);
    const body = {
      height: 7,
      reward: 1n,
      segwit: false,
      transactions: [{ data: serializeTx(spend), txid: txid(spend), wtxid: wtxid(spend) }],
    };
    const builder = new TemplateCoinbase(body, payout);
    const coinbase = builder.coinbase(Uint8Array.of(0));
    const fields: BlockHeader = {
      version: 1,
      prevHash: new Uint8Array(32),
      merkleRoot: builder.merkleRoot(txid(coinbase)),
      time: 0,
      bits: REGTEST_BITS,
      nonce: 0,
    };
    const header = solved((nonce) => serializeHeader({ ...fields, nonce }));
    const block = parseBlock(templateBlock(body, header, coinbase));
    expect(checkBlock(block)).toBe('witness data without a witness commitment');
  });
});
