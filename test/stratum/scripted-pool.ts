/**
 * A bare TCP server for the ways a pool misbehaves (silence, stalls, overlong lines, hang-ups,
 * redirects, floods): each test scripts what it sends. The full test pool is pool-server.ts.
 */
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';

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
