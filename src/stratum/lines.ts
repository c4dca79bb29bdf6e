/**
 * Stratum frames each JSON-RPC message as one line. A peer can send a line that never ends, so the
 * buffer refuses any line longer than a cap before holding it whole; and a peer can send nothing but
 * line ends, so blank lines come out as lines too (each one is work for the reader, and a reader
 * that skips them unseen can be kept busy for ever), one at a time, so a reader that has had enough
 * stops the splitting where it is.
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

  /**
   * The lines `chunk` completes, without their line ends (CR LF or LF), blank ones included. Lines
   * before an overlong one still count. Leaving the loop early leaves the rest of the chunk unread.
   */
  *push(chunk: Uint8Array): Generator<string, void, undefined> {
    let start = 0;
    while (start < chunk.length && !this.overflowed) {
      const end = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      if (this.pendingBytes + piece.length > this.maxLineBytes) {
        this.overflowed = true;
        this.pending = [];
        this.pendingBytes = 0;
        return;
      }
      if (end === -1) {
        this.pending.push(Uint8Array.from(piece));
        this.pendingBytes += piece.length;
        return;
      }
      start = end + 1;
      yield this.take(piece).replace(/\r$/, '');
    }
  }

  private take(last: Uint8Array): string {
    if (this.pending.length === 0) return last.length === 0 ? '' : decoder.decode(last);
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
