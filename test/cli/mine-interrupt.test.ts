import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';

describe('powlab mine and Ctrl-C', () => {
  const root = mkdtempSync(join(tmpdir(), 'powlab-int-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('stops the workers, prints a summary and leaves the store consistent', async () => {
    const datadir = join(root, 'regtest');
    const child = spawn(process.execPath, [BIN, 'mine', '--zeros', '12', '--threads', '2', '--datadir', datadir], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const lines: string[] = [];
    const reader = createInterface({ input: child.stdout });
    reader.on('line', (line) => {
      lines.push(line);
      if (lines.filter((l) => l.startsWith('block ')).length === 2 && !child.killed) child.kill('SIGINT');
    });
    const [code] = await once(child, 'exit');
    expect(stderr).toBe('');
    // Ctrl-C: the shell's convention, 128 + SIGINT.
    expect(code).toBe(130);
    expect(lines.at(-1)).toMatch(/^stopped \(interrupted\): \d+ blocks? mined, tip \d+/);
    const verify = await runCli(['chain', 'verify', '--datadir', datadir, '--json']);
    expect(verify.code).toBe(0);
    expect(JSON.parse(verify.stdout).blocks).toBeGreaterThanOrEqual(2);
  });

  it('refuses a target easier than regtest allows (--zeros stops below it at parsing; --bits gets this far)', async () => {
    const result = await runCli(['mine', '--blocks', '1', '--bits', '2100ffff', '--datadir', join(root, 'easy')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/easier than regtest allows/);
  });
});
