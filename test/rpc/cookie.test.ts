/**
 * `--rpc-cookie` reads only a small regular file: a device that never ends, a FIFO that never
 * opens, a folder or a huge file is refused in one line, exit 2, before anything else happens.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-cookie-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const fifo = join(root, 'cookie.fifo');
execFileSync('mkfifo', [fifo]);
const huge = join(root, 'huge.cookie');
writeFileSync(huge, `__cookie__:${'a'.repeat(1 << 20)}\n`);

describe('--rpc-cookie', () => {
  it.each([
    [
      '/dev/zero',
      '/dev/zero',
      /^powlab: --rpc-cookie: \/dev\/zero is a character device, not a regular file; give the node's \.cookie file$/,
    ],
    ['a FIFO', fifo, /^powlab: --rpc-cookie: .*cookie\.fifo is a named pipe \(FIFO\), not a regular file/],
    ['a folder', root, /^powlab: --rpc-cookie: .* is a folder, not a regular file/],
    ['a 1 MiB file', huge, /^powlab: --rpc-cookie: .*huge\.cookie is 1048588 bytes, more than the 1024 allowed/],
  ])('%s: one line, exit 2, at once', async (_name, file, message) => {
    // The port has no node: a cookie that got past the check would show as a retry notice instead.
    const result = await runCli(
      ['mine', '--rpc', 'http://127.0.0.1:9', '--rpc-cookie', file, '--datadir', join(root, 'data')],
      { timeoutMs: 20_000 },
    );
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr.trim()).toMatch(message);
  });
});
