/**
 * Templates over the consensus limits (Bitcoin Core's consensus.h: 4,000,000 weight, 80,000
 * signature-operation cost) are refused in one line, before they are mined: whether the node says
 * so itself (sigops) or not (a plain count of checksig opcodes), and a count of transactions that
 * cannot fit before any of them is parsed.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bytesToHex } from '../../src/core/bytes.js';
import { hashToDisplayHex } from '../../src/core/header.js';
import { serializeTx, txid, type Transaction } from '../../src/core/tx.js';
import { parseTemplate } from '../../src/sources/rpc/template.js';
import { runCli } from '../helpers/run-cli.js';

const OP_CHECKSIG = 0xac;

function spend(index: number, outputScript: Uint8Array): Record<string, unknown> {
  const prevTxid = new Uint8Array(32).fill(1);
  new DataView(prevTxid.buffer).setUint32(0, index, true);
  const tx: Transaction = {
    version: 2,
    inputs: [{ prevTxid, prevIndex: 0, scriptSig: Uint8Array.of(0x51), sequence: 0xffffffff, witness: [] }],
    outputs: [{ value: 1000n, script: outputScript }],
    locktime: 0,
  };
  const data = serializeTx(tx);
  return { data: bytesToHex(data), txid: hashToDisplayHex(txid(tx)), hash: hashToDisplayHex(txid(tx)) };
}

function template(transactions: Record<string, unknown>[]): Record<string, unknown> {
  return {
    version: 0x20000000,
    previousblockhash: '00'.repeat(32),
    transactions,
    coinbasevalue: 5_000_000_000,
    bits: '207fffff',
    curtime: 1_700_000_000,
    height: 1,
  };
}

describe('a template over the consensus limits', () => {
  it('within the limits: taken, with each transaction weighed', () => {
    const parsed = parseTemplate(template([{ ...spend(0, Uint8Array.of(OP_CHECKSIG)), sigops: 4 }]));
    expect(parsed.transactions[0].weight).toBe(4 * parsed.transactions[0].data.length);
    expect(parsed.transactions[0].sigOpsCost).toBe(4);
  });

  it('more transactions than a block can hold: refused before any is parsed', () => {
    const one = spend(0, Uint8Array.of(0x51));
    expect(() => parseTemplate(template(new Array(100_000).fill(one)))).toThrow(
      /^the node sent a block template over the consensus limits: 100000 transactions cannot fit in a block of 4000000 weight/,
    );
  });

  it('transactions weighing more than 4,000,000: refused', () => {
    const big = new Uint8Array(100_000).fill(0x51);
    const heavy = Array.from({ length: 10 }, (_, i) => spend(i, big));
    expect(() => parseTemplate(template(heavy))).toThrow(
      /over the consensus limits: its transactions weigh more than 3992000/,
    );
  });

  it('signature operations over 80,000 cost: refused, as the node counted them or as counted here', () => {
    const counted = Array.from({ length: 17 }, (_, i) => ({ ...spend(i, Uint8Array.of(OP_CHECKSIG)), sigops: 5000 }));
    expect(() => parseTemplate(template(counted))).toThrow(/cost more than 80000 in signature operations/);
    const uncounted = [spend(0, new Uint8Array(20_001).fill(OP_CHECKSIG))];
    expect(() => parseTemplate(template(uncounted))).toThrow(/cost more than 80000 in signature operations/);
  });
});

describe('mine --rpc on a node that sends an oversized template', () => {
  const datadir = mkdtempSync(join(tmpdir(), 'powlab-template-limits-'));
  afterAll(() => rmSync(datadir, { recursive: true, force: true }));

  it('stops with one line naming the limit, and submits nothing', async () => {
    const answer = template(new Array(20_000).fill(spend(0, Uint8Array.of(0x51))));
    const methods: string[] = [];
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { id, method } = JSON.parse(body) as { id: number; method: string };
        methods.push(method);
        const result =
          method === 'getblockchaininfo' ? { chain: 'regtest' } : method === 'getblocktemplate' ? answer : null;
        response.end(JSON.stringify({ id, result, error: null }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as { port: number };
      const result = await runCli(
        ['mine', '--rpc', `http://127.0.0.1:${port}`, '--rpc-password', 'x', '--datadir', datadir, '--threads', '1'],
        { timeoutMs: 30_000 },
      );
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(
          /^powlab: the node sent a block template over the consensus limits: 20000 transactions cannot fit/,
        ),
      ]);
      expect(methods).not.toContain('submitblock');
    } finally {
      server.close();
    }
  });
});
