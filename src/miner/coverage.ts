/** The nonces one worker has hashed in the current header: an exact count, and the latest ranges to draw. */

/** Enough to draw a header's nonce map; the count stays exact however many ranges a header takes. */
export const RANGES_KEPT = 256;

export class NonceCoverage {
  /** Nonces hashed in this header, every range counted. */
  count = 0;
  /** The latest ranges [start, end), a range that continues the one before merged into it. */
  readonly ranges: [number, number][] = [];

  /** A new header: its nonces are counted from nothing. */
  reset(): void {
    this.count = 0;
    this.ranges.length = 0;
  }

  add(start: number, end: number): void {
    this.count += end - start;
    const last = this.ranges[this.ranges.length - 1];
    if (last && last[1] === start) last[1] = end;
    else this.ranges.push([start, end]);
    if (this.ranges.length > RANGES_KEPT) this.ranges.shift();
  }
}
