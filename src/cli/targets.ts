/** The ways a user names a target on the command line: --zeros N, --bits HEX, --target HEX. */
import { hexToBytes } from '../core/bytes.js';
import { bitsToTarget, MAX_TARGET, targetFromZeroBits, targetToBits } from '../core/target.js';
import { REGTEST } from '../core/params.js';
import { Errors } from '../errors.js';
import { numberArg } from './mining.js';

export interface TargetArgs {
  zeros?: number;
  bits?: string;
  target?: string;
}

/** The most zero bits a target can ask for: 255 leaves a target of 1, the hardest one that is not zero. */
const MAX_ZEROS = 255;

/**
 * The fewest zero bits the built-in regtest chain takes: its target, rounded to the compact bits a
 * header carries, may not be above the proof-of-work limit (bits 207fffff).
 */
export const CHAIN_MIN_ZEROS = fewestZerosWithin(bitsToTarget(REGTEST.powLimitBits));

function fewestZerosWithin(limit: bigint): number {
  let zeros = 0;
  while (bitsToTarget(targetToBits(targetFromZeroBits(zeros))) > limit) zeros++;
  return zeros;
}

/** --zeros from `min` (0 for a header alone, CHAIN_MIN_ZEROS for a chain) to 255; `byDefault` says what applies without it. */
export function zerosOption(min: number, byDefault?: string) {
  return {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('zeros', (zeros) => {
      if (!Number.isInteger(zeros) || zeros < min || zeros > MAX_ZEROS)
        throw Errors.badOption(
          'zeros',
          `must be a whole number from ${min} to ${MAX_ZEROS}${min > 0 ? ` (the regtest chain allows no easier target than ${min})` : ''}, got ${zeros}`,
        );
      return zeros;
    }),
    describe: `target: hashes must start with this many zero bits, ${min} to ${MAX_ZEROS}${byDefault === undefined ? '' : ` (default: ${byDefault})`}`,
    group: 'Target:',
  } as const;
}

export const targetOptions = {
  zeros: zerosOption(CHAIN_MIN_ZEROS),
  bits: {
    type: 'string',
    requiresArg: true,
    describe: 'target: compact bits, 8 hex digits (e.g. 207fffff)',
    group: 'Target:',
  },
  target: {
    type: 'string',
    requiresArg: true,
    describe: 'target: a 256-bit number in hex (up to 64 digits)',
    group: 'Target:',
  },
} as const;

export function parseBits(text: string): number {
  const digits = text.replace(/^0x/i, '');
  if (!/^[0-9a-fA-F]{1,8}$/.test(digits))
    throw Errors.badOption('bits', `must be up to 8 hex digits, got ${JSON.stringify(text)}`);
  return parseInt(digits, 16) >>> 0;
}

/** The target the options name, or undefined when none is given. */
export function targetFromArgs(args: TargetArgs): bigint | undefined {
  const given = (['zeros', 'bits', 'target'] as const).filter((key) => args[key] !== undefined);
  if (given.length > 1) throw Errors.badOption(given[1], `give only one of --zeros, --bits, --target`);
  if (args.zeros !== undefined) return targetFromZeroBits(args.zeros);
  if (args.bits !== undefined) return bitsToTarget(parseBits(args.bits));
  if (args.target !== undefined) {
    const text = args.target.replace(/^0x/i, '');
    if (text.length === 0 || text.length > 64)
      throw Errors.badOption('target', `must be 1 to 64 hex digits, got ${text.length}`);
    hexToBytes(text.length % 2 ? `0${text}` : text, '--target');
    const target = BigInt(`0x${text}`);
    if (target === 0n || target > MAX_TARGET)
      throw Errors.badOption('target', 'must be above zero: no hash can meet a zero target');
    return target;
  }
  return undefined;
}
