// The pool page's server: its page and API behind the Host check, and Stratum over WebSocket for browser miners.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startPool } from './pool-run.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function pool(...args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'powlab-pool-page-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return startPool(['--datadir', dir, ...args], cleanups);
}

function get(url: string, host?: string): Promise<{ status: number; body: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: host ? { host } : {} }, (response) => {
      let body = '';
      response.on('data', (chunk) => (body += chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode!, body, type: String(response.headers['content-type']) }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the pool page', () => {
  it('serves the web app as its page, and the API, to this machine, and refuses a foreign Host', async () => {
    const running = await pool();
    const page = await get(running.page);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script type="module" src="app.js">');
    expect(page.body).toContain('id="join-form"');
    const wasm = await get(`${running.page}sha256d-simd.wasm`);
    expect([wasm.status, wasm.type]).toEqual([200, 'application/wasm']);
    const api = JSON.parse((await get(`${running.page}api/pool`)).body);
    expect(api.pplns.formula).toMatch(/^payout\(miner\) = reward × D\(miner\) \/ D\(window\)/);
    expect((await get(`${running.page}api/pool`, 'attacker.example')).status).toBe(403);
  });

  it('speaks Stratum over WebSocket, and a worker name that looks like markup reaches the API as plain data', async () => {
    const running = await pool();
    const ws = new WebSocket(running.websocket);
    cleanups.push(() => ws.terminate());
    const received: string[] = [];
    ws.on('message', (data: Buffer) => received.push(...data.toString().split('\n')));
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const name = '<img/src=x/onerror=alert(1)>';
    ws.send('{"id":1,"method":"mining.subscribe","params":["browser"]}');
    ws.send(JSON.stringify({ id: 2, method: 'mining.authorize', params: [name, 'x'] }));
    await running.waitFor((line) => line.type === 'authorized');
    const until = Date.now() + 10_000;
    while (!received.some((line) => line.includes('mining.notify')) && Date.now() < until)
      await new Promise((resolve) => setTimeout(resolve, 50));
    const subscribe = JSON.parse(received[0]);
    expect(subscribe).toMatchObject({ id: 1, error: null });
    expect(subscribe.result[2]).toBe(4);
    expect(received.some((line) => line.includes('mining.notify'))).toBe(true);
    const api = JSON.parse((await get(`${running.page}api/pool`)).body);
    expect(api.miners.map((miner: { worker: string }) => miner.worker)).toEqual([name]);
    // It came over the WebSocket: the board names it a browser miner.
    expect(api.miners[0].browser).toBe(true);
  });

  it('answers a name given with --page-name, as students on the school network open it, and no other', async () => {
    const running = await pool('--page-name', 'classroom.test');
    expect((await get(`${running.page}api/pool`, `classroom.test:${new URL(running.page).port}`)).status).toBe(200);
    expect((await get(`${running.page}api/pool`, 'attacker.example')).status).toBe(403);
  });
});
