/**
 * A client that POSTs an endless chunked body: after the 405 the dashboard closes the connection
 * instead of reading (and discarding) the body for ever.
 */
import { once } from 'node:events';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startDashboard, type Dashboard } from '../../src/dashboard/server.js';
import { fakeMiner } from './fake-miner.js';

const open: Dashboard[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((dashboard) => dashboard.close()));
});

describe('the dashboard and an endless POST', () => {
  it('answers 405 and closes the connection while the body is still coming', async () => {
    const dashboard = await startDashboard({
      host: '127.0.0.1',
      port: 0,
      session: fakeMiner(),
      source: { name: 'a test chain', finds: 'block', label: () => '' },
      warn: () => undefined,
    });
    open.push(dashboard);
    const socket = connect(Number(new URL(dashboard.url).port), '127.0.0.1');
    await once(socket, 'connect');
    socket.on('error', () => undefined); // a reset once the server closes on unread data is what we ask for
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.write('POST /api/status HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n');
    const chunk = `4000\r\n${'x'.repeat(0x4000)}\r\n`;
    let sent = 0;
    const closed = new Promise((resolve) => socket.on('close', resolve));
    const pump = () => {
      while (!socket.destroyed && socket.write(chunk)) sent += 0x4000;
      if (!socket.destroyed) socket.once('drain', pump);
    };
    pump();
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 405 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    // Far less than an endless body: it stopped reading at the answer, give or take the buffers.
    expect(sent).toBeLessThan(512 * 1024 * 1024);
  }, 20_000);
});
