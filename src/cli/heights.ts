/** How a user names a height of the built-in chain, and the answer when there is no block there. */
import { Errors, type PowlabError } from '../errors.js';

/** A height in plain decimal digits: '', 0x1, 1e0 and -1 are none, rather than 0 or 1 as Number() reads them. */
export function parseHeight(text: string): number | undefined {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) && Number.isSafeInteger(Number(trimmed)) ? Number(trimmed) : undefined;
}

/** `--height`, checked. */
export function checkHeight(text: string): number {
  const height = parseHeight(text);
  if (height === undefined)
    throw Errors.badOption(
      'height',
      `must be a height in decimal digits, 0 (the regtest genesis) or more, got ${JSON.stringify(text)}`,
    );
  return height;
}

/** The answer to a height above the tip, for every command that reads the built-in chain. */
export function noBlockAtHeight(what: string, height: number, datadir: string, tip: number): PowlabError {
  return Errors.badData(
    what,
    `no block at height ${height}: the chain in ${datadir} goes up to ${tip}${tip === 0 ? ', the regtest genesis (powlab mine adds blocks)' : ''}`,
  );
}
