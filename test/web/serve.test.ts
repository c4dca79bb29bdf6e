// powlab serve: the web app from this machine, isolated by its own headers, refusing foreign Hosts.
import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { createInterface } from 'node:readline';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Listening } from '../../src/web/http.js';
import { BIN, runCli } from '../helpers/run-cli.js';

const CHROMIUM = '/usr/bin/chromium';

function get(
  url: string,
  host?: string,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('powlab serve', () => {
  let child: ChildProcess;
  let url: string;
  let exited: Promise<number | null>;

  beforeAll(async () => {
    child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    url = await new Promise<string>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once('line', (text) => resolve((JSON.parse(text) as { url: string }).url));
      child.once('exit', () => reject(new Error('powlab serve exited before it printed its address')));
    });
  });

  afterAll(async () => {
    child?.kill('SIGINT');
    await exited;
  });

  it('listens on 127.0.0.1 and serves the app with the headers that isolate it', async () => {
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const page = await get(url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<title>powlab in the browser</title>');
    expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    const wasm = await get(`${url}sha256d-simd.wasm`);
    expect(wasm.status).toBe(200);
    expect(wasm.headers['content-type']).toBe('application/wasm');
    await expect(get(`${url}../package.json`)).resolves.toMatchObject({ status: 404 });
  });

  it('answers a foreign Host header with 403', async () => {
    const foreign = await get(url, 'attacker.example');
    expect(foreign.status).toBe(403);
    expect(foreign.body).not.toContain('<html');
    await expect(get(url, `localhost:${new URL(url).port}`)).resolves.toMatchObject({ status: 200 });
  });

  it('is isolated in Chromium without the service worker, and mines there', async () => {
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
      });
      const page = await browser.newPage();
      const problems: string[] = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      await page.goto(`${url}?zeros=8&blocks=1&threads=1&autostart=1`);
      await page.waitForSelector('#mine-status[data-done="1"]', { timeout: 60_000 });
      await expect(
        page.evaluate(() => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated),
      ).resolves.toBe(true);
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
    }
  });

  it('on 0.0.0.0, says it listens on every interface and gives a URL that works, not 127.0.0.1', async () => {
    const wildcard = spawn(process.execPath, [BIN, 'serve', '--host', '0.0.0.0', '--port', '0', '--json'], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        createInterface({ input: wildcard.stdout }).once('line', resolve);
        wildcard.once('exit', () => reject(new Error('powlab serve exited before it printed its address')));
      });
      const listening = JSON.parse(line) as Listening & { url: string };
      expect(listening).toMatchObject({ host: '0.0.0.0', everyInterface: true });
      expect(new URL(listening.url).hostname).toBe('localhost');
      expect(listening.urls.map((url) => new URL(url.url).hostname)).not.toContain('127.0.0.1');
      for (const { url: each } of listening.urls) await expect(get(each)).resolves.toMatchObject({ status: 200 });
      // From another machine's address the page is no secure context, so it has no shared memory: it says so, and mines by message.
      const remote = listening.urls.find((url) => !url.loopback);
      if (remote) {
        const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
        try {
          const page = await browser.newPage();
          await page.goto(remote.url);
          await page.waitForSelector('#isolation:text-matches("not a secure context.*by message")', {
            timeout: 20_000,
          });
          await expect(page.isEnabled('#start')).resolves.toBe(true);
        } finally {
          await browser.close();
        }
      }
    } finally {
      const exit = new Promise((resolve) => wildcard.once('exit', resolve));
      wildcard.kill('SIGINT');
      await exit;
    }
  });

  it('refuses a bad port with one line and exit 2', async () => {
    const result = await runCli(['serve', '--port', 'eighty']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/--port/);
  });
});
