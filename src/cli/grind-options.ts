/** The options of `powlab grind`, each checked once as it is parsed, and the argv type yargs infers from them. */
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { NONCE_SPACE } from '../core/header.js';
import { Errors } from '../errors.js';
import { engineOptions, numberArg } from './mining.js';
import { targetOptions } from './targets.js';

function checkStart(start: number): number {
  if (!Number.isInteger(start) || start < 0 || start >= NONCE_SPACE) throw Errors.badOption('start', `must be a nonce from 0 to 4294967295, got ${start}`);
  return start;
}

function checkCount(count: number): number {
  if (!Number.isInteger(count) || count < 1 || count > NONCE_SPACE) throw Errors.badOption('count', `must be a whole number from 1 to ${NONCE_SPACE}, got ${count}`);
  return count;
}

export const grindOptions = {
  ...engineOptions,
  ...targetOptions,
  header: { type: 'string', requiresArg: true, demandOption: true, describe: 'the header, 160 hex digits (its nonce is ignored)' },
  start: { type: 'string', requiresArg: true, default: '0', coerce: numberArg('start', checkStart), describe: 'first nonce to try' },
  count: { type: 'string', requiresArg: true, coerce: numberArg('count', checkCount), describe: 'how many nonces to try (default: to the end of the nonce space)' },
} as const satisfies Record<string, Options>;

export type GrindOptionTypes = InferredOptionTypes<typeof grindOptions>;
export type GrindArgs = ArgumentsCamelCase<GrindOptionTypes>;

