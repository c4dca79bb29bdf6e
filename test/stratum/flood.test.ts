/**
 * A pool that floods the client with requests: one that never reads the replies must not make the
 * client's memory grow (what we queue is capped, and the connection dropped in one line), and a
 * stream of pings is not the pool doing its job (the stall timer runs through it).
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { StratumClient, type ClientLimits } from '../../src/sources/stratum/client.js';
import { FAST, handshake, scriptedPool, type ClientMessage } from './scripted-pool.js';

const PING = `${JSON.stringify({ id: 7, method: 'mining.ping', params: [] })}\n`;
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Answer the handshake with one job; then `afterAuthorize` takes over the socket. */
async function pool(afterAuthorize: (socket: Socket) => void) {
  const started = await scriptedPool((socket: Socket, message: ClientMessage) => {
    if (handshake(socket, message) && message.method === 'mining.authorize') afterAuthorize(socket);
  });
  cleanups.push(() => started.close());
  return started;
}

function client(port: number, limits: Partial<ClientLimits>): StratumClient {
  const created = new StratumClient({
    address: { host: '127.0.0.1', port },
    user: 'alice',
    password: 'x',
    userAgent: 'powlab/test',
    versionRolling: false,
    limits: { ...FAST, ...limits },
  });
  cleanups.push(() => created.close());
  return created;
}

describe('a pool that floods the client', () => {
  it('and never reads: the queue to it is capped and the connection dropped with one reason', async () => {
    let sent = 0;
    const flooding = await pool((socket) => {
      socket.pause(); // never read another byte of the client's replies
      const flood = () => {
        // As fast as our side of the socket takes it; it stops taking once the client stops reading.
        while (!socket.destroyed && socket.write(PING.repeat(100))) sent += 100;
        if (!socket.destroyed) socket.once('drain', flood);
      };
      flood();
    });
    const connection = client(flooding.port, {
      maxQueuedBytes: 64 * 1024,
      drainTimeoutMs: 500,
      stallTimeoutMs: 60_000,
    });
    connection.start();
    await once(connection, 'work');
    const [reason] = (await once(connection, 'disconnected')) as [string];
    expect(reason).toMatch(
      /^the pool (is not reading what we send \(over 64 KiB waiting\)|read nothing of what we sent for 0\.5 s)$/,
    );
    expect(sent).toBeGreaterThan(1000);
  }, 20_000);

  it('with pings it reads: pings are not work, and the stall timer drops the connection all the same', async () => {
    const pinging = await pool((socket) => {
      const timer = setInterval(() => socket.write(PING), 20);
      socket.on('close', () => clearInterval(timer));
    });
    const connection = client(pinging.port, { stallTimeoutMs: 300 });
    connection.start();
    await once(connection, 'work');
    const [reason] = (await once(connection, 'disconnected')) as [string];
    expect(reason).toBe('no work or answers from the pool for 0.3 s');
  }, 10_000);
});

describe('closing the client from its own disconnected event', () => {
  it('leaves nothing behind: a process that does so exits on its own', async () => {
    // The built client, in a process of its own with a pool that hangs up after the handshake; a retry
    // scheduled after close would hold the process for the minute of backoff.
    const script = `
      import { createServer } from 'node:net';
      import { StratumClient } from ${JSON.stringify(new URL('../../dist/sources/stratum/client.js', import.meta.url).href)};
      const sockets = new Set();
      const server = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => {});
        socket.once('data', () => socket.destroy());
      });
      server.listen(0, '127.0.0.1', () => {
        const client = new StratumClient({ address: { host: '127.0.0.1', port: server.address().port }, user: 'a', password: 'x', userAgent: 't', versionRolling: false, limits: { backoffInitialMs: 60_000 } });
        client.once('disconnected', () => {
          client.close();
          server.close();
          for (const socket of sockets) socket.destroy();
          console.log('closed');
        });
        client.start();
      });`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    const [code] = (await once(child, 'exit')) as [number];
    expect(stdout.trim()).toBe('closed');
    expect(code).toBe(0);
  }, 20_000);
});
