// Every page on a phone (390 × 844 CSS pixels, an iPhone 12 to 15): filled with what a run shows
// (found blocks, their hashes, the charts), it never scrolls sideways. And the shared tokens follow
// the system's light or dark scheme.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardRun, type DashboardRun } from '../dashboard/dashboard-run.js';
import { startStaticServer } from '../web/static-server.js';

const CHROMIUM = '/usr/bin/chromium';
const PHONE = { width: 390, height: 844 };

declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  body: { dataset: Record<string, string | undefined> };
};
declare function getComputedStyle(element: unknown): { backgroundColor: string };

/** How far the page reaches past the viewport's width: 0 when it fits. */
const overflow = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe('on a 390 px phone in Chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-phone-'));
  let browser: Browser;
  let run: DashboardRun | undefined;
  let site: Awaited<ReturnType<typeof startStaticServer>> | undefined;
  const problems: string[] = [];

  const phonePage = async (colorScheme: 'light' | 'dark' = 'light') => {
    const page = await browser.newPage({ viewport: PHONE, colorScheme });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    return page;
  };

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await run?.stop();
    await site?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('the dashboard, with blocks found and listed and the chain charted, has no horizontal scroll', async () => {
    // 16 zero bits: blocks every few tens of thousands of hashes, so the list fills while we watch;
    // classnet, retargeting every 4 blocks, fills the chain card (both charts, the retargets) as well.
    run = await startDashboardRun([
      ...['--network', 'classnet', '--spacing', '1', '--interval', '4'],
      ...['--zeros', '16', '--threads', '1', '--datadir', join(root, 'classnet')],
    ]);
    const page = await phonePage();
    await page.goto(run.url);
    await page.waitForSelector('#blocks li', { timeout: 30_000 });
    await page.waitForSelector('#scoreboard tr', { timeout: 10_000 });
    await page.waitForSelector('#chart canvas', { timeout: 10_000 });
    await page.waitForSelector('#retargets li', { timeout: 30_000 });
    await page.waitForSelector('#block-times canvas', { timeout: 10_000 });
    await page.waitForSelector('#difficulty-chart canvas', { timeout: 10_000 });
    expect(await overflow(page)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('the dashboard takes the dark colours where the system asks for them', async () => {
    const background = async (scheme: 'light' | 'dark') => {
      const page = await phonePage(scheme);
      await page.goto(run!.url);
      await page.waitForFunction(() => Number(document.body.dataset.seq) >= 0, undefined, { timeout: 10_000 });
      const colour = await page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
      await page.close();
      return colour;
    };
    const [light, dark] = [await background('light'), await background('dark')];
    // rgb(r, g, b): light is bright and dark is dark, from the same tokens.
    const brightness = (rgb: string) =>
      rgb
        .match(/\d+/g)!
        .slice(0, 3)
        .map(Number)
        .reduce((sum, c) => sum + c, 0);
    expect(brightness(light)).toBeGreaterThan(600);
    expect(brightness(dark)).toBeLessThan(150);
  });

  it('the web app, with a block mined and listed, has no horizontal scroll', async () => {
    site = await startStaticServer('dist/app');
    const page = await phonePage();
    await page.goto(`${site.url}?zeros=12&blocks=1&threads=1&autostart=1`);
    // The first visit registers the isolating service worker and reloads once; then it mines a block.
    await page.waitForSelector('#block-list li.block', { timeout: 60_000 });
    expect(await overflow(page)).toBe(0);
    expect(problems).toEqual([]);
  });
});
