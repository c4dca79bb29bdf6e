/**
 * The pool's page port, on the dashboard's server stack: the page's files, GET /api/pool (the
 * snapshot, with `?worker=NAME` to keep that miner's rows in), Server-Sent Events on /api/events,
 * and the WebSocket endpoint's upgrades. It answers only requests addressed to this machine.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import {
  answeringErrors,
  eventFrame,
  EventStreams,
  hostCheck,
  listen,
  loadPage,
  refusedMethod,
  send,
  sendJson,
} from '../web/http.js';
import { WEB_APP } from '../web/static.js';
import type { WebSocketEndpoint } from './listeners.js';
import type { PoolSnapshot } from './api.js';

/** Tells the web app that a pool serves it (src/ui/app/controller.ts): it then shows the board and can join. */
const POOL_PAGE_HEADERS = { ...WEB_APP.headers, 'x-powlab-pool': '1' };

export interface PageServerOptions {
  host: string;
  /** Names students open the page by besides its addresses (`--page-name`). */
  pageNames: string[];
  port: number;
  snapshot: (nowMs: number, viewer?: string) => PoolSnapshot;
  streams: EventStreams;
  websockets: WebSocketEndpoint;
  warn: (message: string) => void;
}

/** Listen on the page port; resolves with the server and the port it got. */
export async function servePoolPage(options: PageServerOptions): Promise<{ server: Server; port: number }> {
  // The web app is the pool's page: it shows the board, and joins the pool from ?join=NAME.
  const assets = loadPage(WEB_APP.dir, WEB_APP.what);
  const addressedHere = hostCheck(options.host, options.pageNames);
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
    if (asset) return send(response, 200, asset.type, asset.body, POOL_PAGE_HEADERS, request.method === 'HEAD');
    sendJson(response, 404, { error: 'no such page' });
  };
  const server = createServer(
    answeringErrors((request, response) => {
      if (!addressedHere(request.headers.host))
        return sendJson(response, 403, { error: 'this pool page answers only requests addressed to this machine' });
      if (refusedMethod(request, response)) return;
      answer(request, response);
    }),
  );
  server.on('upgrade', (request, socket, head) => options.websockets.upgrade(request, socket, head));
  const port = await listen(server, options.host, options.port, 'the pool page', 'page-port');
  server.on('error', (error) => options.warn(`the pool page: ${error.message}`));
  return { server, port };
}
