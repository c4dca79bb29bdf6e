/**
 * A bare TCP server for the ways a pool misbehaves (silence, stalls, overlong lines, hang-ups,
 * redirects, floods): each test scripts what it sends. The full test pool is pool-server.ts.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { ClientLimits } from '../../src/sources/stratum/client.js';

const COINB1 = '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff0d03a0860108';
const COINB2 = 'ffffffff0100f2052a01000000015100000000';
/** The one job a scripted pool hands out. */
export const NOTIFY = JSON.stringify({
  id: null,
  method: 'mining.notify',
  params: ['j1', '00'.repeat(32), COINB1, COINB2, [], '20000000', '1d00ffff', '65000000', true],
});

/** Client limits for tests: retries and handshakes in milliseconds, not the seconds a real pool gets. */
export const FAST: Partial<ClientLimits> = {
  backoffInitialMs: 50,
  backoffMaxMs: 200,
  connectTimeoutMs: 2000,
  handshakeTimeoutMs: 2000,
};

/** A line from the client: a request (method set) or an answer to one of the pool's (result set). */
export interface ClientMessage {
  id: number | string | null;
  method?: string;
  params?: unknown[];
  result?: unknown;
}

export interface ScriptedPool {
  port: number;
  /** The method of each connection's first line. */
  firstLines: string[];
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

/** A server that runs `script` for each line a client sends, and `onConnect` for each connection; resolves once listening. */
export async function scriptedPool(
  script: (socket: Socket, message: ClientMessage, connection: number) => void,
  onConnect?: (socket: Socket, connection: number) => void,
): Promise<ScriptedPool> {
  const firstLines: string[] = [];
  let connections = 0;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffer = '';
    let first = true;
    onConnect?.(socket, connection);
    socket.on('data', (chunk) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        if (first) firstLines.push(JSON.parse(line).method);
        first = false;
        script(socket, JSON.parse(line), connection);
      }
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as { port: number }).port,
    firstLines,
    get connections() {
      return connections;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Answer the handshake and send the one job, as any pool would; false for any other message. */
export function handshake(socket: Socket, message: ClientMessage): boolean {
  if (message.method === 'mining.subscribe') {
    socket.write(`${JSON.stringify({ id: message.id, result: [[], '08000002', 4], error: null })}\n`);
    return true;
  }
  if (message.method === 'mining.authorize') {
    socket.write(`${JSON.stringify({ id: message.id, result: true, error: null })}\n${NOTIFY}\n`);
    return true;
  }
  return false;
}
