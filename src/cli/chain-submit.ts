/**
 * `powlab chain export` and `powlab chain submit`: whole blocks out of one datadir as hex lines, and
 * into another, each judged by the chain's rules and kept in its tree, side branches included.
 */
import { readFileSync } from 'node:fs';
import { bytesToHex, hexToBytes } from '../core/bytes.js';
import { BlockRefusedError } from '../chain/rules.js';
import { Errors, PowlabError, errorMessage } from '../errors.js';
import { parseBlock } from '../core/block.js';
import { openChainFiles } from '../sources/chain-files.js';
import { createNetworkFile } from '../sources/chain-network.js';
import { ChainStore, type Appended } from '../sources/chain-store.js';
import { describeFsError, readSmallRegularFile } from '../storage/durable.js';
import { chainFromArgs, type NetworkArgs } from './chain-options.js';
import { reorgJson, reorgLine } from './chain-events.js';
import { readChain } from './chain-read.js';
import { noBlockAtHeight } from './heights.js';
import { paint, printJson } from './output.js';

/** A file of blocks: 4 MB blocks are 8 MB of hex; a lab chain's export is far below this. */
const MAX_SUBMIT_BYTES = 256 * 1024 * 1024;

export function exportChain(args: NetworkArgs & { from: number }): void {
  const chain = readChain(args);
  const active = chain.scan.tree.activeChain();
  const tip = active.length - 1;
  if (args.from > tip) throw noBlockAtHeight('--from', args.from, chain.datadir, tip);
  for (const block of active.slice(Math.max(args.from, 1)))
    process.stdout.write(`${bytesToHex(chain.blockBytes(block))}\n`);
}

/** The hex blocks the argument names: one in hex, a file of them, or stdin. */
function blockLines(source: string): string[] {
  let text: string;
  if (source === '-') {
    try {
      text = readFileSync(0, 'latin1');
    } catch (error) {
      throw Errors.badOption('blocks', `cannot read stdin: ${describeFsError(error)}`);
    }
  } else if (/^[0-9a-fA-F]{162,}$/.test(source)) {
    text = source;
  } else {
    try {
      text = Buffer.from(readSmallRegularFile(source, MAX_SUBMIT_BYTES)).toString('latin1');
    } catch (error) {
      throw Errors.badOption(
        'blocks',
        `neither a block in hex nor a file of them that can be read: ${source} (${describeFsError(error)})`,
      );
    }
  }
  const lines = text.split(/\s+/).filter(Boolean);
  if (lines.length === 0) throw Errors.badOption('blocks', `${source === '-' ? 'stdin' : source} holds no block`);
  return lines;
}

function acceptedLine(added: Appended): string {
  const where = added.active ? 'on the active chain' : 'on a side branch';
  return added.duplicate
    ? `${paint('known', 'grey')} block ${added.block.height} ${added.block.id}: already in the chain (${where})`
    : `${paint('accepted', 'green')} block ${added.block.height} ${added.block.id} ${where}`;
}

export async function submitBlocks(args: NetworkArgs & { blocks?: string; json: boolean }): Promise<void> {
  if (args.blocks === undefined) throw Errors.badOption('blocks', 'name a block in hex, a file of them, or - (stdin)');
  const lines = blockLines(args.blocks);
  const { datadir, params, create } = chainFromArgs(args);
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const storage = openChainFiles(datadir);
  try {
    if (create) createNetworkFile(datadir, create);
  } catch (error) {
    storage.close();
    throw error;
  }
  const store = ChainStore.open(storage, params, warn);
  try {
    for (const [index, line] of lines.entries()) {
      const which = lines.length > 1 ? `line ${index + 1}: ` : '';
      let bytes: Uint8Array;
      try {
        bytes = hexToBytes(line, 'block');
        parseBlock(bytes);
      } catch (error) {
        // Core's submitblock words it so: the bytes are no block at all.
        throw refused(`${which}block decode failed: ${errorMessage(error)}`, 'block-decode-failed', args.json);
      }
      let added: Appended;
      try {
        added = await store.append(bytes);
      } catch (error) {
        if (error instanceof BlockRefusedError) throw refused(`${which}${error.message}`, error.rule, args.json);
        throw error;
      }
      if (args.json) {
        printJson({
          type: 'block',
          height: added.block.height,
          hash: added.block.id,
          accepted: true,
          duplicate: added.duplicate,
          active: added.active,
        });
        if (added.reorg) printJson(reorgJson(added.reorg));
      } else {
        process.stdout.write(`${acceptedLine(added)}\n`);
        if (added.reorg) process.stdout.write(`${reorgLine(added.reorg)}\n`);
      }
    }
  } finally {
    store.close();
  }
}

/** A refusal: one line on stderr naming the rule (and a JSON line with --json), exit 1. */
function refused(message: string, rule: string, json: boolean): PowlabError {
  if (json) printJson({ type: 'refused', rule, reason: message });
  return new PowlabError(message, 'ERR_BLOCK_REFUSED', 1);
}
