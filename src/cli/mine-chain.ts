/** `powlab mine` on the built-in regtest chain. */
import { addressToScript } from '../core/address.js';
import { hexToBytes } from '../core/bytes.js';
import { REGTEST } from '../core/params.js';
import { targetFromZeroBits, targetToDifficulty } from '../core/target.js';
import { Errors } from '../errors.js';
import type { BackendName } from '../hash/backend.js';
import { Miner } from '../miner/miner.js';
import type { Solution } from '../miner/work.js';
import { BuiltInChain } from '../sources/chain.js';
import type { MineArgs } from './commands/mine.js';
import type { Dashboard } from '../dashboard/server.js';
import { bestSummary, checkBlockCount, checkDashboardArgs, checkDuration, checkEngineArgs, MiningStatus, nextEvent, oddsSummary, openDashboard, say, stopSignal } from './mining.js';
import { formatCount, formatDuration, formatHashrate, paint, printJson } from './output.js';
import { targetFromArgs } from './targets.js';

/** A laptop meets 2^22 expected hashes in a second or a few. */
export const DEFAULT_ZEROS = 22;
/** OP_TRUE: anyone can spend it, which suits a lab chain when no payout is named. */
const DEFAULT_SCRIPT = Uint8Array.of(0x51);

export function payoutScriptFrom(args: { address?: string; script?: string }): Uint8Array {
  if (args.address !== undefined) return addressToScript(String(args.address), REGTEST);
  if (args.script !== undefined) {
    const script = hexToBytes(String(args.script), '--script');
    if (script.length === 0 || script.length > 10_000) throw Errors.badOption('script', `must be 1 to 10000 bytes, got ${script.length}`);
    return script;
  }
  return DEFAULT_SCRIPT;
}

export async function mineBuiltInChain(args: MineArgs): Promise<void> {
  checkEngineArgs(args);
  checkDuration(args.duration);
  checkDashboardArgs(args);
  checkBlockCount(args.blocks);
  const target = targetFromArgs({ zeros: args.zeros, bits: args.bits }) ?? targetFromZeroBits(DEFAULT_ZEROS);
  const payoutScript = payoutScriptFrom(args);
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);

  const chain = BuiltInChain.open({ datadir: args.datadir, payoutScript, target, warn });
  let miner: Miner | undefined;
  const stop = stopSignal(args.duration);
  let status: MiningStatus | undefined;
  let dashboard: Dashboard | undefined;
  let mined = 0;
  try {
    miner = await Miner.start({ threads: args.threads, backend: args.backend as BackendName | 'auto', throttle: args.throttle, best: chain.loadBest() });
    const engine = miner;
    engine.on('best', (best) => {
      try {
        chain.saveBest(best);
      } catch (error) {
        warn(`could not save the best hash in ${args.datadir}: ${(error as Error).message}`);
      }
    });
    engine.on('warning', warn);
    const label = () => `block ${chain.store.height + 1}`;
    status = new MiningStatus(engine, label);
    dashboard = await openDashboard(args, engine, { name: 'the built-in regtest chain', finds: 'block', label });
    if (!args.json) {
      say(
        `mining the built-in regtest chain in ${args.datadir}: tip ${chain.store.height}, target ${chain.bits.toString(16).padStart(8, '0')} (difficulty ${targetToDifficulty(chain.target).toPrecision(3)}), ${engine.threads} × ${engine.backend}`,
        false,
      );
    }
    status.start();
    while (args.blocks === 0 || mined < args.blocks) {
      const work = chain.nextWork();
      engine.setWork(work);
      const solution = await nextEvent<Solution>((resolve) => {
        engine.on('found', resolve);
        return () => engine.off('found', resolve);
      }, stop.signal);
      if (!solution) break;
      const stopMs = await engine.whenIdle();
      const block = { ...chain.accept(solution), stopMs: Math.round(stopMs * 10) / 10 };
      dashboard?.state.found('block', solution, { height: block.height });
      mined++;
      status.clear();
      if (args.json) printJson(block);
      else {
        say(
          `${paint('block', 'green')} ${block.height} ${block.hash} nonce ${block.nonce} after ${formatCount(block.hashes)} hashes in ${formatDuration(block.seconds)} (${formatHashrate(block.hashrate)}); workers stopped in ${block.stopMs} ms`,
          false,
        );
      }
    }
  } finally {
    status?.stop();
    await dashboard?.close();
    const stats = miner?.stats();
    await miner?.close();
    chain.close();
    if (stats) {
      say(
        `${stop.reason() ? `stopped (${stop.reason()}): ` : ''}${mined} block${mined === 1 ? '' : 's'} mined, tip ${chain.store.height}; ${formatCount(stats.hashes)} hashes in ${formatDuration(stats.elapsedSeconds)} at ${formatHashrate(stats.meanHashrate)}${bestSummary(stats, true)}${oddsSummary(stats, 'block')}`,
        args.json,
      );
    }
    stop.dispose();
  }
}
