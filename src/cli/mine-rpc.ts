/** `powlab mine --rpc URL`: mine on a node's block templates and submit what is found (BIP 22/23). */
import { addressToScript } from '../core/address.js';
import { MAINNET, REGTEST } from '../core/params.js';
import { targetToDifficulty } from '../core/target.js';
import { Errors } from '../errors.js';
import type { BackendName } from '../hash/backend.js';
import { Miner } from '../miner/miner.js';
import type { Solution, Work } from '../miner/work.js';
import { RpcClient, type RpcCredentials } from '../sources/rpc/client.js';
import { NodeSource, type NodeBlock } from '../sources/rpc/node.js';
import type { TemplateWork } from '../sources/rpc/work.js';
import type { MineArgs } from './commands/mine.js';
import { payoutScriptFrom } from './mine-chain.js';
import type { Dashboard } from '../dashboard/server.js';
import { bestSummary, checkBlockCount, checkDashboardArgs, checkDuration, checkEngineArgs, MiningStatus, oddsSummary, openDashboard, say, stopSignal } from './mining.js';
import { formatCount, formatDuration, formatHashrate, paint, printJson } from './output.js';
import { targetFromArgs } from './targets.js';

export interface RpcArgs {
  rpc?: string;
  rpcUser?: string;
  rpcPassword?: string;
  rpcCookie?: string;
}

/** The node rejecting this many blocks in a row means powlab builds them wrong for it: stop rather than spin. */
const MAX_REJECTIONS_IN_A_ROW = 5;
/** Keeps the password off the command line, where `ps` shows it. */
const PASSWORD_ENV = 'POWLAB_RPC_PASSWORD';

function credentialsFrom(args: RpcArgs): RpcCredentials | undefined {
  const password = args.rpcPassword ?? process.env[PASSWORD_ENV];
  if (args.rpcCookie !== undefined) {
    if (args.rpcUser !== undefined || args.rpcPassword !== undefined) throw Errors.badOption('rpc-cookie', 'give either a cookie file or --rpc-user/--rpc-password, not both');
    return { cookieFile: String(args.rpcCookie) };
  }
  if (password === undefined) {
    if (args.rpcUser !== undefined) throw Errors.badOption('rpc-user', `needs --rpc-password (or ${PASSWORD_ENV} in the environment)`);
    return undefined;
  }
  return { user: args.rpcUser ?? '', password };
}

function payoutFor(args: MineArgs, chain: string): Uint8Array {
  if (args.address !== undefined) {
    const params = chain === 'main' ? MAINNET : chain === 'regtest' ? REGTEST : undefined;
    if (!params) throw Errors.badOption('address', `the node is on ${chain}, and powlab reads main and regtest addresses only: give the output script with --script`);
    return addressToScript(String(args.address), params);
  }
  if (args.script === undefined && chain !== 'regtest') throw Errors.badOption('address', `the node is on ${chain}: say where the coinbase pays with --address or --script`);
  return payoutScriptFrom(args);
}

type Event = { type: 'found'; solution: Solution } | { type: 'changed'; work: TemplateWork } | { type: 'exhausted' } | { type: 'stopped' };

