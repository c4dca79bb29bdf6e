/**
 * Must-show 1 of issue 24: a real bcoin regtest node, in this process, that has mined 5 blocks;
 * `powlab node --connect` syncs them over P2P, mines 10 more on top, and bcoin takes every one.
 */
import { createServer } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module without type declarations
import { bcoin } from '../helpers/bcoin-regtest.mjs';
import { runCli } from '../helpers/run-cli.js';
import { startBcoinNode } from '../helpers/bcoin-node.js';
import { storeWith } from '../helpers/p2p-store.js';
import { P2PNode } from '../../src/p2p/node.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- bcoin ships no types */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe('powlab node with a real bcoin regtest node as its peer', () => {
  let node: any;
  let port: number;
  const bcoinBlocks: string[] = [];

  beforeAll(async () => {
    port = await freePort();
    bcoin.Network.get('regtest').block.bip34height = 1;
    node = new bcoin.FullNode({
      network: 'regtest',
      memory: true,
      workers: false,
      listen: true,
      host: '127.0.0.1',
      port,
      httpPort: await freePort(),
      apiKey: 'unused',
      logLevel: 'none',
    });
    await node.open();
    await node.connect();
    node.startSync();
    const address = bcoin.KeyRing.generate().getAddress('string', 'regtest');
    const reply = await node.rpc.call({ method: 'generatetoaddress', params: [5, address] }, {});
    const hashes: string[] = reply.result;
    bcoinBlocks.push(...hashes);
  }, 60_000);

  afterAll(async () => {
    await node?.close();
  });

  it('syncs bcoin’s 5 blocks, mines 10 on them, and bcoin’s best block is powlab’s tip', async () => {
    expect(node.chain.height).toBe(5);
    const datadir = mkdtempSync(join(tmpdir(), 'powlab-node-'));
    const result = await runCli(
      [
        'node',
        '--network',
        'regtest',
        '--datadir',
        datadir,
        '--port',
        '0',
        '--connect',
        `127.0.0.1:${port}`,
        '--mine',
        '--threads',
        '1',
        '--blocks',
        '10',
        '--json',
      ],
      { timeoutMs: 120_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const events = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, any>);
    const blocks = events.filter((e) => e.type === 'block');
    expect(blocks.filter((e) => e.from !== 'self').map((e) => e.hash)).toEqual(bcoinBlocks);
    expect(blocks.filter((e) => e.from === 'self')).toHaveLength(10);
    const summary = events.at(-1)!;
    expect(summary).toMatchObject({ type: 'summary', found: 10, orphaned: 0, received: 5 });
    expect(summary.tip.height).toBeGreaterThanOrEqual(15);
    expect(node.chain.tip.rhash()).toBe(summary.tip.hash);
    for (let height = 1; height <= 5; height++)
      expect((await node.chain.getEntryByHeight(height)).rhash()).toBe(bcoinBlocks[height - 1]);
  }, 150_000);
});

describe('a real bcoin regtest node connecting to powlab', () => {
  it('syncs powlab’s chain over P2P (getblocks, inv, getdata, block) and ends on powlab’s tip', async () => {
    const store = await storeWith(3);
    const powlab = new P2PNode(store);
    const port = await powlab.listen('127.0.0.1', 0);
    const peer = await startBcoinNode();
    try {
      await peer.node.connect();
      peer.node.startSync();
      const synced = new Promise<void>((resolve) =>
        peer.node.chain.on('connect', (entry: any) => entry.height === 3 && resolve()),
      );
      await peer.node.rpc.call({ method: 'addnode', params: [`127.0.0.1:${port}`, 'onetry'] }, {});
      await synced;
      expect(peer.tip()).toBe(store.tree.tip.id);
    } finally {
      await peer.close();
      await powlab.close();
      store.close();
    }
  }, 60_000);
});
