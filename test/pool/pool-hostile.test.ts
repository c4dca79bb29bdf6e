// `powlab pool` from the built CLI against what costs a hostile client nothing: a stream of line
// ends, ten thousand invented worker names, and a WebSocket opened by some other web page.
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { PoolSnapshot } from '../../src/pool/api.js';
import { cleanupsAfterEach, run, startPool, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-hostile-');

function stratumSocket(port: number): Promise<Socket & { text: () => string }> {
  return new Promise((resolve, reject) => {
    let text = '';
    const socket = connect({ host: '127.0.0.1', port }, () => resolve(Object.assign(socket, { text: () => text })));
    socket.on('data', (chunk) => (text += chunk.toString()));
    socket.on('error', () => {});
    socket.once('error', reject);
    cleanups.push(() => socket.destroy());
  });
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.closed ? resolve() : socket.once('close', () => resolve())));

/** Write `unit` over and over, as fast as the socket takes it, until the pool closes the socket. */
function flood(socket: Socket, unit: string): void {
  const block = Buffer.from(unit.repeat(Math.ceil((64 * 1024) / unit.length)));
  const more = () => {
    while (!socket.destroyed && socket.write(block));
  };
  socket.on('drain', more);
  more();
}

describe('powlab pool and a client that sends only line ends', () => {
  it('drops a flood of newlines, CRLFs and blank lines of spaces within seconds, while an honest miner’s shares are still accepted', async () => {
    // Blocks rare (2^30 hashes): shares come every second, jobs stay.
    const pool = await startPool(['--datadir', datadir(), '--zeros', '30', '--share-seconds', '1'], cleanups);
    const honest = run(
      ['mine', '--pool', pool.stratum, '--user', 'honest', '--threads', '1', '--json', '--datadir', datadir()],
      cleanups,
    );
    const accepted = () =>
      pool.lines.filter((line) => line.type === 'share' && line.worker === 'honest' && line.accepted === true).length;
    await pool.waitFor(() => accepted() > 0);

    const flooders = await Promise.all(['\n', '\r\n', '  \n'].map(() => stratumSocket(pool.port)));
    const before = accepted();
    flooders.forEach((socket, i) => flood(socket, ['\n', '\r\n', '  \n'][i]));
    // Closed by the pool, not by the test: on the old pool these never closed.
    await Promise.all(flooders.map(closed));
    const dropped = () => pool.lines.filter((line) => line.type === 'dropped').map((line) => String(line.reason));
    await pool.waitFor(() => dropped().length >= 3);
    // Whichever comes first: the eleventh blank line, or a chunk past the byte budget.
    expect(dropped()).toEqual(
      Array(3).fill(
        expect.stringMatching(
          /^(sent 11 lines that are not Stratum requests \(last: a blank line\)|sent more than 16384 bytes a second)$/,
        ),
      ),
    );

    await pool.waitFor(() => accepted() > before);
    honest.child.kill('SIGINT');
    await honest.exited;
    expect(honest.lines.filter((line) => line.type === 'share' && line.status !== 'accepted')).toEqual([]);
  }, 120_000);
});

describe('powlab pool and a browser miner that sends only line ends, or too many bytes', () => {
  it('drops a WebSocket of blank lines, and one of few messages padded to 15 KB (every byte counts)', async () => {
    const pool = await startPool(['--datadir', datadir()], cleanups);
    const open = async () => {
      const ws = new WebSocket(pool.websocket);
      cleanups.push(() => ws.terminate());
      ws.on('error', () => {});
      await new Promise((resolve) => ws.once('open', resolve));
      return ws;
    };
    const blank = await open();
    const padded = await open();
    const closing = [blank, padded].map((ws) => new Promise((resolve) => ws.once('close', resolve)));
    // A request the pool takes, well within the message rate (five a second), each 15 KB of spaces long.
    const heavy = '{"id":1,"method":"mining.suggest_difficulty","params":[0.01]}'.padEnd(15_000, ' ');
    const timer = setInterval(() => {
      if (blank.readyState === WebSocket.OPEN) blank.send('\n\r\n  \n');
      if (padded.readyState === WebSocket.OPEN) padded.send(heavy);
    }, 200);
    cleanups.push(() => clearInterval(timer));
    await Promise.all(closing);
    const dropped = () => pool.lines.filter((line) => line.type === 'dropped').map((line) => String(line.reason));
    await pool.waitFor(() => dropped().length >= 2);
    expect(dropped().sort()).toEqual([
      'sent 11 lines that are not Stratum requests (last: a blank line)',
      'sent more than 16384 bytes a second',
    ]);
  });
});

