/** `mine --rpc --duration S` with a node that never answers: the run still ends after S, in one clear line (issue 20). */
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('mine --rpc --duration with no node', () => {
  const datadir = mkdtempSync(join(tmpdir(), 'powlab-rpc-duration-'));
  afterAll(() => rmSync(datadir, { recursive: true, force: true }));

  it('stops when the duration is up, says the node never answered, exit 3', async () => {
    const url = `http://127.0.0.1:${await closedPort()}`;
    // The retries alone would go on for ever: only --duration ends this run before the harness's limit.
    const result = await runCli(['mine', '--rpc', url, '--duration', '1', '--threads', '1', '--datadir', datadir], {
      timeoutMs: 30_000,
    });
    expect(result.code).toBe(3);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trim().split('\n');
    expect(lines.slice(0, -1).every((line) => line.startsWith('powlab: warning: cannot reach the node at'))).toBe(true);
    expect(lines.at(-1)).toBe(`powlab: stopped (duration reached) before the node at ${url} answered`);
  });
});
