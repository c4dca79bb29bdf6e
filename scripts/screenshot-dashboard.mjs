#!/usr/bin/env node
// Screenshots of the live dashboard for the docs: docs/img/dashboard.png (the page after a short run)
// and docs/img/dashboard-explain.png (a found block's header taken apart).
// Needs the built CLI (npm run build) and Chromium at /usr/bin/chromium (Debian: apt-get install chromium).
// Usage: node scripts/screenshot-dashboard.mjs [seconds of mining before the shot, default 25]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const seconds = Number(process.argv[2] ?? 25);
const datadir = mkdtempSync(join(tmpdir(), 'powlab-shot-'));
// Difficulty 24 zero bits: a block every few seconds on a laptop, so the list and the banner have something to show.
const child = spawn(
  process.execPath,
  [
    join(root, 'dist/cli/bin.js'),
    'mine',
    '--dashboard',
    '--port',
    '0',
    '--json',
    '--zeros',
    '24',
    '--threads',
    '2',
    '--datadir',
    datadir,
  ],
  {
    stdio: ['ignore', 'pipe', 'inherit'],
  },
);
const lines = createInterface({ input: child.stdout });
const [first] = await once(lines, 'line');
const { dashboard: url } = JSON.parse(first);

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  await page.goto(url);
  await page.waitForTimeout(seconds * 1000);
  // The banner covers the top of the page for ten seconds after each block: hide it for a view of the rest.
  await page.evaluate(() => (document.querySelector('#banner').hidden = true));
  await page.screenshot({ path: join(root, 'docs/img/dashboard.png'), fullPage: true });
  await page.click('#blocks li button');
  await page.waitForSelector('#explain .hexdump');
  await page.locator('#explain').screenshot({ path: join(root, 'docs/img/dashboard-explain.png') });
  console.log(`saved docs/img/dashboard.png and docs/img/dashboard-explain.png from ${url}`);
} finally {
  await browser.close();
  child.kill('SIGINT');
  await once(child, 'exit');
  rmSync(datadir, { recursive: true, force: true });
}
