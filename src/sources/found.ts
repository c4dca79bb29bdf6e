/**
 * Blocks and shares powlab found for someone else (a node, a pool), kept on disk before they are
 * sent: if the submission is lost (the node restarts, the connection drops), the work is not.
 * One JSON file per find in <datadir>/found/, written to a temporary name, synced, then renamed, so
 * a crash leaves either the whole file or none.
 */
import { join } from 'node:path';
import { Errors, errorMessage } from '../errors.js';
import { ensureDirectory, writeFileAtomically } from '../storage/durable.js';
import type { Share } from '../stratum/work.js';

const FOUND_DIR = 'found';

export interface FoundBlock {
  /** Where it goes: "rpc http://127.0.0.1:18443", "stratum pool.example:3333" (never credentials). */
  source: string;
  height?: number;
  /** Block hash, display order (reversed hex). */
  hash: string;
  /** The 80-byte header, hex. */
  header: string;
  /** The whole block, hex, when the finder has it. */
  block?: string;
  /** A pool's block is not whole here: the coinbase (hex) and its merkle branch rebuild it, with the share as sent. */
  coinbase?: string;
  merkleBranch?: string[];
  share?: Share;
}

/** Write a find to <datadir>/found/<hash>.json durably; returns the file's path. */
export function saveFoundBlock(datadir: string, found: FoundBlock): string {
  if (!/^[0-9a-f]{64}$/.test(found.hash))
    throw new RangeError(`a found block's hash must be 64 lower-case hex digits, got ${JSON.stringify(found.hash)}`);
  const dir = join(datadir, FOUND_DIR);
  const file = join(dir, `${found.hash}.json`);
  try {
    ensureDirectory(dir, 'found-blocks folder');
    writeFileAtomically(file, `${JSON.stringify({ ...found, foundAt: new Date().toISOString() })}\n`);
  } catch (error) {
    throw Errors.store(`could not save found block ${found.hash} in ${dir}: ${errorMessage(error)}`);
  }
  return file;
}
