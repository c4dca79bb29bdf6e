/**
 * A JSON-RPC client for a Bitcoin node (Bitcoin Core, bcoin) over HTTP with basic auth. The node is
 * untrusted input like any peer: answers are size-capped, time-limited and checked for shape before
 * anything reads them. Credentials go into one header and nowhere else: never into a message, a
 * log line or an error.
 */
import http from 'node:http';
import https from 'node:https';
import { Errors, PowlabError, errorMessage } from '../../errors.js';
import { describeFsError, readSmallRegularFile } from '../../storage/durable.js';
import { printable } from '../printable.js';

/**
 * The largest answer a node gives is a full template: at most 4 MB of transactions (4,000,000 weight),
 * 8 MB as hex, and about 250 bytes of JSON (txid, hash, fee, sigops, weight) for each of the at most
 * 16,633 transactions that fit: some 12 MB. A little over that is all the memory a node can make us spend.
 */
const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;
const DEFAULT_TIMEOUT_MS = 30_000;

export type RpcCredentials = { user: string; password: string } | { cookieFile: string };

export interface RpcClientOptions {
  url: string;
  credentials?: RpcCredentials;
  timeoutMs?: number;
  maxResponseBytes?: number;
}

export interface CallOptions {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The node understood the call and answered with an error object. */
export class NodeRpcError extends PowlabError {
  constructor(
    readonly method: string,
    readonly rpcCode: number,
    readonly rpcMessage: string,
  ) {
    super(`the node answered ${method} with error ${rpcCode}: ${rpcMessage}`, 'ERR_RPC', 3);
    this.name = 'NodeRpcError';
  }
}

/** Core's codes for "ask again soon": warming up after a start (-28), no peers (-9), catching up (-10). */
const NOT_READY_CODES = new Set([-28, -9, -10]);

/** Worth trying again after a pause: the node is down, restarting, overloaded or not ready yet. */
export function isRetryable(error: unknown): boolean {
  if (error instanceof NodeRpcError) return NOT_READY_CODES.has(error.rpcCode);
  return error instanceof PowlabError && error.code === 'ERR_NETWORK';
}

/** The URL as it may be shown: scheme, host, port, path; never a user name or password. */
function displayUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/** Parse --rpc: http(s) only; a user:password inside the URL is taken as the credentials. */
export function parseRpcUrl(text: string): { url: URL; credentials?: RpcCredentials } {
  let url: URL;
  try {
    url = new URL(text.includes('://') ? text : `http://${text}`);
  } catch {
    throw Errors.badOption('rpc', 'not a URL (expected http://HOST:PORT)');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw Errors.badOption('rpc', `must be an http:// or https:// URL, got ${url.protocol}//`);
  if (url.search || url.hash) throw Errors.badOption('rpc', 'must not carry a query or fragment');
  let credentials: RpcCredentials | undefined;
  try {
    credentials =
      url.username || url.password
        ? { user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) }
        : undefined;
  } catch {
    throw Errors.badOption(
      'rpc',
      'the user name or password in the URL is not valid percent-encoding (or pass --rpc-user and --rpc-password)',
    );
  }
  url.username = '';
  url.password = '';
  return { url, credentials };
}

/** A cookie is `__cookie__:` and 64 hex digits; a file far larger is not one. */
const MAX_COOKIE_BYTES = 1024;

/**
 * Bitcoin Core's cookie file: one line `__cookie__:<password>`, rewritten at every node start. Only
 * a small regular file is read: a FIFO would block for ever and /dev/zero never ends.
 */
function readCookie(file: string): { user: string; password: string } {
  let text: string;
  try {
    text = new TextDecoder().decode(readSmallRegularFile(file, MAX_COOKIE_BYTES));
  } catch (error) {
    throw cookieError(file, error);
  }
  const line = text.split(/\r?\n/)[0];
  const colon = line.indexOf(':');
  if (colon <= 0 || colon === line.length - 1)
    throw Errors.auth(`the cookie file ${file} is not in the user:password form`);
  return { user: line.slice(0, colon), password: line.slice(colon + 1) };
}

function cookieError(file: string, error: unknown): PowlabError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOTREGULAR' || code === 'ETOOBIG')
    return Errors.badOption('rpc-cookie', `${errorMessage(error)}; give the node's .cookie file`);
  // Core deletes its cookie when it stops: a missing cookie usually means a node not (yet) running.
  if (code === 'ENOENT') return Errors.network(`cookie file ${file} does not exist (is the node running?)`);
  return Errors.auth(`cannot read the cookie file ${file}: ${describeFsError(error)}`);
}

/** Refuse at once a cookie path that can never be a cookie; a missing one may yet appear when the node starts. */
function checkCookieFile(file: string): void {
  try {
    readCookie(file);
  } catch (error) {
    if (error instanceof PowlabError && error.code === 'ERR_BAD_OPTION') throw error;
  }
}

function describeRequestError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'ECONNRESET':
      return 'connection reset';
    case 'EPIPE':
      return 'connection closed';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'host unreachable';
    default:
      return error.code ?? error.message;
  }
}

export class RpcClient {
  readonly url: URL;
  /** The URL as it may be printed. */
  readonly display: string;
  private readonly credentials?: RpcCredentials;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;
  // A fresh connection per call: a kept-alive socket the node closed in between fails the next call for nothing.
  private readonly agent: http.Agent;
  private nextId = 1;

