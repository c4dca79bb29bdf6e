/**
 * The pool's two doors for miners: Stratum over TCP (node:net) and Stratum over WebSocket (ws), each
 * turning its transport into the same calls: bytes as they arrive (every one counts against the
 * peer's budget, before any splitting), then lines. A TCP line is capped in length; a WebSocket
 * message is capped at the same length and may carry one line or several.
 *
 * A WebSocket is taken only when addressed to this machine (Host), and from the pool's own page,
 * from an origin the teacher named, or from a program (no Origin): any other page a student has
 * open could otherwise mine in their name, or flood the pool.
 */
import { STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { printable } from '../sources/printable.js';
import { LineBuffer } from '../stratum/lines.js';
import { hostCheck } from '../web/http.js';
import type { PoolLimits } from './rules.js';

/** The WebSocket endpoint browser miners connect to. */
export const WEBSOCKET_PATH = '/stratum';

/** How a peer's transport is written to and ended. */
export interface PeerIo {
  /** False once more waits to be sent than the peer may hold. */
  write(text: string): boolean;
  end(): void;
}

/** One peer as the pool keeps it: what its transport hands over, and how it is closed. */
export interface PeerHandle {
  readonly open: boolean;
  bytes(count: number): void;
  line(text: string): void;
  close(reason: string): void;
}

/** Where the listeners take their peers. */
export interface PeerSink {
  /** Room for one more peer from `address`? Undefined when there is; else why not. */
  admit(address: string, kind: string): string | undefined;
  /** `browser`: it came over the WebSocket endpoint, so a student's browser. */
  open(name: string, address: string, io: PeerIo, browser: boolean): PeerHandle;
  refused(peer: string, reason: string): void;
}

/** A Stratum TCP connection into the sink: lines capped at `maxLineBytes`, reading paused while the peer does not read. */
export function stratumOverTcp(sink: PeerSink, limits: PoolLimits): (socket: Socket) => void {
  return (socket) => {
    const address = socket.remoteAddress ?? 'unknown';
    const name = `${address}:${socket.remotePort ?? 0}`;
    const refusal = sink.admit(address, 'Stratum');
    if (refusal) {
      sink.refused(name, refusal);
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const lines = new LineBuffer(limits.maxLineBytes);
    const peer = sink.open(
      name,
      address,
      {
        write: (text) => {
          socket.write(text);
          if (socket.writableLength > limits.maxOutputBytes) return false;
          // Backpressure: a peer that does not read gets nothing more read from it either.
          if (socket.writableLength > limits.maxOutputBytes / 2) socket.pause();
          return true;
        },
        end: () => socket.destroy(),
      },
      false,
    );
    socket.on('drain', () => socket.resume());
    socket.on('data', (chunk: Buffer) => {
      peer.bytes(chunk.length);
      for (const line of lines.push(chunk)) {
        if (!peer.open) return;
        peer.line(line);
      }
      if (lines.overflowed && peer.open) peer.close(`sent a line longer than ${limits.maxLineBytes} bytes`);
    });
    socket.on('error', () => peer.close('the connection failed'));
    socket.on('close', () => peer.close('the miner closed the connection'));
  };
}

/** Who may open the WebSocket endpoint. */
export interface WebSocketAccess {
  /** The host the pool listens on: the Host check's own name. */
  host: string;
  /** Names students open the page by besides its addresses (`--page-name`). */
  pageNames: string[];
  /** Origins (scheme, host, port) whose pages may join besides the pool's own, as the teacher named them. */
  allowedOrigins: readonly string[];
}

export class WebSocketEndpoint {
  private readonly server: WebSocketServer;
  private readonly addressedHere: (hostHeader: string | undefined) => boolean;
  private readonly allowedOrigins: ReadonlySet<string>;

  constructor(
    private readonly sink: PeerSink,
    private readonly limits: PoolLimits,
    access: WebSocketAccess,
  ) {
    this.server = new WebSocketServer({ noServer: true, maxPayload: limits.maxLineBytes });
    this.addressedHere = hostCheck(access.host, access.pageNames);
    this.allowedOrigins = new Set(access.allowedOrigins);
  }

  /** An HTTP upgrade on the page port: refused in HTTP, with why, or taken as a peer. */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const address = request.socket.remoteAddress ?? 'unknown';
    const path = (request.url ?? '').split('?')[0];
    const { host, origin } = request.headers;
    const [status, refusal] = !this.addressedHere(host)
      ? [403, `a WebSocket addressed to ${printable(JSON.stringify(String(host).slice(0, 60)))}, not to this machine`]
      : !this.mayJoin(origin, host!)
        ? [403, `a WebSocket from the page ${printable(JSON.stringify(origin!.slice(0, 80)))}, not the pool's own`]
        : path !== WEBSOCKET_PATH
          ? [404, `no WebSocket endpoint at ${printable(path.slice(0, 60))}`]
          : [503, this.sink.admit(address, 'WebSocket')];
    if (refusal) {
      this.sink.refused(address, refusal);
      // Said in HTTP, so a browser's console shows why; then closed.
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    this.server.handleUpgrade(request, socket, head, (ws) =>
      this.onWebSocket(ws, socket, address, request.socket.remotePort ?? 0),
    );
  }

  close(): void {
    this.server.close();
  }

  /**
   * A browser names the page whose script opens a WebSocket in Origin, and lets any page open one to
   * any server: the pool takes it from its own page (same scheme, host and port as the request is
   * addressed to), from an origin the teacher named, or from a program, which sends no Origin.
   */
  private mayJoin(origin: string | undefined, host: string): boolean {
    if (origin === undefined) return true;
    try {
      const from = new URL(origin);
      return (
        (from.protocol === 'http:' && from.host === new URL(`http://${host}`).host) ||
        this.allowedOrigins.has(from.origin)
      );
    } catch {
      return false;
    }
  }

  private onWebSocket(ws: WebSocket, socket: Duplex, address: string, port: number): void {
    const limits = this.limits;
    const peer = this.sink.open(
      `ws ${address}:${port}`,
      address,
      {
        write: (text) => {
          ws.send(text.replace(/\n$/, ''));
          return ws.bufferedAmount <= limits.maxOutputBytes;
        },
        end: () => ws.terminate(),
      },
      true,
    );
    // Bytes as they come off the wire, frames, pings and all: a flood of empty frames is a flood too.
    socket.on('data', (chunk: Buffer) => peer.bytes(chunk.length));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return peer.close('sent a binary WebSocket message (Stratum is text)');
      // A message carries one Stratum line, or several ended as on TCP (a last one may end with a line end too).
      const text = Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(new Uint8Array(data)).toString();
      for (const line of text.replace(/\r?\n$/, '').split(/\r?\n/)) {
        if (!peer.open) return;
        peer.line(line);
      }
    });
    ws.on('error', (error: Error & { code?: string }) =>
      peer.close(
        // ws ends a message over maxPayload with this: the same cap as a TCP line, said the same way.
        error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH'
          ? `sent a WebSocket message longer than ${limits.maxLineBytes} bytes`
          : 'the WebSocket failed',
      ),
    );
    ws.on('close', () => peer.close('the miner closed the WebSocket'));
  }
}
