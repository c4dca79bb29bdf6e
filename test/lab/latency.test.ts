// The labs' latency shim: every chunk crosses after the one-way delay, in order, both ways.
import { createServer, connect, type Server } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { LatencyLink } from '../../src/lab/latency.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

async function echoServer(): Promise<number> {
  const server: Server = createServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return (server.address() as { port: number }).port;
}

it.each([0, 150])(
  'a %s ms link: an echo takes two delays, and the bytes come back whole and in order',
  async (delayMs) => {
    const link = await LatencyLink.open(await echoServer(), delayMs);
    closers.push(() => link.close());
    const socket = connect(link.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const sent = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
    const began = performance.now();
    const received: Buffer[] = [];
    const echoed = new Promise<void>((resolve) =>
      socket.on('data', (chunk: Buffer) => {
        received.push(chunk);
        if (Buffer.concat(received).length >= sent.length) resolve();
      }),
    );
    for (let at = 0; at < sent.length; at += 1000) socket.write(sent.subarray(at, at + 1000));
    await echoed;
    const elapsed = performance.now() - began;
    socket.destroy();
    expect(Buffer.concat(received)).toEqual(sent);
    // Timers may fire a millisecond early: two delays, less a little.
    expect(elapsed).toBeGreaterThanOrEqual(2 * delayMs - 2);
  },
);
