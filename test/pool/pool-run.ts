/** `powlab pool` and `powlab mine --pool` as child processes of a test, their JSON lines watched as they come. */
import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { BIN } from '../helpers/run-cli.js';

/** What a test opens, closed after it in reverse order: processes, folders. */
export function cleanupsAfterEach(): (() => unknown)[] {
  const cleanups: (() => unknown)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

/** A fresh folder for one run, removed after the test. */
export function tempDatadir(cleanups: (() => unknown)[], prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface Running {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  stderr: () => string;
  exited: Promise<number>;
  /**
   * The first JSON line that matches, as it comes. Rejects as soon as the process ends without one
   * (with its own error line: a port in use, a datadir locked), or after timeoutMs.
   */
  waitFor(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
}

export function run(args: string[], cleanups: (() => unknown)[]): Running {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  const lines: Record<string, unknown>[] = [];
  // 'line' for each JSON line, 'closed' once the process has ended and its output is all read.
  const events = new EventEmitter();
  let closed: string | undefined;
  let partial = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    partial += chunk.toString();
    const whole = partial.split('\n');
    partial = whole.pop()!;
    for (const line of whole)
      if (line.startsWith('{')) {
        lines.push(JSON.parse(line));
        events.emit('line', lines.at(-1));
      }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))),
  );
  child.on('close', (code, signal) => {
    closed = signal ? `was ended by ${signal}` : `exited with code ${code}`;
    events.emit('closed');
  });
  const context = () => `stderr: ${stderr.trim() || '(none)'}; last lines: ${JSON.stringify(lines.slice(-5))}`;
  cleanups.push(() => child.kill('SIGKILL'));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(match, timeoutMs = 60_000) {
      const found = lines.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const stop = () => {
          clearTimeout(timer);
          events.off('line', onLine);
          events.off('closed', onClosed);
        };
        const onLine = (line: Record<string, unknown>) => {
          if (!match(line)) return;
          stop();
          resolve(line);
        };
        const onClosed = () => {
          stop();
          reject(new Error(`powlab ${args[0]} ${closed} before the line waited for; ${context()}`));
        };
        const timer = setTimeout(() => {
          stop();
          reject(new Error(`no such line from powlab ${args[0]} in ${timeoutMs} ms; ${context()}`));
        }, timeoutMs);
        events.on('line', onLine);
        events.on('closed', onClosed);
        if (closed) onClosed();
      });
    },
  };
}

/** Start a pool on free ports; resolves once it listens, with its Stratum URL and page URL. */
export async function startPool(args: string[], cleanups: (() => unknown)[]) {
  const pool = run(['pool', '--port', '0', '--page-port', '0', '--json', ...args], cleanups);
  const listening = (await pool.waitFor((line) => line.type === 'listening')) as {
    stratum: string;
    page: string;
    websocket: string;
  };
  return { ...pool, ...listening, port: Number(new URL(listening.stratum.replace('stratum+tcp', 'http')).port) };
}

/** Resident memory of a process, bytes (Linux). */
export async function residentBytes(pid: number): Promise<number> {
  const { readFileSync } = await import('node:fs');
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error('no VmRSS');
  return Number(match[1]) * 1024;
}
