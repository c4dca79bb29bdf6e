/** `powlab pool`: a Stratum v1 pool on the built-in chain or a node, its page, its ledger. */
import { mkdirSync } from 'node:fs';
import { targetToDifficulty } from '../core/target.js';
import { Errors } from '../errors.js';
import { DEFAULT_LIMITS, DEFAULT_RULES, type PoolRules } from '../pool/rules.js';
import { Ledger } from '../pool/ledger.js';
import { PoolServer, type PoolLogEvent } from '../pool/server.js';
import type { PoolSnapshot } from '../pool/api.js';
import { ChainFeed, NodeFeed, settleFoundBlocks, type TemplateFeed } from '../pool/templates.js';
import { openDatadirChain } from '../sources/chain-network.js';
import { minedChainFromArgs } from './chain-options.js';
import { RpcClient } from '../sources/rpc/client.js';
import { rpcCredentials } from './rpc-credentials.js';
import { DEFAULT_POOL_ZEROS, type PoolCommandArgs } from './pool-options.js';
import { payoutScriptFrom } from './mine-chain.js';
import { interruptSignal, say } from './mining.js';
import { HASHES_PER_DIFFICULTY } from '../core/target.js';
import { formatBtc, formatCount, formatDifficulty, formatDuration, formatHashrate } from '../format/numbers.js';
import { paint, printJson } from './output.js';

/** The hashrate the start-up line times a block at: two wasm threads of a laptop (4 to 9 MH/s measured). */
const LAPTOP_HASHRATE = 4.5e6;

function rulesFrom(args: PoolCommandArgs): PoolRules {
  const { minDifficulty, maxDifficulty, startDifficulty } = args;
  if (minDifficulty > maxDifficulty)
    throw Errors.badOption('min-difficulty', `must not be above --max-difficulty (${maxDifficulty})`);
  if (startDifficulty < minDifficulty || startDifficulty > maxDifficulty)
    throw Errors.badOption(
      'start-difficulty',
      `must be from --min-difficulty to --max-difficulty (${minDifficulty} to ${maxDifficulty})`,
    );
  return {
    ...DEFAULT_RULES,
    vardiff: {
      shareSeconds: args.shareSeconds,
      minDifficulty,
      maxDifficulty,
      startDifficulty,
    },
    maxMessagesPerSecond: args.maxMessagesPerSecond,
  };
}

export async function runPool(args: PoolCommandArgs): Promise<void> {
  const { port, pagePort } = args;
  const rules = rulesFrom(args);
  const limits = {
    ...DEFAULT_LIMITS,
    maxConnections: args.maxConnections,
    maxConnectionsPerAddress: args.maxPerAddress,
  };
  const windowFactor = args.pplnsWindow;
  if (args.rpc !== undefined && (args.zeros !== undefined || args.bits !== undefined)) {
    throw Errors.badOption(
      args.zeros !== undefined ? 'zeros' : 'bits',
      'does not apply with --rpc: the node sets the block target',
    );
  }
  const payoutScript = payoutScriptFrom(args);
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const interrupt = interruptSignal();
  const timeUp = args.duration === undefined ? undefined : AbortSignal.timeout(args.duration * 1000);
  const stop = {
    signal: timeUp ? AbortSignal.any([interrupt.signal, timeUp]) : interrupt.signal,
    reason: () => (interrupt.signal.aborted ? 'interrupted' : timeUp?.aborted ? 'duration reached' : ''),
    dispose: () => interrupt.dispose(),
  };
  let feed: TemplateFeed | undefined;
  let ledger: Ledger | undefined;
  let server: PoolServer | undefined;
  try {
    if (args.rpc !== undefined) {
      mkdirSync(args.datadir, { recursive: true });
      const client = new RpcClient({ url: args.rpc, credentials: rpcCredentials(args) });
      feed = await NodeFeed.connect({
        client,
        payoutScript: () => payoutScript,
        datadir: args.datadir,
        warn,
        signal: stop.signal,
      });
    } else {
      const named = minedChainFromArgs(args, DEFAULT_POOL_ZEROS);
      feed = new ChainFeed(openDatadirChain(named, { payoutScript, target: named.target, warn }));
    }
    const template = feed && (await feed.current());
    if (!feed || !template) throw Errors.network(`stopped (${stop.reason()}) before the first block template came`);
    ledger = Ledger.open(args.datadir, { windowFactor, networkDifficulty: targetToDifficulty(template.target) }, warn);
    await settleFoundBlocks(ledger, feed, warn);
    const candidate = new PoolServer({
      host: args.host,
      pageNames: args.pageName,
      port,
      pagePort,
      feed,
      ledger,
      payoutScript,
      datadir: args.datadir,
      rules,
      limits,
      allowedOrigins: args.allowOrigin,
      log: (event) => log(event, args.json),
    });
    try {
      await candidate.start(template);
    } catch (error) {
      // It closes the feed and the ledger with it.
      await candidate.close();
      feed = ledger = undefined;
      throw error;
    }
    server = candidate;
    if (!/^(127\.|::1$|localhost$)/.test(args.host))
      warn(`the pool listens on ${args.host}: anyone who can reach it can mine for it and read its page`);
    await new Promise<void>((resolve) =>
      stop.signal.aborted ? resolve() : stop.signal.addEventListener('abort', () => resolve(), { once: true }),
    );
  } finally {
    const snapshot = server?.snapshot();
    if (server) await server.close();
    else {
      feed?.close();
      ledger?.close();
    }
    stop.dispose();
    if (snapshot) summarise(snapshot, stop.reason(), args.json);
    // As for mine: a run ended by Ctrl-C says so in its exit status, after its summary.
    if (interrupt.signal.aborted) process.exitCode = 130;
  }
}

