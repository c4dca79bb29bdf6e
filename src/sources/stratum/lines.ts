/**
 * Stratum frames each JSON-RPC message as one line. A peer can send a line that never ends, so the
 * buffer refuses any line longer than a cap before holding it whole.
 */

const NEWLINE = 0x0a;
const decoder = new TextDecoder();

export class LineBuffer {
  /** Set once a line passed the cap: the stream is no longer trusted, and nothing more is read. */
  overflowed = false;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  constructor(readonly maxLineBytes: number) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1)
      throw new RangeError(`maxLineBytes must be a positive whole number, got ${maxLineBytes}`);
  }

  /** The lines `chunk` completes, without their line ends; blank lines are dropped. Lines before an overlong one still count. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    while (start < chunk.length && !this.overflowed) {
      const end = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      if (this.pendingBytes + piece.length > this.maxLineBytes) {
        this.overflowed = true;
        this.pending = [];
        this.pendingBytes = 0;
        break;
      }
      if (end === -1) {
        this.pending.push(Uint8Array.from(piece));
        this.pendingBytes += piece.length;
        break;
      }
      const line = this.take(piece).replace(/\r$/, '');
      if (line.trim() !== '') lines.push(line);
      start = end + 1;
    }
    return lines;
  }

  private take(last: Uint8Array): string {
    if (this.pending.length === 0) return decoder.decode(last);
    const whole = new Uint8Array(this.pendingBytes + last.length);
    let offset = 0;
    for (const part of this.pending) {
      whole.set(part, offset);
      offset += part.length;
    }
    whole.set(last, offset);
    this.pending = [];
    this.pendingBytes = 0;
    return decoder.decode(whole);
  }
}