describe('powlab pool and ten thousand invented worker names', () => {
  it('takes 1000 names, refuses the rest with a Stratum error, and keeps /api/pool under 256 KB', async () => {
    const pool = await startPool(
      ['--datadir', datadir(), '--max-per-address', '1000', '--max-connections', '1000'],
      cleanups,
    );
    // 16 names a connection (the most one takes), 625 connections, all left open: none gives way.
    const sockets: (Socket & { text: () => string })[] = [];
    for (let c = 0; c < 625; c++) {
      const socket = await stratumSocket(pool.port);
      const names = Array.from({ length: 16 }, (_, i) => `w${c * 16 + i}`);
      socket.write(
        '{"id":0,"method":"mining.subscribe","params":[]}\n' +
          names
            .map((name, i) => JSON.stringify({ id: i + 1, method: 'mining.authorize', params: [name, 'x'] }))
            .join('\n') +
          '\n',
      );
      sockets.push(socket);
    }
    const answered = (socket: Socket & { text: () => string }) => socket.closed || socket.text().includes('"id":16');
    const until = Date.now() + 60_000;
    while (!sockets.every(answered) && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sockets.every(answered)).toBe(true);

    const refusal = [24, 'the pool takes no new worker names now: it has as many as it keeps', null];
    const last = sockets
      .at(-1)!
      .text()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(last.find((message) => message.id === 1).error).toEqual(refusal);

    const response = await fetch(`${pool.page}api/pool`);
    const body = await response.text();
    const snapshot = JSON.parse(body) as PoolSnapshot;
    console.log(`10,000 worker names tried: /api/pool is ${(body.length / 1024).toFixed(1)} KB`);
    expect(body.length).toBeLessThan(256 * 1024);
    expect(snapshot.pool.workers).toBe(1000);
    expect(snapshot.miners).toHaveLength(50);
    // The viewer's own row, wherever it ranks.
    const mine = (await (await fetch(`${pool.page}api/pool?worker=w999`)).json()) as PoolSnapshot;
    expect(mine.miners.map((miner) => miner.worker)).toContain('w999');
    expect(mine.miners).toHaveLength(51);
  }, 180_000);
});

/** A WebSocket upgrade by hand, with the Host and Origin a browser on another page would send. */
function upgrade(url: string, headers: Record<string, string>): Promise<{ status: number; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-version': '13',
        ...headers,
      },
    });
    req.on('upgrade', (response, socket) => {
      cleanups.push(() => socket.destroy());
      resolve({ status: response.statusCode!, closed: Promise.resolve() });
    });
    req.on('response', (response) => {
      response.resume();
      resolve({
        status: response.statusCode!,
        closed: new Promise((done) => response.socket.once('close', () => done())),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the pool’s WebSocket endpoint and other web pages', () => {
  it('refuses an upgrade with a foreign Host or Origin (403, closed), and takes one from its own page', async () => {
    const pool = await startPool(['--datadir', datadir()], cleanups);
    const url = pool.websocket.replace(/^ws:/, 'http:');
    const own = new URL(pool.page).origin;
    const foreign: Record<string, string>[] = [
      { origin: 'http://attacker.example' },
      { origin: 'null' },
      { origin: own.replace('http:', 'https:') },
      { origin: `http://127.0.0.1:${Number(new URL(own).port) + 1}` },
      { host: 'attacker.example' },
      { host: 'attacker.example', origin: 'http://attacker.example' },
    ];
    for (const headers of foreign) {
      const refused = await upgrade(url, headers);
      expect([headers, refused.status]).toEqual([headers, 403]);
      await refused.closed;
    }
    expect(pool.lines.filter((line) => line.type === 'refused')).toHaveLength(6);
    expect((await upgrade(url, { origin: own })).status).toBe(101);
  });
});
