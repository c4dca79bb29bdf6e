/** `powlab chain list` and `powlab chain show N`: the built-in chain's blocks, read without changing the store. */
import { describeHeader, type HeaderFacts } from '../core/describe.js';
import type { ChainParams } from '../core/params.js';
import type { TreeBlock } from '../chain/tree.js';
import { Errors } from '../errors.js';
import { explainBlock, type BlockExplanation } from '../explain/block.js';
import { countOf, formatBtc, formatDifficulty, formatInteger } from '../format/numbers.js';
import type { NetworkArgs } from './chain-options.js';
import { readChain } from './chain-read.js';
import { noBlockAtHeight, parseHeight } from './heights.js';
import { outputLine, rewardLines } from './explain-text.js';
import { paint, printJson } from './output.js';

interface ChainArgs extends NetworkArgs {
  json: boolean;
}

interface ShownBlock {
  height: number;
  header: HeaderFacts;
  block: BlockExplanation;
}

/** Every block of the active chain, the genesis first: the store's own blocks are checked as they are read. */
function chainBlocks(args: NetworkArgs): { datadir: string; params: ChainParams; blocks: Uint8Array[] } {
  const chain = readChain(args);
  return {
    datadir: chain.datadir,
    params: chain.params,
    blocks: chain.scan.tree.activeChain().map((block) => chain.blockBytes(block)),
  };
}

function shown(bytes: Uint8Array, height: number, params: ChainParams): ShownBlock {
  return {
    height,
    header: describeHeader(bytes.subarray(0, 80)),
    block: explainBlock(bytes, { layout: 'powlab', params, height }),
  };
}

/** The payee of a coinbase in a few words: its first output that pays someone. */
function payee(block: BlockExplanation): string {
  const output = block.coinbase.outputs.find((o) => o.type !== 'nulldata') ?? block.coinbase.outputs[0];
  return output.address ?? (output.type === 'anyone' ? 'anyone (OP_TRUE)' : `script ${output.script.slice(0, 20)}`);
}

/** Chain work as Core's getblockheader gives it: 64 hex digits. */
function chainworkHex(block: TreeBlock): string {
  return block.chainwork.toString(16).padStart(64, '0');
}

export function listChain(args: ChainArgs & { all: boolean }): void {
  const chain = readChain(args);
  const { tree } = chain.scan;
  const listed = args.all
    ? [tree.genesis, ...tree.blocks()].sort((a, b) => a.height - b.height || a.seq - b.seq)
    : tree.activeChain();
  const rows = listed.map((block) => ({
    entry: block,
    active: tree.isActive(block),
    ...shown(chain.blockBytes(block), block.height, chain.params),
  }));
  if (args.json) {
    for (const { entry, active, height, header, block: facts } of rows) {
      printJson({
        height,
        hash: header.hash,
        prev: header.prevHash,
        time: header.time,
        bits: header.bits,
        chainwork: chainworkHex(entry),
        active,
        transactions: facts.transactions,
        coinbaseValue: facts.reward.coinbaseValue,
        payee: payee(facts),
      });
    }
    return;
  }
  const stale = rows.filter((row) => !row.active).length;
  process.stdout.write(
    `${paint(`the built-in ${chain.params.name} chain in ${chain.datadir}`, 'bold')}: ${countOf(tree.tip.height, 'block')} after the genesis${args.all ? `, ${countOf(stale, 'stale block')} beside them` : ''}\n`,
  );
  for (const { active, height, header, block } of rows) {
    const time = new Date(header.time * 1000).toISOString().replace('.000Z', 'Z');
    const txs = countOf(block.transactions, 'tx');
    const mark = args.all ? (active ? '  ' : paint('x ', 'red')) : '';
    process.stdout.write(
      `${mark}${String(height).padStart(6)}  ${header.hash}  ${time}  ${header.bits}  ${txs}  ${formatBtc(block.reward.coinbaseValue)} to ${payee(block)}\n`,
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
  const { datadir, params, blocks } = chainBlocks(args);
  const chosen = heightOf(args.block, blocks, datadir);
  const { height, header, block } = shown(blocks[chosen], chosen, params);
  if (args.json) return printJson({ height, header, block });
  const I = '  ';
  const time = new Date(header.time * 1000).toISOString().replace('.000Z', 'Z');
  const lines = [
    paint(`block ${height} of the built-in chain in ${datadir}`, 'bold'),
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
