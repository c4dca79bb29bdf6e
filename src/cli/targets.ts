/** The ways a user names a target on the command line: --zeros N, --bits HEX, --target HEX. */
import type { InferredOptionTypes } from 'yargs';
import { hexToBytes } from '../core/bytes.js';
import { bitsToTarget, MAX_TARGET, targetFromZeroBits } from '../core/target.js';
import { Errors } from '../errors.js';
import { checkWhole, ZERO_BITS, type WholeRange } from '../mining/limits.js';
import { numberArg } from './option-args.js';

/** --zeros within `range` (HEADER_ZERO_BITS for a header alone, ZERO_BITS for a chain); `byDefault` says what applies without it. */
export function zerosOption(range: WholeRange, byDefault?: string) {
  return {
    type: 'string',
    requiresArg: true,
    coerce: numberArg('zeros', (zeros) => checkWhole('zeros', range, zeros)),
    describe: `target: hashes must start with this many zero bits, ${range.min} to ${range.max}${byDefault === undefined ? '' : ` (default: ${byDefault})`}`,
    group: 'Target:',
  } as const;
}

export const targetOptions = {
  zeros: zerosOption(ZERO_BITS),
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

type TargetArgs = Partial<InferredOptionTypes<typeof targetOptions>>;

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
