/** `powlab explain`: pick the header (given, stored, or the regtest genesis), find a hashrate, print the walk-through. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serializeBlock } from '../core/block.js';
import { headerBytesFromHex } from '../core/header.js';
import { REGTEST } from '../core/params.js';
import { serializeTx } from '../core/tx.js';
import { parseHashrate, parseMeasureSeconds } from '../economics/inputs.js';
import { Errors } from '../errors.js';
import { explainBlock, type BlockExplanation } from '../explain/block.js';
import { explainHeader, timeAtHashrate } from '../explain/header.js';
import { BLOCKS_FILE, readStore } from '../sources/chain-files.js';
import { storedBlockBytes } from '../sources/chain-store.js';
import type { Measurement } from '../miner/measure.js';
import type { ExplainArgs } from './commands/explain.js';
import { renderExplanation } from './explain-text.js';
import { measureThisMachine } from './measuring.js';
import { printJson } from './output.js';

export type ExplainSource =
  | { kind: 'header' }
  | { kind: 'genesis'; chain: 'regtest' }
  | { kind: 'store'; datadir: string; height: number; tip: boolean };

interface Subject {
  source: ExplainSource;
  header: Uint8Array;
  block?: BlockExplanation;
}

export type Explanation = { source: ExplainSource } & ReturnType<typeof explainHeader> &
  ReturnType<typeof timeAtHashrate> & { hashrateSource: 'given' | 'measured'; measurement?: Omit<Measurement, 'hashrate'>; block?: BlockExplanation };

export async function explain(args: ExplainArgs): Promise<void> {
  const { hashrate: given, seconds } = checkArgs(args);
  const subject = subjectFrom(args);
  const facts = explainHeader(subject.header);
  const { hashrate, measurement } = given === undefined ? await measured(seconds, args.threads) : { hashrate: given, measurement: undefined };
  const explanation: Explanation = {
    source: subject.source,
    ...facts,
    ...timeAtHashrate(facts, hashrate),
    hashrateSource: measurement ? 'measured' : 'given',
    ...(measurement ? { measurement: { hashes: measurement.hashes, seconds: measurement.seconds, backend: measurement.backend, threads: measurement.threads } } : {}),
    ...(subject.block ? { block: subject.block } : {}),
  };
  if (args.json) printJson(explanation);
  else process.stdout.write(renderExplanation(explanation));
}

/** Every option checked before anything is read or measured, so bad input never waits on the miner. */
function checkArgs(args: ExplainArgs): { hashrate?: number; seconds: number } {
  if (args.height !== undefined && (!Number.isInteger(args.height) || args.height < 0)) throw Errors.badOption('height', `must be a whole number from 0 up, got ${args.height}`);
  if (args.threads !== undefined && (!Number.isInteger(args.threads) || args.threads < 1 || args.threads > 1024)) throw Errors.badOption('threads', `must be a whole number from 1 to 1024, got ${args.threads}`);
  return { hashrate: parseHashrate('hashrate', args.hashrate), seconds: parseMeasureSeconds(args.seconds) };
}

function genesis(): Subject {
  const block = serializeBlock(REGTEST.genesisHeader, [serializeTx(REGTEST.genesisCoinbase)]);
  return { source: { kind: 'genesis', chain: 'regtest' }, header: block.subarray(0, 80), block: explainBlock(block, 0) };
}

function stored(datadir: string, height: number | 'tip'): Subject {
  const store = readStore(datadir);
  if (store.scan.problem) {
    process.stderr.write(`powlab: warning: the store is damaged from block ${store.scan.problem.height} on (powlab chain verify --datadir ${datadir}); reading the blocks before it\n`);
  }
  const tip = height === 'tip';
  const chosen = tip ? store.scan.blocks.length : height;
  if (chosen === 0) return genesis();
  const block = storedBlockBytes(store, chosen);
  return { source: { kind: 'store', datadir, height: chosen, tip }, header: block.subarray(0, 80), block: explainBlock(block, chosen) };
}

function subjectFrom(args: ExplainArgs): Subject {
  if (args.header !== undefined) return { source: { kind: 'header' }, header: headerBytesFromHex(String(args.header)) };
  if (args.height === 0) return genesis();
  if (args.height !== undefined) {
    if (!existsSync(join(args.datadir, BLOCKS_FILE))) throw Errors.badOption('height', `no block at height ${args.height}: there is no chain in ${args.datadir} yet (powlab mine makes one)`);
    return stored(args.datadir, args.height);
  }
  // Nothing named: the block just mined is the one worth explaining; before any, the genesis.
  return existsSync(join(args.datadir, BLOCKS_FILE)) ? stored(args.datadir, 'tip') : genesis();
}

async function measured(seconds: number, threads: number | undefined): Promise<{ hashrate: number; measurement: Measurement }> {
  const measurement = await measureThisMachine(seconds, threads);
  return { hashrate: measurement.hashrate, measurement };
}
