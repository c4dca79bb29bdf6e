/** Faults a hostile tester found in the mining commands (issue 12: 5, 6, 9, 10): each fails on the code before its fix. */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_THREADS_PER_CORE } from '../../src/miner/options.js';
import { BIN, runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-faults-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `powlab ARGS | head -c BYTES`, as a shell would run it: the reader closes after BYTES. */
async function intoHead(args: string[], bytes: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let read = 0;
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read >= bytes) child.stdout.destroy();
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('mining command faults', () => {
  it.each([
    [['--json'], 100],
    [[], 20],
  ])(
    'a closed pipe (%j, head -c %d): a quiet stop, no stack, the lock released and the store whole',
    async (extra, bytes) => {
      const datadir = join(root, `pipe-${bytes}`);
      const run = await intoHead(
        ['mine', '--zeros', '8', '--blocks', '500', '--threads', '1', '--datadir', datadir, ...extra],
        bytes,
      );
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(existsSync(join(datadir, 'lock'))).toBe(false);
      const verify = await runCli(['chain', 'verify', '--datadir', datadir]);
      expect(verify.code, verify.stderr).toBe(0);
    },
  );

  it.each([
    [['--backend', 'nope'], /^powlab: --backend: unknown backend nope \(known: auto, noble, js, wasm/],
    [['--throttle', ''], /^powlab: --throttle: must be a number, got ""\n$/],
    [['--threads', 'many'], /^powlab: --threads: must be a number, got "many"\n$/],
    [['--threads', '0x2'], /^powlab: --threads: must be a number, got "0x2"\n$/],
    [
      ['--threads', String(availableParallelism() * MAX_THREADS_PER_CORE + 1)],
      new RegExp(
        `^powlab: --threads: must be a whole number from 1 to ${availableParallelism() * MAX_THREADS_PER_CORE} `,
      ),
    ],
  ])('%j is refused in one line that says what is wrong', async (args, message) => {
    const run = await runCli(['mine', '--blocks', '1', '--datadir', join(root, 'options'), ...args]);
    expect(run.stderr).toMatch(message);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.code).toBe(2);
  });

  it('more threads than cores are taken with one warning', async () => {
    const threads = availableParallelism() + 1;
    const run = await runCli([
      'mine',
      '--blocks',
      '1',
      '--zeros',
      '4',
      '--threads',
      String(threads),
      '--datadir',
      join(root, 'many'),
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe(
      `powlab: warning: ${threads} threads on ${availableParallelism()} cores: they share the cores, so the hashrate will not rise\n`,
    );
  });

  it('Ctrl-C while waiting for a node that never answers: one line, exit 130', async () => {
    // A node that takes the connection and never says a word; Ctrl-C comes once powlab is waiting on it.
    let connected: () => void = () => {};
    const asked = new Promise<void>((resolve) => (connected = resolve));
    const silent = createServer(() => connected());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      const child = spawn(
        process.execPath,
        [BIN, 'mine', '--rpc', `http://127.0.0.1:${port}`, '--datadir', join(root, 'rpc')],
        { env: { ...process.env, NO_COLOR: '1' } },
      );
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      void asked.then(() => child.kill('SIGINT'));
      const [code] = await once(child, 'exit');
      expect(code).toBe(130);
      expect(stderr).toMatch(
        /^powlab: stopped \(interrupted\) before the node at http:\/\/127\.0\.0\.1:\d+ answered\n$/,
      );
    } finally {
      silent.close();
    }
  });
});
