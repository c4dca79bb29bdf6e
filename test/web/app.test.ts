// The web app as a student meets it: Debian's Chromium, headless, the static build from a plain file
// server (no COOP/COEP headers: the page's service worker isolates it), the chain in IndexedDB.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REGTEST } from '../../src/core/params.js';
import { checkBlocksWithPythonBitcoinlib } from '../helpers/python-bitcoinlib.js';
import { startStaticServer } from './static-server.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

const CHROMIUM = '/usr/bin/chromium';
const WEB_DIR = 'dist/app';
const ZEROS = 12;

declare const document: {
  querySelectorAll(
    selector: string,
  ): ArrayLike<{ textContent: string | null; getAttribute(name: string): string | null }>;
};

describe('the web app in Chromium', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-web-'));
  let site: Awaited<ReturnType<typeof startStaticServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];
  let mined: { height: number; hash: string; hex: string }[] = [];

  const open = async (query: string) => {
    await page.goto(`${site.url}${query}`);
    // The first visit registers the isolating service worker and reloads once.
    await page.waitForFunction(
      () => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated,
      undefined,
      { timeout: 20_000 },
    );
    await page.waitForSelector('#isolation:text-matches("^Ready")', { timeout: 20_000 });
    await page.waitForSelector('#chain-summary[data-height]', { timeout: 20_000 });
  };

  /** Each listed block's number in the list (li value), its height and its heading. */
  const blockNumbers = () =>
    page.$$eval('#block-list li.block', (items) =>
      items.map((item) => ({
        value: (item as unknown as { value: number }).value,
        height: Number(item.getAttribute('data-height')),
        heading: item.querySelector('h3')!.textContent,
      })),
    );
  const numberedByHeight = (heights: number[]) =>
    heights.map((height) => ({ value: height, height, heading: `Block ${height}` }));

  const blockItems = () =>
    page.$$eval('#block-list li.block', (items) =>
      items.map((item) => ({
        height: Number(item.getAttribute('data-height')),
        hash: item.getAttribute('data-hash')!,
        hex: item.querySelector('.block-hex')!.textContent!,
      })),
    );

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    if (!existsSync(join(WEB_DIR, 'index.html'))) throw new Error(`${WEB_DIR} is not built: npm run build`);
    site = await startStaticServer(WEB_DIR);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    context = await browser.newContext({ acceptDownloads: true, viewport: { width: 360, height: 800 } });
    page = await context.newPage();
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("mines the blocks a teacher's link asks for, on the chain in IndexedDB", async () => {
    await open(`?zeros=${ZEROS}&blocks=3&threads=2&autostart=1`);
    await page.waitForSelector('#mine-status[data-done="3"]', { timeout: 60_000 });
    mined = (await blockItems()).sort((a, b) => a.height - b.height);
    expect(mined.map((block) => block.height)).toEqual([1, 2, 3]);
    // The list was filled twice (as blocks were found, then from the store): its numbers are still the heights.
    await expect(blockNumbers()).resolves.toEqual(numberedByHeight([3, 2, 1]));
    await expect(page.getAttribute('#chain-summary', 'data-height')).resolves.toBe('3');
    expect(Number(await page.getAttribute('#hashrate', 'data-value'))).toBeGreaterThan(0);
    await expect(page.textContent('#hashrate-text')).resolves.toMatch(/worker 1 [\d.]+ [kM]?H\/s, worker 2/);
    await expect(page.textContent('#nonce-text')).resolves.toMatch(/nonces hashed/);
    expect(problems).toEqual([]);
  });

  it('downloads bytes python-bitcoinlib accepts, linked from the regtest genesis, the same as shown as hex', async () => {
    const downloaded: string[] = [];
    for (const block of mined) {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click(`#block-list li[data-height="${block.height}"] a.download-block`),
      ]);
      expect(download.suggestedFilename()).toBe(`regtest-block-${block.height}.bin`);
      downloaded.push(readFileSync(await download.path()).toString('hex'));
    }
    expect(downloaded).toEqual(mined.map((block) => block.hex));
    const verdicts = checkBlocksWithPythonBitcoinlib(downloaded);
    expect(verdicts).toEqual(
      mined.map((block, i) => ({
        ok: true,
        hash: block.hash,
        prev: i === 0 ? REGTEST.genesisHashHex : mined[i - 1].hash,
      })),
    );
    for (const block of mined) expect(BigInt(`0x${block.hash}`) < 1n << BigInt(256 - ZEROS)).toBe(true);
  });

  it('downloads the whole chain as a blocks.dat that powlab chain verify accepts', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-chain')]);
    const datadir = join(root, 'regtest');
    mkdirSync(datadir, { recursive: true });
    writeFileSync(join(datadir, 'blocks.dat'), readFileSync(await download.path()));
    const verdict = JSON.parse(
      execFileSync(process.execPath, ['dist/cli/bin.js', 'chain', 'verify', '--json', '--datadir', datadir], {
        encoding: 'utf8',
      }),
    ) as { ok: boolean; blocks: number; tip: string };
    expect(verdict).toEqual({ ok: true, network: 'regtest', blocks: 3, height: 3, stale: 0, tip: mined[2].hash });
  });

  it('keeps the chain across a reload, and mines on from its tip', async () => {
    await open('');
    await expect(page.getAttribute('#chain-summary', 'data-height')).resolves.toBe('3');
    expect((await blockItems()).map((block) => block.hash).sort()).toEqual(mined.map((block) => block.hash).sort());
    await open(`?zeros=${ZEROS}&blocks=1&threads=1&autostart=1`);
    await page.waitForSelector('#mine-status[data-done="1"]', { timeout: 60_000 });
    const after = (await blockItems()).sort((a, b) => a.height - b.height);
    expect(after.map((block) => block.height)).toEqual([1, 2, 3, 4]);
    await expect(blockNumbers()).resolves.toEqual(numberedByHeight([4, 3, 2, 1]));
    const [fourth] = checkBlocksWithPythonBitcoinlib([after[3].hex]);
    expect(fourth).toEqual({ ok: true, hash: after[3].hash, prev: mined[2].hash });
  });

  it('stops the workers at once with the Stop button', async () => {
    await open(`?zeros=40&blocks=1&threads=2&autostart=1`);
    await page.waitForFunction(
      () => Number(document.querySelectorAll('#hashrate')[0].getAttribute('data-value')) > 0,
      undefined,
      { timeout: 20_000 },
    );
    await page.click('#stop');
    await page.waitForSelector('#mine-status[data-reason="interrupted"]', { timeout: 10_000 });
    // The status is said as the run ends; Start comes back once its workers are gone.
    await page.waitForSelector('#start:enabled', { timeout: 10_000 });
  });

  const mainNet = vectors.valid.filter((vector) => vector.chain === 'main');
  it.each(mainNet)('the wasm core finds the true nonce of $description in a window around it', async (vector) => {
    const zeroed = `${vector.hex.slice(0, 152)}00000000`;
    await open(`?header=${zeroed}`);
    await expect(page.textContent('#header-explained')).resolves.toContain('merkleRoot');
    const start = Math.max(0, vector.nonce - 30_000);
    await page.fill('#grind-start', String(start));
    await page.fill('#grind-count', '60000');
    await page.click('#grind-button');
    await page.waitForSelector('#grind-result[data-nonce]', { timeout: 30_000 });
    await expect(page.getAttribute('#grind-result', 'data-nonce')).resolves.toBe(String(vector.nonce));
  });

  it('takes a pasted header apart, and says what is wrong with one that is not', async () => {
    await open('');
    await page.fill('#header-input', mainNet[0].hex);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.textContent('#header-explained')).resolves.toContain(mainNet[0].hash);
    await page.fill('#header-input', 'abcd');
    await page.click('#header-form button');
    await expect(page.textContent('#header-error')).resolves.toMatch(/80 bytes|160/);
  });

  it("refuses a link's number out of the CLI's range, names it with its range, and starts nothing", async () => {
    await open(`?zeros=256&blocks=-3&threads=2&autostart=1`);
    await page.waitForSelector('html[data-started]');
    await expect(page.getAttribute('html', 'data-started')).resolves.toBe('nothing');
    await expect(page.textContent('#link-problem')).resolves.toBe(
      "The link's zeros=256 is refused: Zero bits must be a whole number from 1 to 255. " +
        "The link's blocks=-3 is refused: Blocks must be a whole number from 0 up (0: no limit). " +
        'So mining did not start on its own: set the fields below and press Start mining.',
    );
    await expect(page.textContent('#mine-status')).resolves.toBe('');
    await expect(page.isEnabled('#start')).resolves.toBe(true);
    await expect(page.getAttribute('#zeros', 'max')).resolves.toBe('255');
  });

  it('words the benchmark and the GPU in its own terms: true round numbers, no flag of the CLI', async () => {
    await page.addInitScript(() => {
      const global = globalThis as unknown as {
        benchTexts: string[];
        document: { getElementById(id: string): object | null; addEventListener(type: string, run: () => void): void };
        MutationObserver: new (run: () => void) => { observe(node: object, options: object): void };
      };
      global.benchTexts = [];
      global.document.addEventListener('DOMContentLoaded', () => {
        const status = global.document.getElementById('bench-status') as { textContent: string };
        new global.MutationObserver(() => global.benchTexts.push(status.textContent)).observe(status, {
          childList: true,
          characterData: true,
          subtree: true,
        });
      });
    });
    await open(`?bench=1&threads=2&seconds=1&backend=webgpu&header=${mainNet[0].hex}`);
    await page.waitForSelector('#bench-status[data-done="complete"]', { timeout: 60_000 });
    const texts = await page.evaluate(() => (globalThis as unknown as { benchTexts: string[] }).benchTexts);
    // Two thread counts, three rounds: each round measures both, in turn (forwards, then backwards).
    expect(texts).toEqual([
      'Round 1 of 3: measuring 1 thread (measurement 1 of 6)…',
      'Round 1 of 3: measuring 2 threads (measurement 2 of 6)…',
      'Round 2 of 3: measuring 2 threads (measurement 3 of 6)…',
      'Round 2 of 3: measuring 1 thread (measurement 4 of 6)…',
      'Round 3 of 3: measuring 1 thread (measurement 5 of 6)…',
      'Round 3 of 3: measuring 2 threads (measurement 6 of 6)…',
      expect.stringMatching(/^Done: each row is the median of its 3 rounds of 333 ms \(1\.00 s per row in all/),
    ]);
    // Without a GPU here (--disable-gpu), the search on it says so in the page's words.
    await page.click('#grind-button');
    await page.waitForSelector('#grind-result:text-matches("^Could not search")', { timeout: 30_000 });
    await expect(page.textContent('#grind-result')).resolves.toMatch(/^Could not search: WebGPU cannot be used here: /);
    await expect(page.textContent('#bench-table')).resolves.toMatch(/not measured.*WebGPU cannot be used here/);
    await expect(page.textContent('body')).resolves.not.toMatch(/--[a-z]/);
  });

  it('breaks hashes where it must and ordinary words never, on a phone and on a desktop', async () => {
    // Every run of two or more letters outside hex (.hex) must sit on one line.
    const brokenWords = `(() => {
      const broken = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const parent = node.parentElement;
        if (!parent || parent.closest('.hex') || parent.getClientRects().length === 0) continue;
        for (const match of node.data.matchAll(/[A-Za-z]{2,}/g)) {
          const range = document.createRange();
          range.setStart(node, match.index);
          range.setEnd(node, match.index + match[0].length);
          const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
          if (lines.size > 1) broken.push(match[0]);
        }
      }
      return broken;
    })()`;
    const widths = `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`;
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: 900 });
      await expect(page.evaluate(brokenWords)).resolves.toEqual([]);
      const [scroll, client] = await page.evaluate<number[]>(widths);
      expect(scroll).toBeLessThanOrEqual(client);
    }
    await page.setViewportSize({ width: 360, height: 800 });
  });

  it('works from a sub-folder of a host too, as on GitHub Pages: every path is relative', async () => {
    const parent = await startStaticServer('dist');
    try {
      const other = await context.newPage();
      await other.goto(`${parent.url}app/?zeros=8&blocks=1&threads=1&autostart=1`);
      await other.waitForSelector('#mine-status[data-done="1"]', { timeout: 60_000 });
      await expect(other.getAttribute('#chain-summary', 'data-height')).resolves.toBe('1');
      await other.close();
    } finally {
      await parent.close();
    }
  });

  it('fits a 360 px wide screen without sideways scrolling', async () => {
    const widths = await page.evaluate(() => {
      const doc = (
        globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }
      ).document;
      return { scroll: doc.documentElement.scrollWidth, client: doc.documentElement.clientWidth };
    });
    expect(widths.scroll).toBeLessThanOrEqual(widths.client);
  });
});
