// The dashboard of a classnet run in Chromium: block times against the spacing, the difficulty by
// height with its retargets marked, and each retarget listed as the terminal printed it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classnetParams } from '../../src/core/params.js';
import type { DashboardStatus } from '../../src/dashboard/api.js';
import { startDashboard, type Dashboard } from '../../src/dashboard/server.js';
import { ChainStore } from '../../src/sources/chain-store.js';
import { discardingStorage, growBranch } from '../helpers/classnet-blocks.js';
import { startDashboardRun, type DashboardRun } from './dashboard-run.js';
import { fakeMiner } from './fake-miner.js';

const CHROMIUM = '/usr/bin/chromium';
const INTERVAL = 4;

interface PageElement {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
  };
}
declare const document: { documentElement: unknown; querySelector(selector: string): PageElement | null };
declare function getComputedStyle(element: unknown): { getPropertyValue(name: string): string };

/** The canvas's opaque pixels in the colour a token (src/ui/tokens.css) names on the page now. */
function pixelsOf({ selector, token }: { selector: string; token: string }): number {
  const hex = getComputedStyle(document.documentElement).getPropertyValue(token).trim();
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  const canvas = document.querySelector(selector)!;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4)
    if (data[i + 3] === 255 && data[i] === r && data[i + 1] === g && data[i + 2] === b) count++;
  return count;
}

interface PrintedRetarget {
  height: number;
  actualTimespan: number;
  targetTimespan: number;
  oldBits: string;
  newBits: string;
}

describe('the dashboard of a classnet run in Chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-dash-classnet-'));
  let run: DashboardRun;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    // 2^12 hashes a block to start and a retarget every 4 blocks: the first comes at once, the next ones follow.
    run = await startDashboardRun([
      '--network',
      'classnet',
      '--spacing',
      '1',
      '--interval',
      String(INTERVAL),
      '--zeros',
      '12',
      '--threads',
      '1',
      '--datadir',
      join(root, 'classnet'),
    ]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    await page.goto(run.url);
  });

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('lists the first retarget as the terminal printed it', async () => {
    await run.printedWhen((results) => results.some((result) => result.nextRetarget));
    const printed = run.results.find((result) => result.nextRetarget)!.nextRetarget as PrintedRetarget;
    expect(printed.height).toBe(INTERVAL);
    const item = page.locator('#retargets li', { hasText: `block ${INTERVAL}` });
    await expect.poll(() => item.count(), { timeout: 15_000 }).toBe(1);
    const text = (await item.textContent())!;
    expect(text).toContain(`blocks 0 to ${INTERVAL - 1} took ${printed.actualTimespan} s`);
    expect(text).toContain(`aimed for ${printed.targetTimespan} s`);
    await expect(page.locator('#chain-rule').textContent()).resolves.toContain(
      `classnet: a block every 1 s aimed for, retargets every ${INTERVAL} blocks`,
    );
  });

  it('charts block times against the spacing, and the difficulty with the retarget heights marked', async () => {
    // Past a retarget height in the chart (it starts at block 2): a dot marks it.
    await run.printedWhen((results) => results.some((result) => Number(result.height) > INTERVAL + 1));
    const status = (await (await fetch(`${run.url}api/status`)).json()) as DashboardStatus;
    expect(status.chain!.blocks.map((block) => block.height)).toContain(INTERVAL);
    const lit = (selector: string, token: string) => page.evaluate(pixelsOf, { selector, token });
    await expect.poll(() => lit('#block-times canvas', '--series-total'), { timeout: 10_000 }).toBeGreaterThan(20);
    // The spacing's line (colour 5: --series-6) across the chart.
    await expect.poll(() => lit('#block-times canvas', '--series-6'), { timeout: 10_000 }).toBeGreaterThan(20);
    await expect.poll(() => lit('#difficulty-chart canvas', '--series-total'), { timeout: 10_000 }).toBeGreaterThan(20);
    // The retarget dots (colour 3: --series-4).
    await expect.poll(() => lit('#difficulty-chart canvas', '--series-4'), { timeout: 10_000 }).toBeGreaterThan(20);
    const legend = await page.locator('#difficulty-chart .u-legend').textContent();
    expect(legend).toContain('retarget');
    await expect(page.locator('#no-reorgs').isVisible()).resolves.toBe(true);
    expect(problems).toEqual([]);
  });
});

describe('a reorg on the dashboard in Chromium', () => {
  let browser: Browser;
  let dashboard: Dashboard;

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });
  afterAll(async () => {
    await dashboard?.close();
    await browser?.close();
  });

  it('is listed the moment the store makes it: its depth, the old tip and the new', async () => {
    // A miner alone never reorgs: the test plays the other branch's arrival, through the store as chain submit would.
    const params = classnetParams({ spacing: 10, interval: INTERVAL, startBits: 0x2007ffff });
    const now = params.genesisHeader.time + 1_000_000;
    const store = ChainStore.open(discardingStorage(), params);
    const fork = await growBranch(store, { parentId: store.tree.genesis.id, count: 1, gap: 10, now });
    const oldTip = await growBranch(store, { parentId: fork.id, count: 2, gap: 10, now, extranonce: 1 });
    dashboard = await startDashboard({
      host: '127.0.0.1',
      port: 0,
      session: fakeMiner(),
      source: { name: 'the built-in classnet chain', finds: 'block', label: () => 'block 4', chain: store },
      warn: () => undefined,
    });
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await page.goto(dashboard.url);
    await page.waitForSelector('#connection.live', { timeout: 10_000 });
    await expect(page.locator('#no-reorgs').isVisible()).resolves.toBe(true);

    const newTip = await growBranch(store, { parentId: fork.id, count: 3, gap: 9, now, extranonce: 2 });
    const item = page.locator('#reorgs li');
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    const text = (await item.textContent())!;
    expect(text).toContain('depth 2');
    expect(text).toContain(
      `the blocks above ${fork.height} left the active chain; tip ${oldTip.height} → ${newTip.height}`,
    );
    expect(text).toContain(`old tip ${oldTip.id}`);
    expect(text).toContain(`new tip ${newTip.id}`);
    await expect(page.locator('#no-reorgs').isHidden()).resolves.toBe(true);
    await page.close();
  });
});
