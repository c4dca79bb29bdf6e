/**
 * What powlab's local web servers (the mining dashboard, the pool page, `powlab serve`'s web app)
 * share, on node:http: the one static file server (a page's files from this package, read once at
 * start, served with its headers), the Host check against DNS rebinding, JSON answers, Server-Sent
 * Event streams that drop a reader who stops reading, and listening with errors a person can act on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BlockList, isIP, type Server } from 'node:net';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import { extname, join } from 'node:path';
import { errorMessage, Errors, type PowlabError } from '../errors.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
};
const SECURITY_HEADERS = {
  // Only this server's own assets: the page works offline and nothing it shows leaves the machine.
  'content-security-policy':
    "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};
/** Names that always mean this machine; addresses are judged by LOOPBACK_ADDRESSES. */
const LOOPBACK_NAMES = new Set(['localhost']);
const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');
/** The browser reconnects this long after the stream drops: a page left open picks up the next run. */
const RECONNECT_MS = 2000;
/** A page that stops reading (a laptop asleep) is dropped once this much still waits for it, rather than buffered without end. */
const MAX_QUEUED_BYTES = 1 << 20;

export interface Asset {
  body: Buffer;
  type: string;
}

/** A folder of page files a server serves, and the headers its answers carry. */
export interface Site {
  dir: string;
  /** The page's name in errors. */
  what: string;
  headers: Readonly<Record<string, string>>;
}

/** Every file in `dir` of a type a page uses, by the path it is served at (index.html at / too); `what` names the page in errors. */
export function loadPage(dir: string, what: string): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    throw Errors.badData(what, `its page is missing from ${dir} (rebuild with npm run build)`);
  }
  for (const name of names) {
    const type = CONTENT_TYPES[extname(name)];
    if (type) assets.set(`/${name}`, { body: readFileSync(join(dir, name)), type });
  }
  const index = assets.get('/index.html');
  if (!index) throw Errors.badData(what, `${dir} has no index.html (rebuild with npm run build)`);
  assets.set('/', index);
  return assets;
}

/** A host name or address without the brackets of an IPv6 literal, in lower case. */
function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** Whether listening on `host` keeps the server to this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = bare(host);
  const family = isIP(name);
  return family === 0 ? LOOPBACK_NAMES.has(name) : LOOPBACK_ADDRESSES.check(name, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * A web page elsewhere could reach the server through a DNS name of its own that points here (DNS
 * rebinding): answer only requests addressed by IP, by a loopback name, by the name we listen on, or
 * by a name the operator gives (`otherNames`).
 */
export function hostCheck(
  listeningHost: string,
  otherNames: string[] = [],
): (hostHeader: string | undefined) => boolean {
  const names = new Set([bare(listeningHost), ...otherNames.map(bare)]);
  return (header) => {
    if (header === undefined) return false;
    const name = bare(header.replace(/:\d*$/, ''));
    return isIP(name) !== 0 || LOOPBACK_NAMES.has(name) || names.has(name);
  };
}

/** The address to print for a server listening on `host`. */
export function urlHost(host: string, fallback = '127.0.0.1'): string {
  // A wildcard address listens everywhere; this machine is the place to open it from.
  if (host === '0.0.0.0' || host === '::') return fallback;
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** An address a browser can open a server at; `loopback`: this machine only, which a browser counts as a secure context. */
export interface ServerUrl {
  url: string;
  loopback: boolean;
}

/** Where a server is listening, as a person can use it. */
export interface Listening {
  host: string;
  port: number;
  /** A wildcard host (0.0.0.0, ::): every interface of this machine. */
  everyInterface: boolean;
  /** For a wildcard, localhost first and then each network address of this machine; else the host itself. */
  urls: ServerUrl[];
}

/**
 * The URLs a server listening on `host`:`port` answers at. 0.0.0.0 listens on every IPv4 interface and
 * :: on every interface of both families; neither is an address a browser can open, so the machine's
 * own addresses stand in for them (IPv6 link-local ones left out: they need a zone a URL cannot carry).
 */
export function listeningAt(
  host: string,
  port: number,
  interfaces: NodeJS.Dict<NetworkInterfaceInfo[]> = networkInterfaces(),
): Listening {
  const name = bare(host);
  const at = (address: string) => `http://${isIP(address) === 6 ? `[${address}]` : address}:${port}/`;
  if (name !== '0.0.0.0' && name !== '::')
    return { host, port, everyInterface: false, urls: [{ url: at(name), loopback: isLoopbackHost(name) }] };
  const families = name === '::' ? ['IPv4', 'IPv6'] : ['IPv4'];
  const external = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((info) => !info.internal && families.includes(info.family) && !(info.family === 'IPv6' && info.scopeid))
    .map((info) => ({ url: at(info.address), loopback: false }));
  return { host, port, everyInterface: true, urls: [{ url: at('localhost'), loopback: true }, ...external] };
}

/** The headers every page's answers carry unless its server names others (as the web app does). */
export const PAGE_HEADERS: Readonly<Record<string, string>> = { 'cache-control': 'no-store', ...SECURITY_HEADERS };

/** An answer with `headers`; to HEAD (`headOnly`), the same headers without the body. */
export function send(
  response: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers = PAGE_HEADERS,
  headOnly = false,
): void {
  response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), ...headers });
  response.end(headOnly ? undefined : body);
}

