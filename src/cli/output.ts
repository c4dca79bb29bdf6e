/** How powlab talks to a terminal or a pipe: colour and live lines only on a TTY, NO_COLOR respected. */
import { PowlabError } from '../errors.js';

export const stdoutIsTTY = Boolean(process.stdout.isTTY);
export const stderrIsTTY = Boolean(process.stderr.isTTY);

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

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, jsonReplacer)}\n`);
}

/** bigints and byte arrays have no JSON form: numbers as decimal strings, bytes as hex. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex');
  return value;
}

/** One line on stderr for a failure, never a stack (unless POWLAB_DEBUG asks for it). */
export function reportError(error: unknown): number {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0];
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

/** A value scaled by thousands into the largest unit that keeps it at or above 1. */
function scaleByThousands(value: number, units: readonly string[]): { value: number; unit: string } {
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return { value, unit: units[unit] };
}

export function formatHashrate(hashesPerSecond: number): string {
  const { value, unit } = scaleByThousands(hashesPerSecond, ['H/s', 'kH/s', 'MH/s', 'GH/s', 'TH/s', 'PH/s', 'EH/s']);
  return `${value.toFixed(value >= 100 ? 0 : value >= 10 ? 1 : 2)} ${unit}`;
}

export function formatCount(n: number): string {
  const { value, unit } = scaleByThousands(n, ['', 'k', 'M', 'G', 'T', 'P', 'E']);
  return unit === '' ? String(Math.round(value)) : `${value.toFixed(2)}${unit}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '∞';
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 2 : 1)}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`;
  if (seconds < 86400 * 2) return `${(seconds / 3600).toFixed(1)}h`;
  if (seconds < 86400 * 365 * 2) return `${(seconds / 86400).toFixed(1)} days`;
  return `${(seconds / (86400 * 365.25)).toExponential(2)} years`;
}