export async function mineOnNode(args: MineArgs & RpcArgs): Promise<void> {
  checkEngineArgs(args);
  checkDuration(args.duration);
  checkDashboardArgs(args);
  checkBlockCount(args.blocks);
  const target = targetFromArgs({ zeros: args.zeros, bits: args.bits });
  const client = new RpcClient({ url: String(args.rpc), credentials: credentialsFrom(args) });
  const warn = (message: string) => process.stderr.write(`powlab: ${message}\n`);
  const stop = stopSignal(args.duration);
  let miner: Miner | undefined;
  let status: MiningStatus | undefined;
  let dashboard: Dashboard | undefined;
  let source: NodeSource | undefined;
  let accepted = 0;
  let rejectedInARow = 0;
  try {
    source = await NodeSource.connect({ client, payoutScript: (chain) => payoutFor(args, chain), target, datadir: args.datadir, warn, signal: stop.signal });
    if (!source) throw Errors.network(`stopped (${stop.reason()}) before the node at ${client.display} answered`);
    let work = await source.nextWork();
    if (!work) return;
    miner = await Miner.start({ threads: args.threads, backend: args.backend as BackendName | 'auto', throttle: args.throttle });
    const engine = miner;
    engine.on('warning', warn);
    let current: TemplateWork = work;
    const label = () => `block ${current.height}`;
    status = new MiningStatus(engine, label);
    dashboard = await openDashboard(args, engine, { name: `the ${source.chain} node at ${client.display}`, finds: 'block', label });
    if (!args.json) {
      say(
        `mining on the ${source.chain} node at ${client.display}: height ${work.height}, bits ${work.template.bits.toString(16).padStart(8, '0')} (difficulty ${targetToDifficulty(work.template.target).toPrecision(3)})${work.target < work.template.target ? `, hashing to a harder target (difficulty ${targetToDifficulty(work.target).toPrecision(3)})` : ''}, ${engine.threads} × ${engine.backend}`,
        false,
      );
    }
    status.start();
    while (args.blocks === 0 || accepted < args.blocks) {
      current = work;
      engine.setWork(work);
      const event = await nextNodeEvent(engine, source, work, stop.signal);
      if (event.type === 'stopped') break;
      if (event.type === 'changed') {
        if (event.work.template.previousBlockHashHex !== work.template.previousBlockHashHex) {
          status.clear();
          say(`new tip from elsewhere: now mining height ${event.work.height} on ${event.work.template.previousBlockHashHex}`, args.json);
        }
        work = event.work;
        continue;
      }
      if (event.type === 'found') {
        const idle = engine.whenIdle();
        const submitted = await source.submit(event.solution);
        const block = { ...submitted, stopMs: Math.round((await idle) * 10) / 10 };
        dashboard?.state.found('block', event.solution, { height: block.height, verdict: block.accepted ? 'accepted' : 'rejected', ...(block.reason === null ? {} : { reason: block.reason }) });
        status.clear();
        report(block, args.json);
        if (block.accepted) {
          accepted++;
          rejectedInARow = 0;
        } else if (++rejectedInARow >= MAX_REJECTIONS_IN_A_ROW) {
          throw Errors.badData(`the node at ${client.display}`, `rejected ${rejectedInARow} blocks in a row (last: ${block.reason}); stopping`);
        }
      }
      const next = await source.nextWork();
      if (!next) break;
      work = next;
    }
  } finally {
    status?.stop();
    await dashboard?.close();
    const stats = miner?.stats();
    await miner?.close();
    client.close();
    if (stats) {
      say(
        `${stop.reason() ? `stopped (${stop.reason()}): ` : ''}${accepted} block${accepted === 1 ? '' : 's'} accepted by the node; ${formatCount(stats.hashes)} hashes in ${formatDuration(stats.elapsedSeconds)} at ${formatHashrate(stats.meanHashrate)}${bestSummary(stats, false)}${oddsSummary(stats, 'block')}`,
        args.json,
      );
    }
    stop.dispose();
  }
}

/** Whichever comes first: a solution, new work from the node, every nonce tried, or the stop signal. */
function nextNodeEvent(engine: Miner, source: NodeSource, work: TemplateWork, stop: AbortSignal): Promise<Event> {
  if (stop.aborted) return Promise.resolve({ type: 'stopped' });
  const iteration = new AbortController();
  const signal = AbortSignal.any([stop, iteration.signal]);
  return new Promise<Event>((resolve, reject) => {
    const onFound = (solution: Solution) => settle({ type: 'found', solution });
    const onExhausted = (exhausted: Work) => {
      if (exhausted === work) settle({ type: 'exhausted' });
    };
    const onStop = () => settle({ type: 'stopped' });
    const settle = (event: Event | Error) => {
      engine.off('found', onFound);
      engine.off('exhausted', onExhausted);
      stop.removeEventListener('abort', onStop);
      iteration.abort();
      if (event instanceof Error) reject(event);
      else resolve(event);
    };
    engine.on('found', onFound);
    engine.on('exhausted', onExhausted);
    stop.addEventListener('abort', onStop, { once: true });
    source.changedWork(work, signal).then(
      (changed) => {
        if (changed && !signal.aborted) settle({ type: 'changed', work: changed });
      },
      (error: Error) => {
        if (!signal.aborted) settle(error);
      },
    );
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
    `${paint('block', 'green')} ${block.height} ${block.hash} ${verdict}; nonce ${block.nonce} after ${formatCount(block.hashes)} hashes in ${formatDuration(block.seconds)} (${formatHashrate(block.hashrate)})`,
    false,
  );
}
