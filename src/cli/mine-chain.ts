/** `powlab mine` on the built-in regtest chain: prints what the mining session does with it. */
import { addressToScript } from '../core/address.js';
import { hexToBytes } from '../core/bytes.js';
import { REGTEST } from '../core/params.js';
import { targetToDifficulty, bitsHex } from '../core/target.js';
import { Errors } from '../errors.js';
import { openDatadirChain } from '../sources/chain-network.js';
import { minedChainFromArgs } from './chain-options.js';
import type { RetargetComputation } from '../chain/retarget.js';
import { DEFAULT_ZEROS, type MineArgs } from './mine-options.js';
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

/** OP_TRUE: anyone can spend it, which suits a lab chain when no payout is named. */
const DEFAULT_SCRIPT = Uint8Array.of(0x51);

export function payoutScriptFrom(args: { address?: string; script?: string }): Uint8Array {
  if (args.address !== undefined) return addressToScript(args.address, REGTEST);
  if (args.script !== undefined) {
    const script = hexToBytes(args.script, '--script');
    if (script.length === 0 || script.length > 10_000)
      throw Errors.badOption('script', `must be 1 to 10000 bytes, got ${script.length}`);
    return script;
  }
  return DEFAULT_SCRIPT;
}

/** What the retarget after a window did, in one line: the window's time against the aim, and the target's change. */
function retargetLine(height: number, interval: number, r: RetargetComputation): string {
  const clamped = r.clamp === 'none' ? '' : ` (clamped to ${r.clampedTimespan} s)`;
  return `${paint('retarget', 'cyan')} for block ${height}: block ${height - interval} to block ${height - 1} took ${r.actualTimespan} s, aimed for ${r.targetTimespan} s${clamped}: target x ${(r.clampedTimespan / r.targetTimespan).toFixed(3)}${r.capped ? ' (capped at the limit)' : ''}, bits ${bitsHex(r.oldBits)} -> ${bitsHex(r.newBits)}, difficulty ${formatDifficulty(targetToDifficulty(r.newTarget))}`;
}

export async function mineBuiltInChain(args: MineArgs): Promise<void> {
  checkDashboardArgs(args);
  const named = minedChainFromArgs(args, DEFAULT_ZEROS);
  const { datadir, params } = named;
  const payoutScript = payoutScriptFrom(args);
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const chain = openDatadirChain(named, { payoutScript, target: named.target, warn });
  const retarget = params.retarget;
  const rule = retarget ? `, retargets every ${retarget.interval} blocks to ${retarget.spacing} s a block` : '';
  await runMining({
    args,
    source: chain,
    ...(retarget ? { chain: chain.store } : {}),
    headline: (session) =>
      `mining the built-in ${params.name} chain in ${datadir}: tip ${chain.store.height}, target ${bitsHex(chain.bits)} (difficulty ${formatDifficulty(targetToDifficulty(chain.target))})${rule}, ${session.threads} × ${session.backend}`,
    found: ({ result, stopMs, adapter }) => {
      const next = chain.store.tree.requiredWork(chain.store.tree.tip)?.retarget;
      const nextRetarget = next && {
        height: result.height + 1,
        actualTimespan: next.actualTimespan,
        targetTimespan: next.targetTimespan,
        clampedTimespan: next.clampedTimespan,
        oldBits: bitsHex(next.oldBits),
        newBits: bitsHex(next.newBits),
      };
      const block = {
        ...result,
        stopMs: stopMs ?? 0,
        ...adapterJson(adapter),
        ...(nextRetarget ? { nextRetarget } : {}),
      };
      if (args.json) return printJson(block);
      say(
        `${paint('block', 'green')} ${block.height} ${block.hash} nonce ${block.nonce} after ${countOf(block.hashes, 'hash', 'hashes', formatCount)} in ${formatDuration(block.seconds)} (${formatHashrate(block.hashrate)}); workers stopped in ${block.stopMs} ms`,
        false,
      );
      if (next && retarget) say(retargetLine(result.height + 1, retarget.interval, next), false);
    },
    summary: (summary) => {
      const { stats, counted } = summary;
      if (args.json) printJson({ ...summaryJson(summary), blocks: counted, tip: chain.store.height });
      say(
        `${stoppedPrefix(summary)}${countOf(counted, 'block')} mined, tip ${chain.store.height}; ${countOf(stats.hashes, 'hash', 'hashes', formatCount)} in ${formatDuration(stats.elapsedSeconds)} at ${formatHashrate(stats.meanHashrate)}${throttleSummary(stats)}${bestSummary(stats, true)}${oddsSummary(stats, 'block')}`,
        args.json,
      );
    },
  });
}
