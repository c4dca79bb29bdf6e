/**
 * The dashboard's web server, on node:http: the page (every asset from this package, nothing from a
 * CDN), GET /api/status, Server-Sent Events on /api/events (status, found, chain, end), and
 * /api/explain for one header.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { HEADER_BYTES, headerBytesFromHex } from '../core/header.js';
import { PowlabError } from '../errors.js';
import { explainHeader, timeAtHashrate } from '../explain/header.js';
import {
  answeringErrors,
  eventFrame,
  EventStreams,
  hostCheck,
  isLoopbackHost,
  listen,
  loadPage,
  refusedMethod,
  send,
  sendJson,
  urlHost,
} from '../web/http.js';
import type { MiningView } from './state.js';
import { DashboardState, type DashboardSource } from './state.js';

export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';
export const DEFAULT_DASHBOARD_PORT = 8420;

/**
 * The page as scripts/build-web.mjs bundles it (src/ui/dashboard, the terminal's number formats
 * included) into dist/dashboard/page/. The same path from this module in dist/ (the CLI) and in src/
 * (the tests): both sit two folders below the package's root.
 */
const PAGE_DIR = fileURLToPath(new URL('../../dist/dashboard/page/', import.meta.url));

export interface DashboardOptions {
  host: string;
  port: number;
  /** The run: its stats, its records and its finds. */
  session: MiningView;
  source: DashboardSource;
  /** One line for the user: the dashboard is reachable from the network, or the server failed after it started. */
  warn: (message: string) => void;
  /** How long the pages get, at the end, to take in the last snapshot (default: EventStreams.endAll's, 500 ms). */
  endGraceMs?: number;
}

export interface Dashboard {
  url: string;
  state: DashboardState;
  /** Tell the pages the run is over, end their streams and stop listening. */
  close(): Promise<void>;
}

export async function startDashboard(options: DashboardOptions): Promise<Dashboard> {
  const assets = loadPage(PAGE_DIR, 'dashboard');
  const state = new DashboardState(options.session, options.source);
  const streams = new EventStreams();
  const addressedHere = hostCheck(options.host);

  const onStatus = (status: unknown) => streams.broadcast(eventFrame('status', status));
  const onFound = (find: unknown) => streams.broadcast(eventFrame('found', find));
  const onChain = (chain: unknown) => streams.broadcast(eventFrame('chain', chain));
  state.on('status', onStatus);
  state.on('found', onFound);
  state.on('chain', onChain);

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (!addressedHere(request.headers.host))
      return sendJson(response, 403, { error: 'this dashboard answers only requests addressed to this machine' });
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://dashboard');
    } catch {
      return sendJson(response, 400, { error: `not a path: ${request.url}` });
    }
    if (refusedMethod(request, response)) return;
    if (url.pathname === '/api/status') return sendJson(response, 200, state.status(true));
    if (url.pathname === '/api/events')
      return streams.add(response, eventFrame('status', state.status(true)), request.method === 'HEAD');
    if (url.pathname === '/api/explain') {
      const hex = url.searchParams.get('header') ?? '';
      if (hex.length !== HEADER_BYTES * 2)
        return sendJson(response, 400, {
          error: `header must be ${HEADER_BYTES} bytes (${HEADER_BYTES * 2} hex digits), got ${hex.length} characters`,
        });
      try {
        const explanation = explainHeader(headerBytesFromHex(hex));
        const { hashrate } = state.status();
        return sendJson(response, 200, {
          ...explanation,
          atHashrate: hashrate > 0 ? timeAtHashrate(explanation, hashrate) : null,
        });
      } catch (error) {
        if (error instanceof PowlabError) return sendJson(response, 400, { error: error.message });
        throw error;
      }
    }
    const asset = assets.get(url.pathname);
    if (asset) return send(response, 200, asset.type, asset.body);
    sendJson(response, 404, { error: `no such page: ${url.pathname}` });
  };

  const server = createServer(answeringErrors(handle));
  let port: number;
  try {
    port = await listen(server, options.host, options.port, 'the dashboard');
  } catch (error) {
    state.stop();
    throw error;
  }
  // Mining goes on whatever befalls the dashboard after it started.
  server.on('error', (error) => options.warn(`the dashboard: ${error.message}`));
  if (!isLoopbackHost(options.host))
    options.warn(
      `the dashboard listens on ${options.host}: anyone who can reach port ${port} from the network can read it`,
    );

  return {
    url: `http://${urlHost(options.host, DEFAULT_DASHBOARD_HOST)}:${port}/`,
    state,
    close: async () => {
      // The last snapshot goes out once, as the end, to every page however far behind it is.
      state.off('status', onStatus);
      state.off('found', onFound);
      state.off('chain', onChain);
      const final = eventFrame('end', state.stop());
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await streams.endAll(final, options.endGraceMs);
      server.closeAllConnections();
      await closed;
    },
  };
}
