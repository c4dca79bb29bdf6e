/**
 * The node source against answers a real node gives: templates from bcoin checked field by field,
 * and a node that keeps answering "not ready" to a long poll.
 */
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { NodeSource } from '../../src/sources/rpc/node.js';
import { parseTemplate } from '../../src/sources/rpc/template.js';
import { startBcoinNode } from '../helpers/bcoin-node.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A getblocktemplate answer from a real bcoin regtest node, as JSON. */
async function realTemplate(): Promise<Record<string, unknown>> {
  const node = await startBcoinNode();
  cleanups.push(() => node.close());
  const client = new RpcClient({ url: node.url, credentials: { user: 'x', password: node.apiKey } });
  cleanups.push(() => client.close());
  return (await client.call('getblocktemplate', [{ rules: ['segwit'] }])) as Record<string, unknown>;
}

describe('block templates', () => {
  it("take a real node's template, and refuse one whose rules need what powlab does not implement", async () => {
    const answer = await realTemplate();
    expect(parseTemplate(answer).height).toBe(1);
    expect(parseTemplate({ ...answer, rules: ['csv', '!segwit'] }).rules).toEqual(['csv', '!segwit']);
    // BIP 9: a "!" rule the miner does not know makes the template unusable (signet's block signature, here).
    expect(() => parseTemplate({ ...answer, rules: ['!segwit', '!signet'] })).toThrow(
      /rules require !signet, which powlab does not implement/,
    );
    expect(() => parseTemplate({ ...answer, rules: ['!\u001b[2Jx'] })).toThrow(/require ! \[2Jx/);
  });
});

describe('a node that answers every long poll with "not ready"', () => {
  it('is asked again about once a second, not in a tight loop', async () => {
    const template: Record<string, unknown> = { ...(await realTemplate()), longpollid: 'tip-1' };
    let longPolls = 0;
    const server: Server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        const { id, method, params } = JSON.parse(body) as {
          id: number;
          method: string;
          params: [{ longpollid?: string }?];
        };
        const answer = (result: unknown, error: unknown = null) => response.end(JSON.stringify({ id, result, error }));
        if (method === 'getblockchaininfo') return answer({ chain: 'regtest' });
        if (method === 'getbestblockhash') return answer(template.previousblockhash);
        if (method === 'getblocktemplate' && params[0]?.longpollid === undefined) return answer(template);
        longPolls++;
        answer(null, { code: -10, message: 'Bitcoin Core is in initial sync and waiting for blocks...' });
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => void server.close());
    const { port } = server.address() as { port: number };
    const datadir = mkdtempSync(join(tmpdir(), 'powlab-node-source-'));
    cleanups.push(() => rmSync(datadir, { recursive: true, force: true }));
    const client = new RpcClient({ url: `http://127.0.0.1:${port}`, credentials: { user: 'x', password: 'y' } });
    cleanups.push(() => client.close());
    const stop = new AbortController();
    const source = (await NodeSource.connect({
      client,
      payoutScript: () => Uint8Array.of(0x51),
      datadir,
      warn: () => undefined,
      signal: stop.signal,
    }))!;
    const work = (await source.nextWork())!;
    const watching = source.changedWork(work, stop.signal);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    stop.abort();
    expect(await watching).toBeUndefined();
    // About one long poll a second at most; without the pause it was a thousand.
    expect(longPolls).toBeGreaterThanOrEqual(1);
    expect(longPolls).toBeLessThanOrEqual(4);
  });
});
