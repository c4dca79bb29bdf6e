/** `powlab chain list` and `powlab chain show N`: the built-in chain's blocks, read without changing the store. */
import { serializeBlock } from '../core/block.js';
import { describeHeader, type HeaderFacts } from '../core/describe.js';
import { REGTEST } from '../core/params.js';
import { serializeTx } from '../core/tx.js';
import { Errors } from '../errors.js';
import { explainBlock, type BlockExplanation } from '../explain/block.js';
import { countOf, formatBtc, formatDifficulty, formatInteger } from '../format/numbers.js';
import { readStore } from '../sources/chain-files.js';
import { storedBlockBytes } from '../sources/chain-store.js';
import { noBlockAtHeight, parseHeight } from './heights.js';
import { outputLine, rewardLines } from './explain-text.js';
import { paint, printJson } from './output.js';

interface ChainArgs {
  datadir: string;
  json: boolean;
}

interface ShownBlock {
  height: number;
  header: HeaderFacts;
  block: BlockExplanation;
}

/** Every block of the chain, the genesis first: the store's own blocks are checked as they are read. */
function chainBlocks(datadir: string): Uint8Array[] {
  const genesis = serializeBlock(REGTEST.genesisHeader, [serializeTx(REGTEST.genesisCoinbase)]);
  const store = readStore(datadir);
  if (store.scan.problem) {
    process.stderr.write(
      `powlab: warning: the store is damaged from block ${store.scan.problem.height} on (powlab chain verify --datadir ${datadir}); showing the blocks before it\n`,
    );
  }
  return [genesis, ...store.scan.blocks.map((stored) => storedBlockBytes(store, stored.height))];
}

function shown(blocks: Uint8Array[], height: number): ShownBlock {
  const bytes = blocks[height];
  return {
    height,
    header: describeHeader(bytes.subarray(0, 80)),
    block: explainBlock(bytes, { layout: 'powlab', params: REGTEST, height }),
  };
}

/** The payee of a coinbase in a few words: its first output that pays someone. */
function payee(block: BlockExplanation): string {
  const output = block.coinbase.outputs.find((o) => o.type !== 'nulldata') ?? block.coinbase.outputs[0];
  return output.address ?? (output.type === 'anyone' ? 'anyone (OP_TRUE)' : `script ${output.script.slice(0, 20)}`);
}

export function listChain(args: ChainArgs): void {
  const chain = chainBlocks(args.datadir);
  const blocks = chain.map((_, height) => shown(chain, height));
  if (args.json) {
    for (const { height, header, block } of blocks) {
      printJson({
        height,
        hash: header.hash,
        time: header.time,
        transactions: block.transactions,
        coinbaseValue: block.reward.coinbaseValue,
        payee: payee(block),
      });
    }
    return;
  }
  process.stdout.write(
    `${paint(`the built-in chain in ${args.datadir}`, 'bold')}: ${countOf(blocks.length - 1, 'block')} after the genesis\n`,
  );
  for (const { height, header, block } of blocks) {
    const time = new Date(header.time * 1000).toISOString().replace('.000Z', 'Z');
    const txs = countOf(block.transactions, 'tx');
    process.stdout.write(
      `${String(height).padStart(6)}  ${header.hash}  ${time}  ${txs}  ${formatBtc(block.reward.coinbaseValue)} to ${payee(block)}\n`,
    );
  }
}

/** A height in decimal digits, or a block hash as explorers show it. */
function parseBlockName(text: string): { height: number } | { hash: string } | undefined {
  const height = parseHeight(text);
  if (height !== undefined) return { height };
  if (/^[0-9a-f]{64}$/i.test(text.trim())) return { hash: text.trim().toLowerCase() };
  return undefined;
}

/** The height of the block the user named, checked against the chain there is. */
function heightOf(name: string | undefined, blocks: Uint8Array[], datadir: string): number {
  const tip = blocks.length - 1;
  const accepts = `a height from 0 to ${tip}, or a block hash (64 hex digits)`;
  if (name === undefined) throw Errors.badData('chain show', `name a block: ${accepts}`);
  const parsed = parseBlockName(name);
  if (!parsed) throw Errors.badData('chain show', `${JSON.stringify(name)} names no block: give ${accepts}`);
  if ('height' in parsed) {
    if (parsed.height > tip) throw noBlockAtHeight('chain show', parsed.height, datadir, tip);
    return parsed.height;
  }
  const height = blocks.findIndex((bytes) => describeHeader(bytes.subarray(0, 80)).hash === parsed.hash);
  if (height < 0) throw Errors.badData('chain show', `no block ${parsed.hash} in the chain in ${datadir}`);
  return height;
}

export function showBlock(args: ChainArgs & { block?: string }): void {
  const blocks = chainBlocks(args.datadir);
  const { height, header, block } = shown(blocks, heightOf(args.block, blocks, args.datadir));
  if (args.json) return printJson({ height, header, block });
  const I = '  ';
  const time = new Date(header.time * 1000).toISOString().replace('.000Z', 'Z');
  const lines = [
    paint(`block ${height} of the built-in chain in ${args.datadir}`, 'bold'),
    `${I}hash         ${header.hash}`,
    `${I}version      0x${(header.version >>> 0).toString(16).padStart(8, '0')}`,
    `${I}prev hash    ${header.prevHash}`,
    `${I}merkle root  ${header.merkleRoot}${block.merkleRootMatchesHeader ? '' : paint('  does NOT match the transactions', 'red')}`,
    `${I}time         ${header.time} (${time})`,
    `${I}bits         0x${header.bits}: target ${header.target}, difficulty ${formatDifficulty(header.difficulty)}`,
    `${I}nonce        ${header.nonce}`,
    '',
    paint('coinbase', 'bold'),
    `${I}txid ${block.coinbase.txid}`,
  ];
  const cb = block.coinbase;
  if (cb.bip34Height !== null) {
    lines.push(
      `${I}BIP 34 height ${cb.bip34Height}, extranonce ${cb.extranonceIndex ?? '?'}${cb.tag === null ? '' : `, tag "${cb.tag}"`}`,
    );
  } else if (height === 0) {
    lines.push(`${I}the genesis coinbase: The Times headline instead of a height`);
  }
  lines.push(
    `${I}pays:`,
    ...cb.outputs.map((output) => `${I}  ${outputLine(output)}`),
    ...rewardLines(block).map((line) => line.replace(/^ {3}/, I)),
  );
  lines.push('', paint(`transactions (${formatInteger(block.transactions)})`, 'bold'));
  for (const [i, tx] of block.transactionList.entries()) {
    const spends =
      i === 0
        ? 'the coinbase: spends nothing'
        : `spends ${tx.inputs.map((input) => `${input.prevTxid.slice(0, 16)}…:${input.prevIndex}`).join(', ')}`;
    lines.push(
      `${I}${i}  ${tx.txid}  ${tx.size} bytes, ${spends}`,
      ...tx.outputs.map((output) => `${I}     ${outputLine(output)}`),
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
