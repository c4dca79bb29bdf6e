/** `powlab explain`: pick the header (given, stored, or the regtest genesis), find a hashrate, print the walk-through. */
import { serializeBlock } from '../core/block.js';
import { headerBytesFromHex } from '../core/header.js';
import { hexToBytes } from '../core/bytes.js';
import { MAINNET, REGTEST } from '../core/params.js';
import { serializeTx } from '../core/tx.js';
import { parseHashrate, parseMeasureSeconds } from '../economics/inputs.js';
import { errorMessage, Errors } from '../errors.js';
import { explainBlock, type BlockExplanation } from '../explain/block.js';
import { explainHeader, timeAtHashrate } from '../explain/header.js';
import type { Measurement } from '../miner/measure.js';
import { readStore } from '../sources/chain-files.js';
import { storedBlockBytes } from '../sources/chain-store.js';
import type { ExplainArgs } from './explain-options.js';
import { noBlockAtHeight } from './heights.js';
import { renderExplanation, type Explanation, type ExplainSource } from './explain-text.js';
import { measureThisMachine } from './measuring.js';
import { describeFsError, readSmallRegularFile } from '../storage/durable.js';
import { printJson } from './output.js';

interface Subject {
  source: ExplainSource;
  header: Uint8Array;
  block?: BlockExplanation;
}

export async function explain(args: ExplainArgs): Promise<void> {
  const { hashrate: given, seconds } = checkArgs(args);
  const subject = subjectFrom(args);
  const facts = explainHeader(subject.header);
  const { hashrate, measurement } =
    given === undefined ? await measured(seconds, args.threads) : { hashrate: given, measurement: undefined };
  const explanation: Explanation = {
    source: subject.source,
    ...facts,
    ...timeAtHashrate(facts, hashrate),
    hashrateSource: measurement ? 'measured' : 'given',
    ...(measurement
      ? {
          measurement: {
            hashes: measurement.hashes,
            seconds: measurement.seconds,
            backend: measurement.backend,
            threads: measurement.threads,
            adapter: measurement.adapter,
          },
        }
      : {}),
    ...(subject.block ? { block: subject.block } : {}),
  };
  if (args.json) printJson(explanation);
  else process.stdout.write(renderExplanation(explanation));
}

/** Every option checked before anything is read or measured, so bad input never waits on the miner. */
function checkArgs(args: ExplainArgs): { hashrate?: number; seconds: number } {
  return { hashrate: parseHashrate('hashrate', args.hashrate), seconds: parseMeasureSeconds(args.seconds) };
}

function genesis(): Subject {
  const block = serializeBlock(REGTEST.genesisHeader, [serializeTx(REGTEST.genesisCoinbase)]);
  return {
    source: { kind: 'genesis', chain: 'regtest' },
    header: block.subarray(0, 80),
    block: explainBlock(block, { layout: 'powlab', params: REGTEST, height: 0 }),
  };
}

function stored(datadir: string, height: number | 'tip'): Subject {
  const store = readStore(datadir);
  if (store.scan.problem) {
    process.stderr.write(
      `powlab: warning: the store is damaged from block ${store.scan.problem.height} on (powlab chain verify --datadir ${datadir}); reading the blocks before it\n`,
    );
  }
  const tip = height === 'tip';
  const tipHeight = store.scan.blocks.length;
  const chosen = tip ? tipHeight : height;
  if (chosen > tipHeight) throw noBlockAtHeight('--height', chosen, datadir, tipHeight);
  if (chosen === 0) return genesis();
  const block = storedBlockBytes(store, chosen);
  return {
    source: { kind: 'store', datadir, height: chosen, tip },
    header: block.subarray(0, 80),
    block: explainBlock(block, { layout: 'powlab', params: REGTEST, height: chosen }),
  };
}

/**
 * The most a --block file may hold: a block is at most 4,000,000 weight units, so 4 MB of bytes or
 * 8 MB of hex digits, and a little more for a 0x and line ends around them.
 */
const MAX_BLOCK_FILE_BYTES = 8_000_000 + 1024;

/** A whole block from --block: hex on the command line, or a file of hex or raw bytes. Either is untrusted, and capped. */
function givenBlock(text: string): Subject {
  const isHex = /^(0x)?[0-9a-fA-F]+$/.test(text) && text.length >= 2 * (80 + 1);
  const file = isHex ? null : text;
  const bytes = file === null ? hexToBytes(text, 'block') : blockFromFile(file);
  // Whose block it is, the bytes do not say: its addresses are written as main-net's.
  return {
    source: { kind: 'block', file },
    header: bytes.subarray(0, 80),
    block: explainBlock(bytes, { layout: 'any', params: MAINNET }),
  };
}

function blockFromFile(file: string): Uint8Array {
  let raw: Uint8Array;
  try {
    raw = readSmallRegularFile(file, MAX_BLOCK_FILE_BYTES);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw Errors.badOption(
        'block',
        `neither a block in hex nor a file that can be read: ${file.length > 40 ? `${file.slice(0, 37)}...` : file}`,
      );
    if (code === 'ETOOBIG') throw Errors.badOption('block', errorMessage(error));
    const why = code === 'ENOTREGULAR' ? errorMessage(error) : `cannot read ${file}: ${describeFsError(error)}`;
    throw Errors.badOption('block', `${why} (a block file holds at most ${MAX_BLOCK_FILE_BYTES} bytes)`);
  }
  const asText = Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1').trim();
  return /^(0x)?[0-9a-fA-F]+$/.test(asText) ? hexToBytes(asText, file) : raw;
}

function subjectFrom(args: ExplainArgs): Subject {
  if (args.block !== undefined) return givenBlock(String(args.block));
  if (args.header !== undefined) return { source: { kind: 'header' }, header: headerBytesFromHex(String(args.header)) };
  // Nothing named: the block just mined is the one worth explaining; before any, the genesis.
  return stored(args.datadir, args.height ?? 'tip');
}

async function measured(
  seconds: number,
  threads: number | undefined,
): Promise<{ hashrate: number; measurement: Measurement }> {
  const measurement = await measureThisMachine(seconds, threads);
  return { hashrate: measurement.hashrate, measurement };
}
