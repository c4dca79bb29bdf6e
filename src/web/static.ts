/**
 * `powlab serve`'s server: the web app's files from dist/app, read once at start, and nothing else,
 * through the one static file server (http.ts). It sends the cross-origin isolation headers itself
 * (the page's service worker is then not needed) and, like the dashboard, listens on this machine
 * and answers only requests addressed to it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { hostCheck, isLoopbackHost, listen, listeningAt, loadPage, send, type Listening, type Site } from './http.js';

/** The web app: built by npm run build (scripts/build-web.mjs) into dist/app/, beside this module's dist/web/. */
export const WEB_APP: Site = {
  dir: fileURLToPath(new URL('../app/', import.meta.url)),
  what: 'web app',
  headers: {
    'cache-control': 'no-cache',
    // Its own files only; WebAssembly compiled from them; downloads made in the page (blob:).
    'content-security-policy':
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-embedder-policy': 'require-corp',
    'cross-origin-resource-policy': 'same-origin',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  },
};

const TEXT = 'text/plain; charset=utf-8';

export interface StaticServer {
  /** The first of `listening.urls`: localhost for a wildcard host. */
  url: string;
  listening: Listening;
  close(): Promise<void>;
}

export async function serveWebApp(options: {
  host: string;
  port: number;
  dir?: string;
  warn: (message: string) => void;
}): Promise<StaticServer> {
  const site = { ...WEB_APP, dir: options.dir ?? WEB_APP.dir };
  const files = loadPage(site.dir, site.what);
  const addressedHere = hostCheck(options.host);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const head = request.method === 'HEAD';
    const answer = (status: number, type: string, body: string | Buffer) =>
      send(response, status, type, body, site.headers, head);
    if (!addressedHere(request.headers.host))
      return answer(403, TEXT, 'this server answers only requests addressed to this machine\n');
    if (request.method !== 'GET' && !head) {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, TEXT, `${request.method} is not allowed\n`, site.headers);
    }
    let path: string;
    try {
      path = new URL(request.url ?? '/', 'http://app').pathname;
    } catch {
      return answer(400, TEXT, 'not a path\n');
    }
    const file = files.get(path);
    if (!file) return answer(404, TEXT, `no such file: ${path}\n`);
    answer(200, file.type, file.body);
  };
  const server = createServer(handle);
  const port = await listen(server, options.host, options.port, 'powlab serve');
  server.on('error', (error) => options.warn(`the web server: ${error.message}`));
  const listening = listeningAt(options.host, port);
  if (!isLoopbackHost(options.host))
    options.warn(
      `serving on ${listening.everyInterface ? `every interface (${options.host})` : options.host}: anyone who can reach port ${port} from the network can open the app`,
    );
  return {
    url: listening.urls[0].url,
    listening,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
