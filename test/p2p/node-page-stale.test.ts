// The node's page draws a stale branch beside the active chain, each block in its finder's colour: a
// race played through the store, the finders told as the node tells them; and it answers only requests addressed here.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { TreeBlock } from '../../src/chain/tree.js';
import { classnetParams } from '../../src/core/params.js';
import { Emitter } from '../../src/events.js';
import type { NodeEvents } from '../../src/p2p/node.js';
import { startNodePage, type NodePage } from '../../src/p2p/page.js';
import { ChainStore } from '../../src/sources/chain-store.js';
import { discardingStorage, growBranch } from '../helpers/classnet-blocks.js';

const CHROMIUM = '/usr/bin/chromium';
const PEER = '10.0.0.2:18444';

/** What a P2PNode tells, told by the test. */
class PlayedNode extends Emitter<NodeEvents> {
  tell<K extends keyof NodeEvents>(event: K, ...args: NodeEvents[K]): void {
    this.emit(event, ...args);
  }
}

/** The status of GET /api/node addressed to `host`. */
function statusFor(url: string, host: string): Promise<number | undefined> {
  return new Promise((resolve, reject) =>
    request(`${url}api/node`, { headers: { host } }, (response) => {
      response.resume();
      resolve(response.statusCode);
    })
      .on('error', reject)
      .end(),
  );
}

describe('the node page’s stale branches', () => {
  let page: NodePage | undefined;
  let browser: Browser | undefined;
  afterAll(async () => {
    await page?.close();
    await browser?.close();
  });

  it('draws the losing branch beside the winning one, by finder', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    const params = classnetParams({ spacing: 10, interval: 4, startBits: 0x2007ffff });
    const now = params.genesisHeader.time + 1_000_000;
    const store = ChainStore.open(discardingStorage(), params);
    const node = new PlayedNode();
    page = await startNodePage({
      host: '127.0.0.1',
      port: 0,
      node,
      tree: store.tree,
      network: 'classnet',
      dialled: new Set([PEER]),
      warn: () => undefined,
    });
    const branch = (tip: TreeBlock, from: string) => {
      for (let block: TreeBlock | undefined = tip; block && block.height > 1; block = block.parent)
        node.tell('block', { from, block });
    };
    node.tell('peer', { event: 'connect', peer: PEER });
    const fork = await growBranch(store, { parentId: store.tree.genesis.id, count: 1, gap: 10, now });
    branch(await growBranch(store, { parentId: fork.id, count: 2, gap: 10, now, extranonce: 1 }), 'self');
    const winner = await growBranch(store, { parentId: fork.id, count: 3, gap: 9, now, extranonce: 2 });
    branch(winner, PEER);

    browser = await chromium.launch({ executablePath: CHROMIUM });
    const tab = await browser.newPage({ viewport: { width: 390, height: 800 } });
    await tab.goto(page.url);
    await tab.waitForSelector('#tree rect.stale', { timeout: 10_000 });
    const stale = tab.locator('#tree rect.stale');
    expect(await stale.count()).toBe(2);
    for (const from of await stale.evaluateAll((rects) => rects.map((rect) => rect.getAttribute('data-from'))))
      expect(from).toBe('self');
    const active = tab.locator(`#tree rect.active[data-from="${PEER}"]`);
    expect(await active.count()).toBe(3);
    const x = (locator: typeof active) => locator.first().evaluate((rect) => Number(rect.getAttribute('x')));
    expect(await x(stale)).toBeGreaterThan(await x(active));
    expect(await tab.locator('#tip').textContent()).toContain(`tip ${winner.height} ${winner.id.slice(0, 16)}`);
    expect(await tab.locator('#peers li').textContent()).toContain('outbound');
    // A page elsewhere reaching here through a DNS name of its own (rebinding) gets nothing.
    expect(await statusFor(page.url, 'rebound.example')).toBe(403);
    expect(await statusFor(page.url, '127.0.0.1')).toBe(200);
    expect(
      page
        .snapshot()
        .blocks.filter((block) => !block.active)
        .map((block) => block.from),
    ).toEqual(['self', 'self']);
  }, 60_000);
});
