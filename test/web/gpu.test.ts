// The webgpu path in the page: Chromium's WebGPU with the GPU issue's flags, which reach Mesa's
// llvmpipe (ANGLE on Mesa's Vulkan, lavapipe, installed by .ci/run), finding the true nonces of real
// main-net headers in a window around them, as the wasm core does, and measured beside the CPU threads.
// Chromium tells a page the adapter's description only with its WebGPU developer features on: the
// tests turn them on to check which adapter the page got.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStaticServer } from './static-server.js';
import vectors from '../vectors/headers.json' with { type: 'json' };

const CHROMIUM = '/usr/bin/chromium';
const GPU_FLAGS = ['--enable-unsafe-webgpu', '--use-angle=vulkan', '--use-webgpu-adapter=opengles'];
const SHOW_ADAPTER = '--enable-webgpu-developer-features';

describe('the web app on the GPU (WebGPU)', () => {
  let site: Awaited<ReturnType<typeof startStaticServer>>;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`these tests drive Debian's Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    site = await startStaticServer('dist/app');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-background-networking', ...GPU_FLAGS, SHOW_ADAPTER],
    });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  it('benchmarks the GPU beside the CPU threads', async () => {
    await page.goto(`${site.url}?bench=1&threads=1&seconds=1`);
    await page.waitForSelector('#bench-status[data-done]', { timeout: 60_000 });
    const gpuRow = page.locator('#bench-table tr[data-backend="webgpu"]');
    const said = await gpuRow.textContent();
    expect(Number(await gpuRow.getAttribute('data-hashrate')), said ?? '').toBeGreaterThan(0);
    // llvmpipe, not SwiftShader (Chromium's fallback, some 40 times slower, when there is no Vulkan driver),
    // and named for what it is: a software renderer on the CPU cores, not a GPU.
    expect(said).toMatch(/^WebGPU in software, on the CPU: .*llvmpipe.*× the fastest CPU row$/);
  });

  const mainNet = vectors.valid.filter((vector) => vector.chain === 'main');
  it.each(mainNet)('finds the true nonce of $description', async (vector) => {
    await page.goto(`${site.url}?backend=webgpu&header=${vector.hex.slice(0, 152)}00000000`);
    await page.waitForSelector('#isolation:text-matches("^Ready")', { timeout: 20_000 });
    await page.fill('#grind-start', String(Math.max(0, vector.nonce - 500_000)));
    await page.fill('#grind-count', '1000000');
    await page.click('#grind-button');
    await page.waitForSelector('#grind-result[data-nonce]', { timeout: 60_000 });
    const said = await page.textContent('#grind-result');
    expect(await page.getAttribute('#grind-result', 'data-nonce'), said ?? '').toBe(String(vector.nonce));
    await expect(page.getAttribute('#grind-result', 'data-backend')).resolves.toBe('webgpu');
    expect(said).toMatch(/ on webgpu /);
  });
});