export function sendJson(response: ServerResponse, status: number, value: unknown): void {
  send(response, status, 'application/json; charset=utf-8', `${JSON.stringify(value)}\n`);
}

/**
 * `handle` as a server's request listener: what it throws is answered with 500, or, once a response
 * has begun (a stream's status is sent), the response is cut.
 */
export function answeringErrors(
  handle: (request: IncomingMessage, response: ServerResponse) => void,
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { error: errorMessage(error) });
    }
  };
}

/**
 * Answer any method but GET and HEAD with 405 and the methods allowed, then close the connection:
 * Node would read the unread body to keep it alive, and a body can be endless. True when it answered.
 */
export function refusedMethod(request: IncomingMessage, response: ServerResponse): boolean {
  if (request.method === 'GET' || request.method === 'HEAD') return false;
  response.setHeader('allow', 'GET, HEAD');
  response.setHeader('connection', 'close');
  response.on('finish', () => {
    if (!request.complete) request.socket.destroy();
  });
  sendJson(response, 405, { error: `${request.method} is not allowed` });
  return true;
}

export const eventFrame = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** At the end, the pages get this long to receive the last snapshot before their connections are cut. */
const END_GRACE_MS = 500;

/** The open Server-Sent Event streams of one server. */
export class EventStreams {
  readonly open = new Set<ServerResponse>();

  /** Begin a stream on `response` with its first frame; HEAD gets the headers only. */
  add(response: ServerResponse, first: string, headOnly: boolean): void {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      ...PAGE_HEADERS,
    });
    if (headOnly) {
      response.end();
      return;
    }
    response.write(`retry: ${RECONNECT_MS}\n\n${first}`);
    this.open.add(response);
    response.on('close', () => this.open.delete(response));
  }

  broadcast(frame: string): void {
    for (const response of this.open) {
      if (response.writableLength > MAX_QUEUED_BYTES) {
        this.open.delete(response);
        response.destroy();
      } else {
        response.write(frame);
      }
    }
  }

  /**
   * End every stream with `last`, however far behind a page is, giving the pages `graceMs` in all to
   * take it in: a page that stopped reading cannot hold the server open.
   */
  async endAll(last: string, graceMs = END_GRACE_MS): Promise<void> {
    const open = [...this.open];
    this.open.clear();
    const delivered = Promise.all(
      open.map(
        (response) =>
          new Promise((resolve) => {
            response.once('finish', resolve);
            response.once('close', resolve);
            response.end(last);
          }),
      ),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([delivered, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
    clearTimeout(timer);
  }
}

/** Listen, or fail with a line that says what to change, naming `--${option}`, the flag that chose the port. */
export async function listen(
  server: Server,
  host: string,
  port: number,
  what: string,
  option = 'port',
): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, host, port, what, option);
  }
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

export function listenError(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
  what: string,
  option = 'port',
): PowlabError {
  switch (error.code) {
    case 'EADDRINUSE':
      return Errors.network(
        `--${option}: ${host}:${port} is in use (choose another, or --${option} 0 for any free port)`,
      );
    case 'EACCES':
      return Errors.network(`--${option}: not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return Errors.badOption('host', `cannot listen on ${host}: no such address on this machine`);
    default:
      return Errors.network(`${what} cannot listen on ${host}:${port}: ${error.message}`);
  }
}
