/**
 * A node whose templates build on a block other than its own best: powlab asks again each second
 * (the node may be mid-reorg) and says so once, instead of re-fetching silently for ever.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { NodeSource } from '../../src/sources/rpc/node.js';
import type { TemplateWork } from '../../src/sources/rpc/work.js';

const TEMPLATE_PREVIOUS = '11'.repeat(32);
const NODE_BEST = '22'.repeat(32);
const TEMPLATE = {
  version: 0x20000000,
  previousblockhash: TEMPLATE_PREVIOUS,
  transactions: [],
  coinbasevalue: 5_000_000_000,
  bits: '207fffff',
  curtime: 1_700_000_000,
  height: 2,
};

describe('a node whose template is not on its best block', () => {
  const datadir = mkdtempSync(join(tmpdir(), 'powlab-off-tip-'));
  afterAll(() => rmSync(datadir, { recursive: true, force: true }));

  it('is asked again each second, and the mismatch said once', async () => {
    const stop = new AbortController();
    let templates = 0;
    const server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { id, method } = JSON.parse(body) as { id: number; method: string };
        if (method === 'getblocktemplate' && ++templates === 4) stop.abort();
        const result =
          method === 'getblockchaininfo' ? { chain: 'regtest' } : method === 'getbestblockhash' ? NODE_BEST : TEMPLATE;
        response.end(JSON.stringify({ id, result, error: null }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const client = new RpcClient({
      url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
      credentials: { user: 'x', password: 'y' },
    });
    const warnings: string[] = [];
    try {
      const source = (await NodeSource.connect({
        client,
        payoutScript: () => Uint8Array.of(0x51),
        datadir,
        warn: (m) => warnings.push(m),
        signal: stop.signal,
      }))!;
      let work: TemplateWork | undefined = await source.nextWork();
      let changes = 0;
      // As the mining session does: wait for changed work, mine it, wait again.
      while (work && !stop.signal.aborted) {
        work = await source.changedWork(work, stop.signal);
        if (work) changes++;
      }
      expect(templates).toBe(4);
      expect(warnings).toEqual([
        `the node's template builds on ${TEMPLATE_PREVIOUS}, not on its best block ${NODE_BEST}; mining it anyway and asking again each second`,
      ]);
      // The same template again is no new work: the miner is not restarted each second.
      expect(changes).toBe(0);
    } finally {
      client.close();
      server.close();
    }
  }, 20_000);
});