  constructor(options: RpcClientOptions) {
    const parsed = parseRpcUrl(options.url);
    this.url = parsed.url;
    this.display = displayUrl(this.url);
    this.credentials = options.credentials ?? parsed.credentials;
    if (this.credentials && 'cookieFile' in this.credentials) checkCookieFile(this.credentials.cookieFile);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
    this.agent =
      this.url.protocol === 'https:' ? new https.Agent({ keepAlive: false }) : new http.Agent({ keepAlive: false });
  }

  /** Call a method; resolves with its `result`, rejects with a PowlabError (or the signal's reason when aborted). */
  async call(method: string, params: unknown[] = [], options: CallOptions = {}): Promise<unknown> {
    const id = this.nextId++;
    const body = Buffer.from(JSON.stringify({ jsonrpc: '1.0', id, method, params }));
    const { status, text } = await this.post(body, options);
    if (status === 401)
      throw Errors.auth(
        `authentication failed: the node at ${this.display} refused the RPC credentials (HTTP 401); check --rpc-user/--rpc-password or --rpc-cookie`,
      );
    if (status === 403)
      throw Errors.auth(`authentication failed: the node at ${this.display} forbids RPC from this address (HTTP 403)`);
    let answer: unknown;
    try {
      answer = JSON.parse(text);
    } catch {
      // Core answers an overloaded work queue with a bare 503, a proxy might with 502: transient.
      if (status >= 500) throw Errors.network(`the node at ${this.display} answered HTTP ${status}`);
      throw Errors.badData(`the node's answer to ${method}`, `HTTP ${status}, not JSON`);
    }
    if (
      typeof answer !== 'object' ||
      answer === null ||
      Array.isArray(answer) ||
      !('result' in answer || 'error' in answer)
    ) {
      throw Errors.badData(`the node's answer to ${method}`, 'not a JSON-RPC response object');
    }
    const { result, error, id: answerId } = answer as { result?: unknown; error?: unknown; id?: unknown };
    if (answerId !== undefined && answerId !== null && answerId !== id)
      throw Errors.badData(
        `the node's answer to ${method}`,
        `id ${JSON.stringify(answerId)} is not the request's ${id}`,
      );
    if (error !== undefined && error !== null) {
      const { code, message } = error as { code?: unknown; message?: unknown };
      if (typeof code !== 'number' || !Number.isInteger(code) || typeof message !== 'string') {
        throw Errors.badData(`the node's answer to ${method}`, 'an error without a numeric code and a message');
      }
      throw new NodeRpcError(method, code, printable(message));
    }
    if (status !== 200)
      throw Errors.badData(`the node's answer to ${method}`, `HTTP ${status} without an error object`);
    if (result === undefined)
      throw Errors.badData(`the node's answer to ${method}`, 'has neither a result nor an error');
    return result;
  }

  /** Drop any open connection (a pending long poll included). */
  close(): void {
    this.agent.destroy();
  }

  private authorization(): string | undefined {
    const credentials = this.credentials;
    if (!credentials) return undefined;
    const { user, password } = 'cookieFile' in credentials ? readCookie(credentials.cookieFile) : credentials;
    return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  }

  private post(body: Buffer, options: CallOptions): Promise<{ status: number; text: string }> {
    const timeoutMs = options.timeoutMs ?? this.timeoutMs;
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(asError(signal.reason));
    const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json', 'content-length': body.length };
    const authorization = this.authorization();
    if (authorization) headers.authorization = authorization;
    const transport = this.url.protocol === 'https:' ? https : http;

    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (error: unknown, value?: { status: number; text: string }) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          request.destroy();
          reject(asError(error));
        } else resolve(value!);
      };
      const request = transport.request(this.url, { method: 'POST', headers, agent: this.agent }, (response) => {
        const status = response.statusCode ?? 0;
        const declared = Number(response.headers['content-length']);
        if (declared > this.maxResponseBytes) {
          finish(
            Errors.badData(
              `the node's answer`,
              `${declared} bytes is more than the ${this.maxResponseBytes}-byte limit`,
            ),
          );
          return;
        }
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxResponseBytes)
            finish(Errors.badData(`the node's answer`, `more than the ${this.maxResponseBytes}-byte limit`));
          else chunks.push(chunk);
        });
        response.on('end', () => finish(undefined, { status, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error: NodeJS.ErrnoException) =>
          finish(Errors.network(`the node at ${this.display} broke off its answer (${describeRequestError(error)})`)),
        );
        response.on('aborted', () => finish(Errors.network(`the node at ${this.display} broke off its answer`)));
      });
      const timer = setTimeout(
        () =>
          finish(Errors.network(`the node at ${this.display} did not answer within ${Math.round(timeoutMs / 1000)} s`)),
        timeoutMs,
      );
      const onAbort = () => finish(signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('error', (error: NodeJS.ErrnoException) =>
        finish(Errors.network(`cannot reach the node at ${this.display}: ${describeRequestError(error)}`)),
      );
      request.end(body);
    });
  }
}

/** A rejection is an Error, whatever an abort signal or a socket gave as its reason. */
function asError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
