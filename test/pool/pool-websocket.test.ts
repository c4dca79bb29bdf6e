// The pool's WebSocket endpoint held to the TCP side's rules, from the built CLI: only its own page
// and the origins the teacher names may join; a message is capped at the longest line the pool
// reads; a flood of messages is dropped at the same rate as on TCP.
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { cleanupsAfterEach, startPool, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-websocket-');

/** Open the endpoint as a page at `origin` would; resolves with the socket once open, or with the HTTP status that refused it. */
function join(url: string, origin?: string): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, origin === undefined ? {} : { origin });
    cleanups.push(() => ws.terminate());
    ws.on('error', () => {});
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_request, response) => {
      resolve({ status: response.statusCode! });
      response.resume();
    });
  });
}

async function joined(url: string, origin?: string): Promise<WebSocket> {
  const result = await join(url, origin);
  if (!('ws' in result)) throw new Error(`refused with ${result.status}`);
  return result.ws;
}

const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe('the pool’s WebSocket endpoint and the origins a teacher names', () => {
  it('takes a page from each origin --allow-origin names and from its own page, and still refuses any other', async () => {
    const named = ['http://classroom.test:8080', 'https://school.example'];
    const pool = await startPool(
      // Given as the page's address: the pool keeps its origin.
      ['--datadir', datadir(), '--allow-origin', ...named.map((origin) => `${origin}/lab/index.html`)],
      cleanups,
    );
    for (const origin of [...named, new URL(pool.page).origin]) await joined(pool.websocket, origin);
    for (const origin of ['http://classroom.test:8081', 'http://school.example', 'https://attacker.example'])
      expect([origin, await join(pool.websocket, origin)]).toEqual([origin, { status: 403 }]);
    // The 403 can reach the test before the pool's log line does.
    await pool.waitFor((line) => line.type === 'refused' && String(line.reason).includes('attacker.example'));
    const refused = pool.lines.filter((line) => line.type === 'refused').map((line) => String(line.reason));
    expect(refused).toEqual([
      'a WebSocket from the page "http://classroom.test:8081", not the pool\'s own',
      'a WebSocket from the page "http://school.example", not the pool\'s own',
      'a WebSocket from the page "https://attacker.example", not the pool\'s own',
    ]);
  });
});

describe('the pool’s WebSocket endpoint and messages too long or too many', () => {
  it('closes a socket that sends a message longer than a line may be (1009), and says why', async () => {
    const pool = await startPool(['--datadir', datadir()], cleanups);
    const ws = await joined(pool.websocket);
    const closing = closeCode(ws);
    // One byte over the 16 KiB a TCP line may have.
    ws.send(' '.repeat(16 * 1024 + 1));
    expect(await closing).toBe(1009);
    await pool.waitFor((line) => line.type === 'dropped');
    expect(pool.lines.filter((line) => line.type === 'dropped').map((line) => line.reason)).toEqual([
      'sent a WebSocket message longer than 16384 bytes',
    ]);
  });

  it('takes a message of the longest line, and drops a socket that sends more messages a second than the rate', async () => {
    const pool = await startPool(['--datadir', datadir(), '--max-messages-per-second', '5'], cleanups);
    const ws = await joined(pool.websocket);
    const answers: unknown[] = [];
    ws.on('message', (data: Buffer) => answers.push(JSON.parse(data.toString())));
    // A request the pool answers, padded to exactly the longest line: taken.
    ws.send('{"id":1,"method":"mining.suggest_difficulty","params":[0.01]}'.padEnd(16 * 1024, ' '));
    await new Promise<void>((resolve) => ws.once('message', () => resolve()));
    expect(answers).toEqual([{ id: 1, result: true, error: null }]);
    const closing = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    // Small, well-formed requests, far faster than five a second (a burst holds ten).
    for (let id = 2; id < 40 && ws.readyState === WebSocket.OPEN; id++)
      ws.send(JSON.stringify({ id, method: 'mining.suggest_difficulty', params: [0.01] }));
    await closing;
    await pool.waitFor((line) => line.type === 'dropped');
    expect(pool.lines.filter((line) => line.type === 'dropped').map((line) => line.reason)).toEqual([
      'sent more than 5 messages a second',
    ]);
  });
});
