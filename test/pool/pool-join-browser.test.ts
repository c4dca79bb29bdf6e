// The teacher's one URL: a real `powlab pool`, and Debian's Chromium opening its page with ?join=NAME.
// Under a name that is not this machine's (classroom.test, mapped to 127.0.0.1 by the browser alone)
// the page is no secure context, so it mines without SharedArrayBuffer; from 127.0.0.1 it is isolated
// and takes the fast path. Either way the pool must credit NAME's shares in its ledger.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { cleanupsAfterEach, startPool, tempDatadir } from './pool-run.js';

const CHROMIUM = '/usr/bin/chromium';
const CREDIT_WITHIN_MS = 90_000;

// The page's globals, as far as the functions run in it use them: the test project has no DOM types.
declare const document: {
  documentElement: { dataset: Record<string, string | undefined>; scrollWidth: number; clientWidth: number };
  getElementById(id: string): { dataset: Record<string, string | undefined> } | null;
};

interface Snapshot {
  miners: { worker: string; accepted: number; browser: boolean }[];
  ledger: { miner: string; shares: number }[];
}

const cleanups = cleanupsAfterEach();

async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`this test drives Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--host-resolver-rules=MAP classroom.test 127.0.0.1',
    ],
  });
  cleanups.push(() => browser.close());
  return browser;
}

/** Resolves once the ledger credits `name` with a share (polling the API the board reads). */
async function credited(pageUrl: string, name: string): Promise<Snapshot> {
  const deadline = Date.now() + CREDIT_WITHIN_MS;
  for (;;) {
    const snapshot = (await (await fetch(`${pageUrl}api/pool?worker=${encodeURIComponent(name)}`)).json()) as Snapshot;
    if (snapshot.ledger.some((row) => row.miner === name && row.shares > 0)) return snapshot;
    if (Date.now() > deadline) throw new Error(`${name} was credited no share in ${CREDIT_WITHIN_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A pool with easy shares (a browser thread finds one in well under a second), named classroom.test too. */
function easyPool() {
  return startPool(
    [
      '--datadir',
      tempDatadir(cleanups, 'powlab-pool-join-'),
      '--zeros',
      '24',
      '--page-name',
      'classroom.test',
      '--start-difficulty',
      '0.0001',
    ],
    cleanups,
  );
}

describe("the pool's page joins the pool from one URL", () => {
  it.each([
    { host: 'classroom.test', name: 'ada', sharedMemory: 'false' },
    { host: '127.0.0.1', name: 'grace', sharedMemory: 'true' },
  ])(
    'http://$host:PAGEPORT/?join=$name mines for the pool (shared memory: $sharedMemory), shares credited to $name',
    async ({ host, name, sharedMemory }) => {
      const pool = await easyPool();
      const port = new URL(pool.page).port;
      const browser = await launch();
      const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      await page.goto(`http://${host}:${port}/?join=${name}&threads=2`);
      await page.waitForFunction(() => document.documentElement.dataset.started !== undefined, undefined, {
        timeout: 30_000,
      });
      expect(await page.getAttribute('html', 'data-started')).toBe('join');
      expect(await page.getAttribute('html', 'data-shared-memory')).toBe(sharedMemory);
      if (sharedMemory === 'false') await expect(page.textContent('#isolation')).resolves.toMatch(/by message/);

      const snapshot = await credited(pool.page, name);
      expect(snapshot.miners.find((miner) => miner.worker === name)?.browser).toBe(true);
      // The page shows the student's own shares as the pool judged them, and the board names them a browser miner.
      await page.waitForFunction(
        () => Number(document.getElementById('join-shares')?.dataset.accepted) > 0,
        undefined,
        {
          timeout: 30_000,
        },
      );
      await page.waitForSelector(`#pool-miners tr[data-worker="${name}"][data-browser]`, { timeout: 10_000 });
      // On a 390 px phone, mining and the board and all, the page never scrolls sideways.
      const width = await page.evaluate(() => [
        document.documentElement.scrollWidth,
        document.documentElement.clientWidth,
      ]);
      expect(width[0]).toBeLessThanOrEqual(width[1]);
      expect(problems).toEqual([]);
    },
    180_000,
  );

  it('joins with the Join button and a name typed in, from the bare page', async () => {
    const pool = await easyPool();
    const browser = await launch();
    const page = await browser.newPage();
    await page.goto(pool.page);
    await page.waitForSelector('#join-button:enabled', { timeout: 30_000 });
    expect(await page.getAttribute('html', 'data-started')).toBe('nothing');
    await page.fill('#join-name', 'hopper');
    await page.click('#join-button');
    await credited(pool.page, 'hopper');
    await page.click('#join-stop');
    await page.waitForSelector('#join-status[data-reason="interrupted"]', { timeout: 10_000 });
  }, 180_000);
});
