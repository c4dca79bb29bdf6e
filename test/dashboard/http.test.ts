// The dashboard's server in this process, on a stand-in Miner: its answers to odd requests, its Host
// check, and its event streams' ends. server.test.ts runs it for real, from the built CLI.
import { once } from 'node:events';
import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard, type DashboardOptions } from '../../src/dashboard/server.js';
import type { DashboardStatus } from '../../src/dashboard/state.js';
import { EventReader, rawRequest } from './dashboard-run.js';
import { fakeMiner, fakeStats } from './fake-miner.js';

const source = { name: 'a test chain', finds: 'block' as const, label: () => 'block 1' };
const open: Dashboard[] = [];
const warnings: string[] = [];

async function start(options: Partial<DashboardOptions> = {}): Promise<Dashboard & { port: number }> {
  const dashboard = await startDashboard({
    host: '127.0.0.1',
    port: 0,
    session: fakeMiner(),
    source,
    warn: (message) => warnings.push(message),
    ...options,
  });
  open.push(dashboard);
  return Object.assign(dashboard, { port: Number(new URL(dashboard.url).port) });
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((dashboard) => dashboard.close()));
  warnings.length = 0;
});

const ask = (port: number, path: string, options: { method?: string; host?: string } = {}) =>
  rawRequest(port, path, { method: options.method, headers: options.host ? { host: options.host } : {} });

/** A big status, as if the run had very many workers: enough to fill the socket's buffers. */
function bigStatus(dashboard: Dashboard, bytes: number): DashboardStatus {
  return { ...dashboard.state.status(), label: 'x'.repeat(bytes) };
}

/** An event stream the page does not read; `cut` resolves with the error the server's cut gives. */
async function openUnreadStream(port: number): Promise<{ response: IncomingMessage; cut: Promise<Error> }> {
  const req = request({ host: '127.0.0.1', port, path: '/api/events' });
  req.end();
  const [response] = (await once(req, 'response')) as [IncomingMessage];
  response.pause();
  return { response, cut: new Promise<Error>((resolve) => response.once('error', resolve)) };
}

describe('the dashboard server', () => {
  it('answers a path that is not one with 400', async () => {
    const { port } = await start();
    const answer = await ask(port, '//');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body).error).toMatch(/not a path/);
    expect((await ask(port, '/api/status')).status).toBe(200);
  });

  it('answers HEAD /api/events with the stream’s headers and no stream', async () => {
    const { port } = await start();
    const answer = await ask(port, '/api/events', { method: 'HEAD' });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(answer.body).toBe('');
  });

  it('checks the header’s length before decoding it', async () => {
    const { port } = await start();
    for (const header of ['00ff', 'ab'.repeat(2000), `${'0'.repeat(159)}`]) {
      const answer = await ask(port, `/api/explain?header=${header}`);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body).error).toBe(
        `header must be 80 bytes (160 hex digits), got ${header.length} characters`,
      );
    }
    const notHex = await ask(port, `/api/explain?header=${'zz'.repeat(80)}`);
    expect(notHex.status).toBe(400);
    expect(JSON.parse(notHex.body).error).toMatch(/^header: not hexadecimal/);
  });

  it('survives a stream that fails before its first event: a 500, and the server goes on', async () => {
    // A BigInt cannot be written as JSON: the snapshot fails to serialise, as a bug in it would.
    let broken = true;
    const { port } = await start({
      session: fakeMiner(() => fakeStats(broken ? { hashes: 1n as unknown as number } : {})),
    });
    expect((await ask(port, '/api/events')).status).toBe(500);
    expect((await ask(port, '/api/status')).status).toBe(500);
    expect((await ask(port, '/favicon.svg')).status).toBe(200);
    broken = false;
  });

  it('delivers the last snapshot to a page that is reading, however much was still on its way', async () => {
    // A grace no loaded machine runs out of: what is checked is the delivery, not the machine's speed.
    const dashboard = await start({ endGraceMs: 50_000 });
    const events = await EventReader.open(new URL('api/events', dashboard.url).href);
    await events.next('status');
    // More than the kernel takes at once: the rest, and the end after it, still wait in the server when it closes.
    dashboard.state.emit('status', bigStatus(dashboard, 8_000_000));
    await dashboard.close();
    const end = await events.next('end');
    expect(end.running).toBe(false);
    expect((await events.next('status')).label).toHaveLength(8_000_000);
  });

  it('on closing, cuts a page that reads nothing once its grace is over, instead of waiting for it', async () => {
    const dashboard = await start();
    const { response, cut } = await openUnreadStream(dashboard.port);
    // More than the kernel takes at once: the rest waits in the server, and the page reads none of it.
    dashboard.state.emit('status', bigStatus(dashboard, 8_000_000));
    await dashboard.close();
    response.resume();
    expect((await cut).message).toBe('aborted');
    expect(response.complete).toBe(false);
  });

  it('drops a page that stops reading once a megabyte waits for it, instead of buffering without end', async () => {
    const dashboard = await start();
    const { response, cut } = await openUnreadStream(dashboard.port);
    for (let i = 0; i < 16; i++) dashboard.state.emit('status', bigStatus(dashboard, 512 * 1024));
    response.resume();
    // Cut by the server while the run goes on: the dashboard itself is closed only after this test.
    expect((await cut).message).toBe('aborted');
    expect(response.complete).toBe(false);
  });
});

describe('the dashboard’s Host check (against DNS rebinding)', () => {
  it('on 127.0.0.1 answers requests addressed by IP or as localhost, and refuses other names', async () => {
    const { port } = await start();
    for (const host of [`127.0.0.1:${port}`, `[::1]:${port}`, '[::1]', `localhost:${port}`, `LocalHost:${port}`])
      expect((await ask(port, '/api/status', { host })).status).toBe(200);
    for (const host of [`attacker.example:${port}`, 'attacker.example', `127.0.0.1.attacker.example:${port}`]) {
      const answer = await ask(port, '/api/status', { host });
      expect(answer.status).toBe(403);
      expect(answer.body).not.toContain('hashrate');
    }
    expect(warnings).toEqual([]);
  });

  it('on 0.0.0.0 still refuses a foreign name, answers an IP, and warns once that the network can reach it', async () => {
    const { port } = await start({ host: '0.0.0.0' });
    expect(warnings).toEqual([
      `the dashboard listens on 0.0.0.0: anyone who can reach port ${port} from the network can read it`,
    ]);
    const rebound = await ask(port, '/api/status', { host: `attacker.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).not.toContain('hashrate');
    expect((await ask(port, '/api/status', { host: `192.168.1.20:${port}` })).status).toBe(200);
    expect((await ask(port, '/api/status', { host: `localhost:${port}` })).status).toBe(200);
  });

  it('answers the name it was told to listen on', async () => {
    const { port } = await start({ host: 'localhost' });
    expect(warnings).toEqual([]);
    expect((await ask(port, '/api/status', { host: `localhost:${port}` })).status).toBe(200);
    expect((await ask(port, '/api/status', { host: `attacker.example:${port}` })).status).toBe(403);
  });
});