/** 2^27 when it is a power of two to a thousandth of a bit (as --zeros makes it, through nBits' rounding), else 52.4M. */
function hashesInWords(hashes: number): string {
  const log2 = Math.log2(hashes);
  return Math.abs(log2 - Math.round(log2)) < 1e-3 ? `2^${Math.round(log2)}` : formatCount(hashes);
}

function log(event: PoolLogEvent, json: boolean): void {
  if (json) return printJson(event);
  switch (event.type) {
    case 'listening': {
      const { networkDifficulty, hashesPerBlock, shareDifficulty: share } = event;
      say(`pool: Stratum on ${event.stratum}, page ${event.page}, browsers ${event.websocket}`, false);
      say(
        `block difficulty ${formatDifficulty(networkDifficulty)}: ${hashesInWords(hashesPerBlock)} hashes a block on average, ` +
          `about ${formatDuration(hashesPerBlock / LAPTOP_HASHRATE)} at ${formatHashrate(LAPTOP_HASHRATE)} (a laptop's 2 threads)`,
        false,
      );
      return say(
        `share difficulty ${formatDifficulty(share.start)} to start, then vardiff aims at a share every ${event.shareSeconds} s per miner, ` +
          `within ${formatDifficulty(share.min)} to ${formatDifficulty(share.max)} (${hashesInWords(share.max * HASHES_PER_DIFFICULTY)} hashes: ` +
          `a block is ${formatCount(networkDifficulty / share.max)} shares or more)`,
        false,
      );
    }
    case 'job':
      return say(
        `job ${event.jobId}: height ${event.height}, block difficulty ${formatDifficulty(event.networkDifficulty)}${event.clean ? '' : ' (same tip)'}`,
        false,
      );
    case 'authorized':
      return say(`${event.worker} joined from ${event.peer}${event.userAgent ? ` (${event.userAgent})` : ''}`, false);
    case 'share':
      if (event.accepted)
        return say(
          `share ${paint('accepted', 'green')} from ${event.worker}: share difficulty ${formatDifficulty(event.difficulty)} (hash difficulty ${formatDifficulty(event.hashDifficulty)})`,
          false,
        );
      return say(
        `share ${paint('rejected', 'red')} from ${event.worker ?? event.peer}: ${event.reason} (${event.code})`,
        false,
      );
    case 'dropped':
      return say(`dropped ${event.peer}: ${event.reason}`, false);
    case 'refused':
      return say(`refused ${event.peer}: ${event.reason}`, false);
    case 'block':
      return say(
        `${paint('block!', 'green')} ${event.height} ${event.hash} found by ${event.finder}: ${event.accepted ? 'accepted' : `not accepted (${event.reason})`}; ` +
          `split over ${formatDifficulty(event.window)} of share difficulty: ${event.split.map((p) => `${p.miner} ${formatBtc(Number(p.amount))}`).join(', ')}`,
        false,
      );
    case 'warning':
      process.stderr.write(`powlab: warning: ${event.message}\n`);
  }
}

const SUMMARY_FIELDS = [
  'worker',
  'accepted',
  'rejected',
  'rejects',
  'inferredHashrate',
  'inferenceShares',
  'reportedHashrate',
  'bestShareDifficulty',
  'earned',
] as const;

function pick<T extends object, K extends keyof T>(value: T, keys: readonly K[]): Pick<T, K> {
  return Object.fromEntries(keys.map((key) => [key, value[key]])) as Pick<T, K>;
}

function summarise(snapshot: PoolSnapshot, stopped: string, json: boolean): void {
  const { pool, miners } = snapshot;
  if (json)
    return printJson({
      type: 'summary',
      stopped,
      ...pool,
      // Each miner's figures, without what only the page draws.
      miners: miners.map((miner) => pick(miner, SUMMARY_FIELDS)),
    });
  say(
    `stopped${stopped ? ` (${stopped})` : ''}: ${pool.blocks} blocks in the ledger, luck ${pool.luck === null ? 'not known (no block yet)' : `${(pool.luck * 100).toFixed(0)} %`}`,
    false,
  );
  for (const miner of miners) {
    say(
      `  ${miner.worker}: ${miner.accepted} accepted, ${miner.rejected} rejected; ${formatHashrate(miner.inferredHashrate)} from ${miner.inferenceShares} shares` +
        `${miner.reportedHashrate === null ? '' : `, reports ${formatHashrate(miner.reportedHashrate)}`}; earned ${formatBtc(Number(miner.earned))}`,
      false,
    );
  }
}
