/**
 * stdout into a pipe nobody reads: results are never dropped, so mining waits for the reader rather
 * than pile them up in memory; and a signal still ends the process within seconds, the store whole.
 * The pipe is a FIFO whose read end the test holds open and never reads: it fills once and for good.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-slow-stdout-'));
const opened: number[] = [];
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const fd of opened) closeSync(fd);
  rmSync(root, { recursive: true, force: true });
});

/**
 * A child's stdout into a FIFO whose read end stays open here, unread: it fills once and for good.
 * `read()` starts reading it to the end (the child's exit).
 */
function spawnIntoUnreadPipe(name: string, args: string[]): { child: ChildProcess; read: () => Promise<string> } {
  const fifo = join(root, `${name}.fifo`);
  execFileSync('mkfifo', [fifo]);
  opened.push(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
  const writeEnd = openSync(fifo, constants.O_WRONLY);
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', writeEnd, 'pipe'],
    env: { ...process.env, NO_COLOR: '1' },
  });
  closeSync(writeEnd);
  children.push(child);
  return { child, read: () => readFile(fifo, 'utf8') };
}

function residentMegabytes(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

/** Resolves when `text` has appeared on the child's stderr. */
function stderrSays(child: ChildProcess, text: string): Promise<string> {
  let seen = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) resolve(seen);
    });
    child.on('exit', (code) => reject(new Error(`exited (${code}) before saying "${text}": ${seen}`)));
  });
}

/** The exit code, or 'still running' when it has not ended within `boundMs` (it is then killed). */
function exitWithin(child: ChildProcess, boundMs: number): Promise<number | 'still running'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      resolve('still running');
    }, boundMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve(code ?? -1);
    });
  });
}

// 8 zero bits: a block every few hundred hashes, so results come far faster than any pipe holds.
const MINE = ['mine', '--zeros', '8', '--threads', '1', '--backend', 'js'];

describe('mine into a pipe nobody reads', () => {
  it('waits for the reader with memory flat, then ends on SIGTERM within seconds, the store whole', async () => {
    const datadir = join(root, 'chain');
    const { child } = spawnIntoUnreadPipe('json', [...MINE, '--json', '--datadir', datadir]);
    await stderrSays(child, 'mining waits for its reader');
    const store = join(datadir, 'blocks.dat');
    const storedWhenWaiting = statSync(store).size;

    // Sampled over a few seconds: memory stays put, and no block is mined while nobody reads.
    const samples: number[] = [];
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        samples.push(residentMegabytes(child.pid!));
        if (samples.length < 15) return;
        clearInterval(timer);
        resolve();
      }, 200);
    });
    expect(Math.max(...samples)).toBeLessThan(200);
    expect(statSync(store).size).toBe(storedWhenWaiting);

    child.kill('SIGTERM');
    // The summary cannot be written: the process ends without it rather than wait on the pipe for ever.
    expect(await exitWithin(child, 15_000)).toBe(130);
    const verify = await runCli(['chain', 'verify', '--datadir', datadir]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^ok: [\d,]+ blocks in /m);
  });

  it('drops no result: once read, every stored block has its line, and mining went on to --blocks', async () => {
    const datadir = join(root, 'text');
    const blocks = 2000;
    const { child, read } = spawnIntoUnreadPipe('text', [...MINE, '--blocks', String(blocks), '--datadir', datadir]);
    await stderrSays(child, 'mining waits for its reader');
    const [text, code] = await Promise.all([read(), exitWithin(child, 60_000)]);
    expect(code).toBe(0);
    const lines = text.trim().split('\n');
    expect(lines[0]).toMatch(/^mining the built-in regtest chain in /);
    const heights = lines.filter((line) => line.startsWith('block ')).map((line) => Number(line.split(' ')[1]));
    expect(heights).toEqual(Array.from({ length: blocks }, (_, i) => i + 1));
    expect(lines.at(-1)).toMatch(new RegExp(`^${blocks.toLocaleString('en')} blocks mined, tip ${blocks};`));
  });
});
