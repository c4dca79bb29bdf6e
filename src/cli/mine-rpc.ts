/** `powlab mine --rpc URL`: mine on a node's block templates and submit what is found (BIP 22/23); prints the session. */
import { addressToScript } from '../core/address.js';
import { MAINNET, REGTEST } from '../core/params.js';
import { targetToDifficulty } from '../core/target.js';
import { Errors } from '../errors.js';
import { RpcClient } from '../sources/rpc/client.js';
import { rpcCredentials } from './rpc-credentials.js';
import { NodeMining } from '../sources/rpc/mining.js';
import type { NodeBlock } from '../sources/rpc/node.js';
import { payoutScriptFrom } from './mine-chain.js';
import { DEFAULT_DATADIR, type MineArgs } from './mine-options.js';
import {
  adapterJson,
  bestSummary,
  checkDashboardArgs,
  oddsSummary,
  throttleSummary,
  runMining,
  say,
  stoppedPrefix,
  summaryJson,
} from './mining.js';
import { paint, printJson } from './output.js';
import { countOf, formatCount, formatDifficulty, formatDuration, formatHashrate } from '../format/numbers.js';
import { targetFromArgs } from './targets.js';

function payoutFor(args: MineArgs, chain: string): Uint8Array {
  if (args.address !== undefined) {
    const params = chain === 'main' ? MAINNET : chain === 'regtest' ? REGTEST : undefined;
    if (!params)
      throw Errors.badOption(
        'address',
        `the node is on ${chain}, and powlab reads main and regtest addresses only: give the output script with --script`,
      );
    return addressToScript(args.address, params);
  }
  if (args.script === undefined && chain !== 'regtest')
    throw Errors.badOption(
      'address',
      `the node is on ${chain}: say where the coinbase pays with --address or --script`,
    );
  return payoutScriptFrom(args);
}

export async function mineOnNode(args: MineArgs): Promise<void> {
  checkDashboardArgs(args);
  const target = targetFromArgs({ zeros: args.zeros, bits: args.bits });
  const client = new RpcClient({ url: args.rpc!, credentials: rpcCredentials(args) });
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const node = new NodeMining({
    client,
    display: client.display,
    payoutScript: (chain) => payoutFor(args, chain),
    target,
    datadir: args.datadir ?? DEFAULT_DATADIR,
    warn,
  });
  await runMining({
    args,
    source: node,
    headline: (session) => {
      const work = node.work!;
      return `mining on the ${node.chain} node at ${client.display}: height ${work.height}, bits ${work.template.bits.toString(16).padStart(8, '0')} (difficulty ${formatDifficulty(targetToDifficulty(work.template.target))})${work.target < work.template.target ? `, hashing to a harder target (difficulty ${formatDifficulty(targetToDifficulty(work.target))})` : ''}, ${session.threads} × ${session.backend}`;
    },
    found: ({ result, stopMs, adapter }) =>
      report({ ...result, stopMs: stopMs ?? 0, ...adapterJson(adapter) }, args.json),
    summary: (summary) => {
      const { stats, counted } = summary;
      if (args.json) printJson({ ...summaryJson(summary), blocks: counted, node: client.display });
      say(
        `${stoppedPrefix(summary)}${countOf(counted, 'block')} accepted by the node; ${countOf(stats.hashes, 'hash', 'hashes', formatCount)} in ${formatDuration(stats.elapsedSeconds)} at ${formatHashrate(stats.meanHashrate)}${throttleSummary(stats)}${bestSummary(stats, false)}${oddsSummary(stats, 'block')}`,
        args.json,
      );
    },
  });
}

function report(block: NodeBlock & { stopMs: number }, json: boolean): void {
  if (json) {
    printJson(block);
    if (!block.accepted) process.stderr.write(`powlab: the node rejected block ${block.hash}: ${block.reason}\n`);
    return;
  }
  const verdict = block.accepted
    ? `${paint('accepted', 'green')}${block.tip === block.hash ? ', the node’s tip' : block.tip ? `, but the node’s tip is ${block.tip}` : ''}`
    : `${paint('rejected', 'red')} by the node: ${block.reason}`;
  say(
    `${paint('block', 'green')} ${block.height} ${block.hash} ${verdict}; nonce ${block.nonce} after ${countOf(block.hashes, 'hash', 'hashes', formatCount)} in ${formatDuration(block.seconds)} (${formatHashrate(block.hashrate)})`,
    false,
  );
}
