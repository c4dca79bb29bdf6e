/**
 * The numbers a user may ask of a mining run, and the one check for each. The CLI's flags, the web
 * app's form and the teacher's link all read these, so every front end refuses the same values; the
 * error carries the option, its range and the value, and each front end words it its own way.
 */
import { REGTEST } from '../core/params.js';
import { bitsToTarget, targetFromZeroBits, targetToBits } from '../core/target.js';
import { Errors } from '../errors.js';

/** Whole numbers from `min` to `max` (no `max`: no upper limit); `zero`: what 0 means, where it is special. */
export interface WholeRange {
  min: number;
  max?: number;
  zero?: string;
}

/** The most zero bits a target can ask for: 255 leaves a target of 1, the hardest one that is not zero. */
const MAX_ZERO_BITS = 255;

/** Leading zero bits of any target, for a header on its own. */
export const HEADER_ZERO_BITS: WholeRange = { min: 0, max: MAX_ZERO_BITS };

/**
 * Leading zero bits of the built-in chain's target: from the fewest whose target, rounded to the compact
 * bits a header carries, is not above regtest's proof-of-work limit (bits 207fffff), to 255.
 */
export const ZERO_BITS: WholeRange = { min: fewestZerosWithin(bitsToTarget(REGTEST.powLimitBits)), max: MAX_ZERO_BITS };

function fewestZerosWithin(limit: bigint): number {
  let zeros = 0;
  while (bitsToTarget(targetToBits(targetFromZeroBits(zeros))) > limit) zeros++;
  return zeros;
}

/** Blocks to find before a run stops. */
export const BLOCK_COUNT: WholeRange = { min: 0, zero: 'no limit' };

/** "a whole number from 1 to 255", "a whole number from 0 up (0: no limit)". */
export function describeRange(range: WholeRange): string {
  const span = range.max === undefined ? `from ${range.min} up` : `from ${range.min} to ${range.max}`;
  return `a whole number ${span}${range.zero ? ` (0: ${range.zero})` : ''}`;
}

export function checkWhole(option: string, range: WholeRange, value: number): number {
  if (!Number.isInteger(value) || value < range.min || (range.max !== undefined && value > range.max))
    throw Errors.badOption(option, `must be ${describeRange(range)}, got ${value}`, { range, got: value });
  return value;
}
