/**
 * How the command line checks an option: once, as yargs coerces it, with the check its room exports
 * (the engine's, the mining session's) or one of these. yargs keeps only the message of what a
 * coerce throws, so the check's error is worded for the command line here, flag and all.
 */
import { plainNumber } from '../economics/inputs.js';
import { Errors } from '../errors.js';
import { cliWords } from './output.js';

/** `check` as a yargs coerce: what it refuses is said with the option's flag (`--threads: ...`). */
export function optionArg<T>(check: (raw: string) => T): (raw: unknown) => T {
  return (raw) => {
    try {
      return check(String(raw));
    } catch (error) {
      throw new Error(cliWords(error));
    }
  };
}

/** A number option as typed, checked strictly: '', 'abc' or '0x2' is named as given, not read as 0, NaN or 2. */
export function numberArg(option: string, check: (value: number) => number): (raw: unknown) => number {
  return optionArg((text) => {
    const value = plainNumber(text);
    if (value === undefined) throw Errors.badOption(option, `must be a number, got ${JSON.stringify(text)}`);
    return check(value);
  });
}

/** The one port check, for every port a command listens on: 0 lets the system choose a free one. */
function checkPort(option: string, port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw Errors.badOption(option, `must be a whole number from 0 to 65535, got ${port}`);
  return port;
}

/** A port option, checked as it is parsed. */
export function portArg(option: string): (raw: unknown) => number {
  return numberArg(option, (port) => checkPort(option, port));
}

/** A number above zero, finite. */
function checkPositive(option: string, value: number): number {
  if (!(value > 0) || !Number.isFinite(value))
    throw Errors.badOption(option, `must be a positive number, got ${value}`);
  return value;
}

/** A positive number option, checked as it is parsed. */
export function positiveArg(option: string): (raw: unknown) => number {
  return numberArg(option, (value) => checkPositive(option, value));
}
