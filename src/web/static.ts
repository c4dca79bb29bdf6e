/**
 * `powlab serve`'s server: the web app's files from dist/app, read once at start, and nothing else.
 * It sends the cross-origin isolation headers itself (the page's service worker is then not needed)
 * and, like the dashboard, listens on this machine and answers only requests addressed to it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Errors } from '../errors.js';
import { hostCheck, isLoopbackHost, listen, listeningAt, type Listening } from './http.js';

/** Built by npm run build (scripts/build-web.mjs) into dist/app/, beside this module's dist/web/. */
export const WEB_APP_DIR = fileURLToPath(new URL('../app/', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const HEADERS = {
  // Its own files only; WebAssembly compiled from them; downloads made in the page (blob:).
  'content-security-policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' data: blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export interface StaticServer {
  /** The first of `listening.urls`: localhost for a wildcard host. */
  url: string;
  listening: Listening;
  close(): Promise<void>;
}

export type WebAppFiles = Map<string, { body: Buffer; type: string }>;

/** The app's files by the path they are served at, read once; `powlab pool` serves them too, as its page. */
export function loadWebApp(dir = WEB_APP_DIR): WebAppFiles {
  const files = new Map<string, { body: Buffer; type: string }>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw Errors.badData('web app', `its files are missing from ${dir} (build them with npm run build)`);
  }
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) files.set(`/${name}`, { body: readFileSync(join(dir, name)), type });
  }
  if (!files.has('/index.html'))
    throw Errors.badData('web app', `${dir} has no index.html (build it with npm run build)`);
  return files;
}

/** One of the app's files (or an answer in words), with the headers that isolate the page, and `extra`. */
export function sendWebAppFile(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  head: boolean,
  extra: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': type,
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-cache',
    ...HEADERS,
    ...extra,
  });
  response.end(head ? undefined : body);
}

export async function serveWebApp(options: {
  host: string;
  port: number;
  dir?: string;
  warn: (message: string) => void;
}): Promise<StaticServer> {
  const files = loadWebApp(options.dir);
  const addressedHere = hostCheck(options.host);
  const send = sendWebAppFile;
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    const head = request.method === 'HEAD';
    if (!addressedHere(request.headers.host))
      return send(
        response,
        403,
        'text/plain; charset=utf-8',
        'this server answers only requests addressed to this machine\n',
        head,
      );
    if (request.method !== 'GET' && !head) {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, 'text/plain; charset=utf-8', `${request.method} is not allowed\n`, false);
    }
    let path: string;
    try {
      path = new URL(request.url ?? '/', 'http://app').pathname;
    } catch {
      return send(response, 400, 'text/plain; charset=utf-8', 'not a path\n', head);
    }
    const file = files.get(path === '/' ? '/index.html' : path);
    if (!file) return send(response, 404, 'text/plain; charset=utf-8', `no such file: ${path}\n`, head);
    send(response, 200, file.type, file.body, head);
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
