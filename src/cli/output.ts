/** How powlab talks to a terminal or a pipe: colour and live lines only on a TTY, NO_COLOR respected. */
import { errorMessage, PowlabError } from '../errors.js';

export function colourEnabled(stream: NodeJS.WriteStream = process.stdout): boolean {
  if ('NO_COLOR' in process.env && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

const codes = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, grey: 90 } as const;
export type Colour = keyof typeof codes;

export function paint(text: string, colour: Colour, stream: NodeJS.WriteStream = process.stdout): string {
  return colourEnabled(stream) ? `\x1b[${codes[colour]}m${text}\x1b[0m` : text;
}

/**
 * stdout's reader may be slow or gone (a pipe nobody reads): what is written then waits in memory.
 * Results (blocks, shares, JSON objects) are never dropped: the mining run waits for the reader
 * (outputReady in mining.ts) or stops. Status lines are dropped while the reader is behind, and
 * counted. After a signal, output still waiting holds the exit for EXIT_GRACE_MS at most.
 */
const EXIT_GRACE_MS = 2_000;
/** Results waiting for a reader past which the run stops rather than hold more (a source that cannot wait). */
export const MAX_WAITING_OUTPUT_BYTES = 8 * 1024 * 1024;

let droppedStatusLines = 0;
let endAsked = false;

/** True while stdout's reader is behind (its buffer is over the stream's high-water mark). */
export function stdoutBehind(): boolean {
  return process.stdout.writableNeedDrain;
}

/** Resolves once stdout's reader has caught up, or when `signal` aborts. */
export function stdoutCaughtUp(signal: AbortSignal): Promise<void> {
  if (!stdoutBehind() || signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      process.stdout.off('drain', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    process.stdout.once('drain', done);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** A status line (a headline, a notice): written when stdout keeps up, else dropped and counted. */
export function writeStatusLine(text: string): void {
  if (stdoutBehind()) droppedStatusLines++;
  else process.stdout.write(`${text}\n`);
}

/** A signal asked the process to end: output that cannot be written must not hold it. */
export function noteEndAsked(): void {
  endAsked = true;
}

/**
 * The last thing the CLI does: say how many status lines were dropped; then, when a signal asked
 * for the end and stdout's reader is gone quiet, end after EXIT_GRACE_MS without what still waits
 * (the store is already whole: only printed lines are lost).
 */
export async function endOutput(): Promise<void> {
  if (droppedStatusLines > 0)
    process.stderr.write(`powlab: ${droppedStatusLines} status line(s) dropped while stdout was not being read\n`);
  if (!endAsked || process.stdout.writableLength === 0) return;
  const drained = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), EXIT_GRACE_MS);
    process.stdout.once('drain', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (drained) return;
  process.stderr.write(
    `powlab: stdout is not being read: ending without the ${process.stdout.writableLength} bytes still waiting\n`,
  );
  process.exit(process.exitCode ?? 1);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer)}\n`);
}

/** bigints and byte arrays have no JSON form: numbers as decimal strings, bytes as hex. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}

/**
 * An error in the command line's words: the engine names an option by its name ("threads: ..."),
 * the command line by the flag the user typed ("--threads: ...").
 */
export function cliWords(error: unknown): string {
  if (!(error instanceof PowlabError)) return errorMessage(error);
  const { option, why, conflictsWith } = error.facts;
  if (error.code === 'ERR_BAD_OPTION' && option !== undefined && why !== undefined)
    return conflictsWith
      ? `--${option} contradicts --${conflictsWith.option} ${conflictsWith.value}: ${why}`
      : `--${option}: ${why}`;
  if (error.code === 'ERR_NO_GPU' && why !== undefined) return `webgpu is unavailable: ${why}`;
  return error.message;
}

/** One line on stderr for a failure, never a stack (unless POWLAB_DEBUG asks for it). */
export function reportError(error: unknown): number {
  const firstLine = cliWords(error).split('\n')[0];
  process.stderr.write(`powlab: ${firstLine}\n`);
  if (process.env.POWLAB_DEBUG && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
  return error instanceof PowlabError ? error.exitCode : 1;
}

/** A status line that rewrites itself on a terminal and stays silent elsewhere. */
export class StatusLine {
  private shown = false;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return Boolean(this.stream.isTTY);
  }

  update(text: string): void {
    if (!this.enabled) return;
    const width = this.stream.columns || 100;
    this.stream.write(`\r\x1b[2K${text.slice(0, width - 1)}`);
    this.shown = true;
  }

  clear(): void {
    if (this.shown) this.stream.write('\r\x1b[2K');
    this.shown = false;
  }
}
