/**
 * The pool's page port, on the dashboard's server stack: the page's files, GET /api/pool (the
 * snapshot, with `?worker=NAME` to keep that miner's rows in), Server-Sent Events on /api/events,
 * and the WebSocket endpoint's upgrades. It answers only requests addressed to this machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../errors.js';
import {
  addScripts,
  eventFrame,
  EventStreams,
  hostCheck,
  listen,
  loadPage,
  PAGE_HEADERS,
  send,
  sendJson,
  type Site,
} from '../web/http.js';
import type { WebSocketEndpoint } from './listeners.js';
import type { PoolSnapshot } from './snapshot.js';

const POOL_PAGE: Site = {
  dir: fileURLToPath(new URL('./page/', import.meta.url)),
  what: 'the pool page',
  headers: PAGE_HEADERS,
};
/** What the page port serves: the pool page, copied beside this module at build time (or `WEB_APP`, from web/static.ts). */
const SERVED: Site = POOL_PAGE;
/** The number formats the terminal uses, served to the page as built (as the dashboard serves them). */
const FORMAT_DIR = fileURLToPath(new URL('../format/', import.meta.url));

export interface PageServerOptions {
  host: string;
  port: number;
  snapshot: (nowMs: number, viewer?: string) => PoolSnapshot;
  streams: EventStreams;
  websockets: WebSocketEndpoint;
  warn: (message: string) => void;
}

/** Listen on the page port; resolves with the server and the port it got. */
export async function servePoolPage(options: PageServerOptions): Promise<{ server: Server; port: number }> {
  const assets = loadPage(SERVED.dir, SERVED.what);
  // Run from the sources (the tests), this folder holds TypeScript, which no browser is given.
  addScripts(assets, FORMAT_DIR, '/format/');
  const addressedHere = hostCheck(options.host);
  const answer = (request: IncomingMessage, response: ServerResponse) => {
    const [path, query] = (request.url ?? '/').split('?');
    if (path === '/api/pool') {
      const viewer = new URLSearchParams(query ?? '').get('worker') ?? undefined;
      return sendJson(response, 200, options.snapshot(Date.now(), viewer));
    }
    if (path === '/api/events')
      return options.streams.add(
        response,
        eventFrame('status', options.snapshot(Date.now())),
        request.method === 'HEAD',
      );
    const asset = assets.get(path);
    if (asset) return send(response, 200, asset.type, asset.body, SERVED.headers);
    sendJson(response, 404, { error: 'no such page' });
  };
  const server = createServer((request, response) => {
    if (!addressedHere(request.headers.host))
      return sendJson(response, 403, { error: 'this pool page answers only requests addressed to this machine' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return sendJson(response, 405, { error: `${request.method} is not allowed` });
    }
    try {
      answer(request, response);
    } catch (error) {
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { error: errorMessage(error) });
    }
  });
  server.on('upgrade', (request, socket, head) => options.websockets.upgrade(request, socket, head));
  const port = await listen(server, options.host, options.port, 'the pool page', 'page-port');
  server.on('error', (error) => options.warn(`the pool page: ${error.message}`));
  return { server, port };
}
