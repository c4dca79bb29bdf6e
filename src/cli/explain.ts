/** `powlab explain`: pick the header (given, stored, or the regtest genesis), find a hashrate, print the walk-through. */
import { serializeBlock } from '../core/block.js';
import { headerBytesFromHex } from '../core/header.js';
import { hexToBytes } from '../core/bytes.js';
import { MAINNET, type ChainParams } from '../core/params.js';
import { serializeTx } from '../core/tx.js';
import { parseHashrate, parseMeasureSeconds } from '../economics/inputs.js';
import { errorMessage, Errors } from '../errors.js';
import { explainBlock, type BlockExplanation } from '../explain/block.js';
import { explainHeader, timeAtHashrate } from '../explain/header.js';
import type { Measurement } from '../miner/measure.js';
import { retargetFacts, type RetargetFacts } from '../explain/retarget.js';
import { readChain } from './chain-read.js';
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
  retarget?: RetargetFacts;
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
    ...(subject.retarget ? { retarget: subject.retarget } : {}),
  };
  if (args.json) printJson(explanation);
  else process.stdout.write(renderExplanation(explanation));
}

/** Every option checked before anything is read or measured, so bad input never waits on the miner. */
function checkArgs(args: ExplainArgs): { hashrate?: number; seconds: number } {
  return { hashrate: parseHashrate('hashrate', args.hashrate), seconds: parseMeasureSeconds(args.seconds) };
}

function genesis(params: ChainParams): Subject {
  const block = serializeBlock(params.genesisHeader, [serializeTx(params.genesisCoinbase)]);
  return {
    source: { kind: 'genesis', chain: params.name === 'classnet' ? 'classnet' : 'regtest' },
    header: block.subarray(0, 80),
    block: explainBlock(block, { layout: 'powlab', params, height: 0 }),
  };
}

function stored(args: ExplainArgs, height: number | 'tip'): Subject {
  const chain = readChain(args);
  const { tree } = chain.scan;
  const tip = height === 'tip';
  const tipHeight = tree.tip.height;
  const chosen = tip ? tipHeight : height;
  if (chosen > tipHeight) throw noBlockAtHeight('--height', chosen, chain.datadir, tipHeight);
  if (chosen === 0) return genesis(chain.params);
  const entry = tree.activeChain()[chosen];
  const block = chain.blockBytes(entry);
  const retarget = retargetFacts(tree, entry);
  return {
    source: {
      kind: 'store',
      datadir: chain.datadir,
      height: chosen,
      tip,
      chain: chain.params.name === 'classnet' ? 'classnet' : 'regtest',
    },
    header: block.subarray(0, 80),
    block: explainBlock(block, { layout: 'powlab', params: chain.params, height: chosen }),
    ...(retarget ? { retarget } : {}),
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
  return stored(args, args.height ?? 'tip');
}

async function measured(
  seconds: number,
  threads: number | undefined,
): Promise<{ hashrate: number; measurement: Measurement }> {
  const measurement = await measureThisMachine(seconds, threads);
  return { hashrate: measurement.hashrate, measurement };
}
