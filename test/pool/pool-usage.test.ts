// `powlab pool` refusing what it cannot do: one line on stderr, the usual exit status, no stack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';
import { run, startPool, tempDatadir } from './pool-run.js';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('powlab pool usage', () => {
  it.each([
    [['--port', '70000'], /^powlab: --port: must be a whole number from 0 to 65535, got 70000$/],
    [['--start-difficulty', '0'], /^powlab: --start-difficulty: must be a positive number, got 0$/],
    [
      ['--min-difficulty', '1', '--max-difficulty', '0.5', '--start-difficulty', '0.7'],
      /^powlab: --min-difficulty: must not be above --max-difficulty/,
    ],
    [['--rpc', 'http://127.0.0.1:1', '--zeros', '20'], /^powlab: --zeros: does not apply with --rpc/],
    [['--pplns-window', '-1'], /^powlab: --pplns-window: must be a positive number/],
    // Node would listen on every interface.
    [['--host', ''], /^powlab: --host: must name an address, e\.g\. 127\.0\.0\.1/],
    [['--host', ' '], /^powlab: --host: must name an address/],
    [
      ['--allow-origin', 'classroom.test'],
      /^powlab: --allow-origin: "classroom.test" is not an http:\/\/ or https:\/\/ address$/,
    ],
    [['--allow-origin', 'file:///home/teacher/page.html'], /^powlab: --allow-origin: "file:.*" is not an http/],
    [['--page-name', 'evil.example/x'], /^powlab: --page-name: must be a host name such as teacher\.local, got "evil/],
  ])('%j exits 2 with one line', async (args, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'powlab-pool-usage-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const result = await runCli(['pool', '--datadir', dir, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('says which port is taken, and exits 3', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'powlab-pool-usage-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = await startPool(['--datadir', dir], cleanups);
    const other = mkdtempSync(join(tmpdir(), 'powlab-pool-usage-'));
    cleanups.push(() => rmSync(other, { recursive: true, force: true }));
    const result = await runCli(['pool', '--datadir', other, '--port', String(first.port), '--page-port', '0']);
    expect(result.code).toBe(3);
    expect(result.stderr.trim()).toBe(
      `powlab: --port: 127.0.0.1:${first.port} is in use (choose another, or --port 0 for any free port)`,
    );
    // The page's port is --page-port: the line names the flag the user typed.
    const pagePort = new URL(first.page).port;
    const page = await runCli(['pool', '--datadir', other, '--port', '0', '--page-port', pagePort]);
    expect(page.code).toBe(3);
    expect(page.stderr.trim()).toBe(
      `powlab: --page-port: 127.0.0.1:${pagePort} is in use (choose another, or --page-port 0 for any free port)`,
    );
  });

  it('ends a wait for its listening line as soon as it exits, with its own line (a default port taken by another run)', async () => {
    const holder = await startPool(['--datadir', tempDatadir(cleanups, 'powlab-pool-usage-')], cleanups);
    const datadir = tempDatadir(cleanups, 'powlab-pool-usage-');
    const pool = run(
      ['pool', '--datadir', datadir, '--port', String(holder.port), '--page-port', '0', '--json'],
      cleanups,
    );
    await expect(pool.waitFor((line) => line.type === 'listening')).rejects.toThrow(
      `powlab pool exited with code 3 before the line waited for; stderr: powlab: --port: 127.0.0.1:${holder.port} is in use`,
    );
  });
});
