/** A `powlab mine --dashboard --json` run of the built CLI, and a Server-Sent Events reader for its stream. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { get, request, type IncomingMessage } from 'node:http';
import { createInterface } from 'node:readline';
import { BIN } from '../helpers/run-cli.js';

export interface DashboardRun {
  url: string;
  /** stdout lines after the dashboard's own, parsed: one per block or share. */
  results: Record<string, unknown>[];
  /** Resolves once the lines printed so far satisfy `ok`: checked at each new line. */
  printedWhen: (ok: (results: Record<string, unknown>[]) => boolean) => Promise<void>;
  stderr: () => string;
  /** Ctrl-C, as a user would; resolves with the exit code. */
  stop: () => Promise<number | null>;
  child: ChildProcess;
}

export async function startDashboardRun(args: string[], env: NodeJS.ProcessEnv = {}): Promise<DashboardRun> {
  const child = spawn(process.execPath, [BIN, 'mine', '--dashboard', '--port', '0', '--json', ...args], {
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = once(child, 'exit');
  const results: Record<string, unknown>[] = [];
  let waiting: { ok: (results: Record<string, unknown>[]) => boolean; resolve: () => void }[] = [];
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => {
      const first = JSON.parse(line) as { dashboard?: string };
      if (typeof first.dashboard === 'string') resolve(first.dashboard);
      else reject(new Error(`the first line is not the dashboard's: ${line}`));
      lines.on('line', (next) => {
        results.push(JSON.parse(next));
        const met = waiting.filter(({ ok }) => ok(results));
        waiting = waiting.filter((waiter) => !met.includes(waiter));
        for (const { resolve } of met) resolve();
      });
    });
    child.once('exit', (code) => reject(new Error(`mine exited ${code} before serving the dashboard: ${stderr}`)));
  });
  return {
    url,
    results,
    printedWhen: (ok) =>
      ok(results) ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ ok, resolve })),
    stderr: () => stderr,
    child,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      const [code] = await exited;
      return code as number | null;
    },
  };
}

export interface ServerEvent {
  name: string;
  data: Record<string, unknown>;
}

/** Reads an event stream as it arrives; `next` waits for a matching event that has not been taken yet. */
export class EventReader {
  readonly events: ServerEvent[] = [];
  private readonly taken = new Set<number>();
  private waiters: (() => void)[] = [];
  ended = false;

  private constructor(readonly response: IncomingMessage) {
    let buffer = '';
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      // Only the new text can complete a frame: a big event arrives in many chunks.
      let from = Math.max(0, buffer.length - 1);
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n', from)) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        from = 0;
        const name = /^event: (.*)$/m.exec(frame)?.[1];
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (name && data) this.events.push({ name, data: JSON.parse(data) });
      }
      this.wake();
    });
    const ended = () => {
      this.ended = true;
      this.wake();
    };
    // 'close' as well as 'end': a stream the server cuts ends with an 'aborted' error instead.
    response.on('end', ended);
    response.on('close', ended);
    response.on('error', ended);
  }

  static open(url: string): Promise<EventReader> {
    return new Promise((resolve, reject) =>
      get(url, (response) => resolve(new EventReader(response))).on('error', reject),
    );
  }

  /** The next `name` event not yet taken, as soon as it arrives: waits on the stream, never on a clock. */
  async next(name: string): Promise<ServerEvent['data']> {
    for (;;) {
      const index = this.events.findIndex((event, i) => !this.taken.has(i) && event.name === name);
      if (index >= 0) {
        this.taken.add(index);
        return this.events[index].data;
      }
      if (this.ended) throw new Error(`the stream ended before a ${name} event`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  close(): void {
    this.response.destroy();
  }

  private wake(): void {
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export interface RawAnswer {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

/** One request to 127.0.0.1 with the path and headers exactly as given (fetch would tidy both, and sets its own Host). */
export function rawRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}
