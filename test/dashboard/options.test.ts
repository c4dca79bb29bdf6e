import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('mine --dashboard options', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-dash-opt-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  // A run killed at the timeout exits 1: a hang never passes for a clean exit.
  const mine = (...args: string[]) =>
    runCli(['mine', '--zeros', '16', '--threads', '1', '--blocks', '1', '--datadir', join(root, 'regtest'), ...args], {
      timeoutMs: 30_000,
    });

  it.each([
    [['--dashboard', '--port', '65536'], /^powlab: --port: must be a whole number from 0 to 65535, got 65536\n$/],
    [['--dashboard', '--port', '-1'], /^powlab: --port: must be a whole number from 0 to 65535, got -1\n$/],
    [['--dashboard', '--port', '80.5'], /^powlab: --port: must be a whole number from 0 to 65535, got 80.5\n$/],
    [['--dashboard', '--port', 'http'], /^powlab: --port: must be a number, got "http"\n$/],
    [['--port', '8000'], /^powlab: --port: is the dashboard port: add --dashboard\n$/],
    [['--host', '0.0.0.0'], /^powlab: --host: is the dashboard address: add --dashboard\n$/],
    [['--dashboard', '--host', ''], /^powlab: --host: must name an address, e\.g\. 127\.0\.0\.1\n$/],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const result = await mine(...args);
    expect(result.stderr).toMatch(message);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
  });

  it('a port in use: one line, exit 3, no stack, and the process ends by itself (a worker left running would hold it open)', async () => {
    const taken = createServer();
    taken.listen(0, '127.0.0.1');
    await once(taken, 'listening');
    const { port } = taken.address() as { port: number };
    try {
      const result = await mine('--dashboard', '--port', String(port), '--json');
      expect(result.stderr).toBe(
        `powlab: --port: 127.0.0.1:${port} is in use (choose another, or --port 0 for any free port)\n`,
      );
      expect(result.code).toBe(3);
      expect(result.stdout).toBe('');
    } finally {
      taken.close();
    }
  });

  it('an address this machine does not have: one line, exit 2', async () => {
    // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real interface.
    const result = await mine('--dashboard', '--host', '192.0.2.1', '--port', '0');
    expect(result.stderr).toBe('powlab: --host: cannot listen on 192.0.2.1: no such address on this machine\n');
    expect(result.code).toBe(2);
  });

  it('on 0.0.0.0, warns in one line that the network can reach the dashboard', async () => {
    const result = await runCli(
      [
        'mine',
        '--zeros',
        '16',
        '--threads',
        '1',
        '--blocks',
        '1',
        '--datadir',
        join(root, 'wide'),
        '--dashboard',
        '--host',
        '0.0.0.0',
        '--port',
        '0',
        '--json',
      ],
      { timeoutMs: 30_000 },
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^powlab: warning: the dashboard listens on 0\.0\.0\.0: anyone who can reach port \d+ from the network can read it\n$/,
    );
    expect(JSON.parse(result.stdout.split('\n')[0]).dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('with --blocks, closes the dashboard and exits when the run is done', async () => {
    const result = await mine('--dashboard', '--port', '0', '--json');
    expect(result.code).toBe(0);
    const [first, block] = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(first.dashboard).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(block.height).toBe(1);
    await expect(fetch(first.dashboard)).rejects.toThrow();
  });

  it('without --json, says where on stderr, and sums up the best hash and the wait for the next block', async () => {
    const result = await mine('--dashboard', '--port', '0');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^dashboard: http:\/\/127\.0\.0\.1:\d+\/\n$/);
    const summary = result.stdout.trim().split('\n').at(-1)!;
    expect(summary).toMatch(
      /^1 block mined, tip \d+; .* hashes in .* at .*; best hash this run (\d+) zero bits? \(difficulty [\d.e+-]+\)(, the best ever here|, ever here \d+ zero bits? \(difficulty [\d.e+-]+\)); next block expected in .+? at [\d.]+ [kMG]?H\/s \((>99|\d+(\.\d+)?)% chance within an hour\)$/,
    );
  });
});
