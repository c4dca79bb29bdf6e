/**
 * The dashboard's web server, on node:http: the page (every asset from this package, nothing from a
 * CDN), GET /api/status, Server-Sent Events on /api/events, and /api/explain for one header.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { headerBytesFromHex } from '../core/header.js';
import { Errors, PowlabError } from '../errors.js';
import { explainHeader, timeAtHashrate } from '../explain/header.js';
import type { Miner } from '../miner/miner.js';
import { DashboardState, type DashboardSource } from './state.js';

export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';
export const DEFAULT_DASHBOARD_PORT = 8420;

/** Copied beside this module at build time (npm run build), so it ships with dist/. */
const PAGE_DIR = fileURLToPath(new URL('./page/', import.meta.url));
const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const SECURITY_HEADERS = {
  // Only this server's own assets: the page works offline and nothing it shows leaves the machine.
  'content-security-policy': "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);
/** The browser reconnects this long after the stream drops: a page left open picks up the next run. */
const RECONNECT_MS = 2000;

export interface DashboardOptions {
  host: string;
  port: number;
  miner: Miner;
  source: DashboardSource;
}

export interface Dashboard {
  url: string;
  state: DashboardState;
  /** Tell the pages the run is over, end their streams and stop listening. */
  close(): Promise<void>;
}

interface Asset {
  body: Buffer;
  type: string;
}

function loadPage(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  let names: string[];
  try {
    names = readdirSync(PAGE_DIR);
  } catch {
    throw Errors.badData('dashboard', `its page is missing from ${PAGE_DIR} (rebuild with npm run build)`);
  }
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(name === 'index.html' ? '/' : `/${name}`, { body: readFileSync(join(PAGE_DIR, name)), type });
  }
  return assets;
}

function urlHost(host: string): string {
  // A wildcard address listens everywhere; this machine is the place to open it from.
  if (host === '0.0.0.0' || host === '::') return DEFAULT_DASHBOARD_HOST;
  return isIP(host) === 6 ? `[${host}]` : host;
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const assets = loadPage();
  const state = new DashboardState(options.miner, options.source);
  const streams = new Set<ServerResponse>();
  // Bound to this machine only, a page on some other site could still reach the server through a
  // DNS name that points here (DNS rebinding): answer only requests addressed to this machine.
  const loopbackOnly = options.host === DEFAULT_DASHBOARD_HOST || options.host === 'localhost' || options.host === '::1';

  const send = (response: ServerResponse, status: number, type: string, body: string | Buffer) => {
    response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY_HEADERS });
    response.end(body);
  };
  const sendJson = (response: ServerResponse, status: number, value: unknown) => send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
  const event = (response: ServerResponse, name: string, data: unknown) => response.write(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`);

  const onStatus = (status: unknown) => streams.forEach((response) => event(response, 'status', status));
  const onFound = (find: unknown) => streams.forEach((response) => event(response, 'found', find));
  state.on('status', onStatus);
  state.on('found', onFound);

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://dashboard');
    if (loopbackOnly && !LOOPBACK_NAMES.has((request.headers.host ?? '').replace(/:\d+$/, ''))) return sendJson(response, 403, { error: 'this dashboard answers only requests addressed to this machine' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return sendJson(response, 405, { error: `${request.method} is not allowed` });
    }
    if (url.pathname === '/api/status') return sendJson(response, 200, state.status(true));
    if (url.pathname === '/api/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS });
      response.write(`retry: ${RECONNECT_MS}\n\n`);
      event(response, 'status', state.status(true));
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    if (url.pathname === '/api/explain') {
      try {
        const explanation = explainHeader(headerBytesFromHex(url.searchParams.get('header') ?? ''));
        const { hashrate } = state.status();
        return sendJson(response, 200, { ...explanation, atHashrate: hashrate > 0 ? timeAtHashrate(explanation, hashrate) : null });
      } catch (error) {
        if (error instanceof PowlabError) return sendJson(response, 400, { error: error.message });
        throw error;
      }
    }
    const asset = assets.get(url.pathname);
    if (asset) return send(response, 200, asset.type, asset.body);
    sendJson(response, 404, { error: `no such page: ${url.pathname}` });
  };

  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      sendJson(response, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    state.stop();
    throw listenError(error as NodeJS.ErrnoException, options.host, options.port);
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;

  return {
    url: `http://${urlHost(options.host)}:${port}/`,
    state,
    close: async () => {
      const final = state.stop();
      for (const response of streams) {
        event(response, 'end', final);
        response.end();
      }
      streams.clear();
      state.off('status', onStatus);
      state.off('found', onFound);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): PowlabError {
  switch (error.code) {
    case 'EADDRINUSE':
      return Errors.network(`--port: ${host}:${port} is in use (choose another, or --port 0 for any free port)`);
    case 'EACCES':
      return Errors.network(`--port: not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return Errors.badOption('host', `cannot listen on ${host}: no such address on this machine`);
    default:
      return Errors.network(`the dashboard cannot listen on ${host}:${port}: ${error.message}`);
  }
}
