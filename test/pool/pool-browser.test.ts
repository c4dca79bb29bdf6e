// The pool page as a student's phone shows it: Debian's Chromium, headless, 390 px wide, on a real
// pool with a real miner. Every number worded, nothing left undefined, nothing wider than the phone.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach, run, startPool, tempDatadir } from './pool-run.js';

// Debian's package (apt-get install chromium; .ci/run installs it).
const CHROMIUM = '/usr/bin/chromium';

// The page's globals, as far as the functions run in it use them: the test project has no DOM types.
declare const document: {
  documentElement: { scrollWidth: number; clientWidth: number };
  body: { innerText: string };
  querySelectorAll(selector: string): { length: number };
};

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-browser-');

describe('the pool page on a 390 px phone', () => {
  it('explains luck and the PPLNS window before they mean anything, then shows every number worded, within the screen', async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`this test drives Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    // 2^22 hashes a block: one in seconds from one thread.
    const pool = await startPool(['--datadir', datadir(), '--zeros', '22'], cleanups);
    const browser: Browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    cleanups.push(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const failed: string[] = [];
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    page.on('pageerror', (error) => failed.push(`page error: ${error.message}`));
    await page.goto(pool.page);
    await page.waitForFunction(() => document.querySelectorAll('#pool-facts dd').length > 0);
    const before = await page.evaluate(() => document.body.innerText);
    expect(before).toMatch(/luck[^\n]*\n?no block yet/);
    expect(before).toMatch(/The window is 0% full/);

    const miner = run(
      ['mine', '--pool', pool.stratum, '--user', 'alice', '--threads', '1', '--json', '--datadir', datadir()],
      cleanups,
    );
    await pool.waitFor((line) => line.type === 'block', 120_000);
    await page.waitForFunction(() => document.querySelectorAll('#pool-blocks tr').length > 0, undefined, {
      timeout: 10_000,
    });
    await page.waitForFunction(() => /BTC/.test(document.body.innerText), undefined, { timeout: 10_000 });
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).not.toMatch(/undefined|NaN|null/);
    // No raw floats: no number with more than 6 digits after the point.
    expect(text).not.toMatch(/\d\.\d{7}(?!\d* BTC)/);
    expect(text).toMatch(/\d+\.\d{8} BTC/);
    expect(text).not.toMatch(/no block yet/);
    const width = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    expect(failed).toEqual([]);
    miner.child.kill('SIGINT');
    await miner.exited;
  });
});
