// The dashboard as a new user meets it: Debian's Chromium, headless, on a real mine run.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDashboardRun, type DashboardRun } from './dashboard-run.js';

// Debian's package (apt-get install chromium; .ci/run installs it).
const CHROMIUM = '/usr/bin/chromium';

// The page's globals, as far as the functions run in it use them: the test project has no DOM types.
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  width: number;
  height: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, width: number, height: number): { data: Uint8ClampedArray };
  };
  toDataURL(): string;
}
declare const document: {
  body: { dataset: Record<string, string | undefined> };
  documentElement: unknown;
  querySelector(selector: string): PageElement | null;
};
declare function getComputedStyle(element: unknown): { getPropertyValue(name: string): string };

/** Counts the chart canvas's opaque pixels of the colours these tokens (src/ui/tokens.css) name on the page now. */
function pixelsOf({ selector, tokens }: { selector: string; tokens: string[] }): number {
  const colours = tokens.map((token) => {
    const hex = getComputedStyle(document.documentElement).getPropertyValue(token).trim();
    return [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  });
  const canvas = document.querySelector(selector)!;
  const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  let count = 0;
  for (let i = 0; i < data.length; i += 4)
    if (data[i + 3] === 255 && colours.some(([r, g, b]) => data[i] === r && data[i + 1] === g && data[i + 2] === b))
      count++;
  return count;
}

describe('the dashboard in Chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-dash-browser-'));
  let run: DashboardRun;
  let browser: Browser;
  let page: Page;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    // 20 zero bits: a block every second or so on two threads, so one is found while we watch.
    run = await startDashboardRun(['--zeros', '20', '--threads', '2', '--datadir', join(root, 'regtest')]);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.on('request', (request) => requests.push(request.url()));
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

  it('loads, live, with every asset from the dashboard itself', async () => {
    await expect(page.title()).resolves.toBe('powlab dashboard');
    await page.waitForSelector('#connection.live', { timeout: 10_000 });
    await expect(page.textContent('#source')).resolves.toBe('the built-in regtest chain');
    // regtest never retargets: no chain card.
    await expect(page.locator('#chain-card').isHidden()).resolves.toBe(true);
    const origin = new URL(run.url).origin;
    expect(requests.length).toBeGreaterThanOrEqual(3);
    for (const url of requests) expect(new URL(url).origin).toBe(origin);
    // One bundle and one stylesheet, built by scripts/build-web.mjs (the terminal's number formats inside).
    expect(requests.map((url) => new URL(url).pathname)).toEqual(
      expect.arrayContaining(['/dashboard.js', '/dashboard.css']),
    );
  });

  it('shows a non-zero hashrate in #hashrate that changes over time', async () => {
    const hashrate = page.locator('#hashrate');
    await page.waitForFunction(
      () => Number(document.querySelector('#hashrate')!.getAttribute('data-value')) > 0,
      undefined,
      { timeout: 15_000 },
    );
    const first = await hashrate.textContent();
    expect(first).toMatch(/^[\d.]+ [kMG]?H\/s$/);
    expect(first).not.toMatch(/^0(\.0+)? /);
    await page.waitForFunction((shown) => document.querySelector('#hashrate')!.textContent !== shown, first, {
      timeout: 15_000,
    });
    const later = await hashrate.textContent();
    expect(later).toMatch(/^[\d.]+ [kMG]?H\/s$/);
    expect(Number(await hashrate.getAttribute('data-value'))).toBeGreaterThan(0);
  });

  it('agrees with /api/status: the same snapshot gives the same hashrate and hashes', async () => {
    let compared = false;
    for (let attempt = 0; attempt < 20 && !compared; attempt++) {
      const seen = await page.evaluate(async () => {
        const api = (await (await fetch('/api/status')).json()) as { seq: number; hashrate: number; hashes: number };
        return {
          seq: Number(document.body.dataset.seq),
          hashrate: Number(document.querySelector('#hashrate')!.getAttribute('data-value')),
          hashes: Number(document.querySelector('#hashes')!.getAttribute('data-value')),
          api: { seq: api.seq, hashrate: api.hashrate, hashes: api.hashes },
        };
      });
      if (seen.seq !== seen.api.seq) {
        await page.waitForTimeout(300);
        continue;
      }
      expect(seen.hashrate).toBe(seen.api.hashrate);
      expect(seen.hashes).toBe(seen.api.hashes);
      expect(seen.hashrate).toBeGreaterThan(0);
      compared = true;
    }
    expect(compared).toBe(true);
  });

  it('draws the hashrate chart, and redraws it as samples arrive', async () => {
    const totalPixels = () => page.evaluate(pixelsOf, { selector: '#chart canvas', tokens: ['--series-total'] });
    const image = () => page.evaluate(() => document.querySelector('#chart canvas')!.toDataURL());
    await page.waitForFunction(() => Number(document.body.dataset.seq) >= 3, undefined, { timeout: 15_000 });
    expect(await totalPixels()).toBeGreaterThan(50);
    const before = await image();
    const seq = await page.evaluate(() => Number(document.body.dataset.seq));
    await page.waitForFunction((s) => Number(document.body.dataset.seq) > s, seq, { timeout: 5000 });
    expect(await image()).not.toBe(before);
    const legend = await page.locator('#chart .u-legend').textContent();
    expect(legend).toContain('total');
    // Two threads: worker 1 and worker 2, counted from 1 as the web app and the docs count them.
    expect(legend).toContain('worker 1');
    expect(legend).toContain('worker 2');
    expect(legend).not.toContain('worker 0');
  });

  it('announces a found block with the banner, lists it, and opens its header explained', async () => {
    await page.waitForSelector('#banner:not([hidden])', { timeout: 30_000 });
    await expect(page.locator('.banner-title').textContent()).resolves.toBe('BLOCK FOUND');
    // It covers none of the figures it announces, nor the header.
    const banner = (await page.locator('#banner').boundingBox())!;
    for (const figure of ['header.top', ...['#hashrate', '#hashes', '#found-count', '#best-session', '#best-all']]) {
      const box = (await page.locator(figure).boundingBox())!;
      const overlaps =
        box.x < banner.x + banner.width &&
        banner.x < box.x + box.width &&
        box.y < banner.y + banner.height &&
        banner.y < box.y + box.height;
      expect(overlaps, `the banner covers ${figure}`).toBe(false);
    }
    const detail = (await page.locator('#banner-detail').textContent())!;
    const hash = /[0-9a-f]{64}/.exec(detail)![0];
    // The block is the run's: printed on stdout by the CLI.
    await expect.poll(() => run.results.map((block) => block.hash), { timeout: 5000 }).toContain(hash);
    const item = page.locator('#blocks li', { hasText: hash });
    await expect.poll(() => item.count(), { timeout: 5000 }).toBe(1);
    expect(Number(await page.getAttribute('#found-count', 'data-value'))).toBeGreaterThanOrEqual(1);

    await item.locator('button').click();
    await page.waitForSelector('#explain[open] .hexdump', { timeout: 10_000 });
    const block = run.results.find((b) => b.hash === hash)!;
    await expect(page.locator('#explain .hexdump').textContent()).resolves.toBe(block.header);
    await expect(page.locator('#explain .fields tbody tr').count()).resolves.toBe(6);
    const body = (await page.locator('#explain-body').textContent())!;
    expect(body).toContain(hash);
    expect(body).toContain('hash ≤ target');
    await page.click('#explain-close');
    await expect(page.locator('#explain').getAttribute('open')).resolves.toBeNull();
  });

  it('draws each worker’s nonce ranges', async () => {
    // Each worker's ranges in its own colour: worker 1's and worker 2's.
    const lit = () => page.evaluate(pixelsOf, { selector: '#nonce-zoom canvas', tokens: ['--series-1', '--series-2'] });
    // Right after a block the new header has few nonces hashed yet: wait for a snapshot with some.
    await expect.poll(lit, { timeout: 10_000 }).toBeGreaterThan(100);
    await expect(page.locator('#nonce-text').textContent()).resolves.toMatch(/worker 1 .*worker 2/);
  });

  it('logged no errors (a blocked asset or script would show here), and says the run ended when powlab stops', async () => {
    // Checked before the stop: once the server is gone, the browser logs its attempts to reconnect.
    expect(problems).toEqual([]);
    expect(await run.stop()).toBe(130);
    await page.waitForSelector('#connection.ended', { timeout: 10_000 });
    await expect(page.locator('#hashrate').textContent()).resolves.toMatch(/H\/s$/);
  });

  it('says so when a block is clicked after the run has gone, instead of loading for ever', async () => {
    await page.waitForSelector('#connection.ended', { timeout: 10_000 });
    await page.locator('#blocks li button').first().click();
    await page.waitForSelector('#explain[open]', { timeout: 5000 });
    await expect
      .poll(() => page.locator('#explain-body').textContent(), { timeout: 10_000 })
      .toMatch(/^powlab did not answer \(.+\): is the run still going\?$/);
    await page.click('#explain-close');
  });
});
