/**
 * Errors a user can cause (bad input, unreachable peers) carry an exit status and print as one line.
 * Factories give every throw a fresh stack and keep the wording in one place.
 */
import { countOf } from './format/numbers.js';

/**
 * What a front end needs to word an error its own way. The message is the engine's wording and names
 * no flag; the CLI words an option's error with its flag (`--threads: ...`), the web app with its
 * field, both from these facts.
 */
export interface ErrorFacts {
  /** The option at fault, as the CLI spells it without dashes: 'threads', 'zeros'. */
  option?: string;
  /** What is wrong with it, in words that name no flag. */
  why?: string;
  /** The whole numbers it may take; `max` absent: no upper limit. */
  range?: { min: number; max?: number; zero?: string };
  /** The value refused. */
  got?: number | string;
  /** Another option whose value this one cannot go with: `{ option: 'backend', value: 'webgpu' }`. */
  conflictsWith?: { option: string; value: string };
}

export class PowlabError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly exitCode: number = 2,
    readonly facts: ErrorFacts = {},
  ) {
    super(message);
    this.name = 'PowlabError';
  }
}

/**
 * A block was found but could not be stored (a full disk, most often): it is not mined until it is.
 * The store is as it was before; `blockHex` is the block itself, and `savedTo` the found/ file that
 * holds a copy when there was room for one (else null), so the caller can print or send it.
 */
export class BlockNotStoredError extends PowlabError {
  constructor(
    message: string,
    readonly height: number,
    /** Display order. */
    readonly hash: string,
    readonly blockHex: string,
    readonly savedTo: string | null,
  ) {
    super(message, 'ERR_BLOCK_NOT_STORED', 1);
    this.name = 'BlockNotStoredError';
  }
}

export const Errors = {
  badHex: (what: string, detail: string) => new PowlabError(`${what}: ${detail}`, 'ERR_BAD_HEX'),
  badLength: (what: string, expected: number, got: number) =>
    new PowlabError(
      `${what} must be ${expected} bytes (${expected * 2} hex digits), got ${countOf(got, 'byte')}`,
      'ERR_BAD_LENGTH',
    ),
  badCompact: (bits: number, why: string) =>
    new PowlabError(`invalid compact target 0x${(bits >>> 0).toString(16).padStart(8, '0')}: ${why}`, 'ERR_BAD_BITS'),
  badTarget: (why: string) => new PowlabError(`invalid target: ${why}`, 'ERR_BAD_TARGET'),
  badOption: (option: string, why: string, facts: Omit<ErrorFacts, 'option' | 'why' | 'conflictsWith'> = {}) =>
    new PowlabError(`${option}: ${why}`, 'ERR_BAD_OPTION', 2, { option, why, ...facts }),
  /** Two options that cannot go together: `option` is refused because of `conflictsWith`'s value. */
  conflictingOptions: (option: string, conflictsWith: { option: string; value: string }, why: string) =>
    new PowlabError(
      `${option} contradicts ${conflictsWith.option} ${conflictsWith.value}: ${why}`,
      'ERR_BAD_OPTION',
      2,
      {
        option,
        why,
        conflictsWith,
      },
    ),
  /** No WebGPU device here; `why` names no flag, so each front end can say it its own way. */
  noGpu: (why: string) => new PowlabError(why, 'ERR_NO_GPU', 2, { why }),
  badAddress: (address: string, why: string) =>
    new PowlabError(`invalid address ${address}: ${why}`, 'ERR_BAD_ADDRESS'),
  badData: (what: string, why: string) => new PowlabError(`${what}: ${why}`, 'ERR_BAD_DATA'),
  store: (why: string) => new PowlabError(why, 'ERR_STORE'),
  /** A write that did not reach the disk whole; what was there before is kept. Not the user's doing: exit 1. */
  writeFailed: (path: string, why: string) => new PowlabError(`cannot write ${path}: ${why}`, 'ERR_WRITE', 1),
  network: (why: string, exitCode = 3) => new PowlabError(why, 'ERR_NETWORK', exitCode),
  auth: (why: string) => new PowlabError(why, 'ERR_AUTH', 4),
  /** Ctrl-C before there was anything to show: the shell's convention for a stop by SIGINT. */
  interrupted: (why: string) => new PowlabError(why, 'ERR_INTERRUPTED', 130),
};

/** The message of whatever was thrown: an Error's own, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
