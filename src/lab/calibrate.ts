/**
 * A lab's hash shares and difficulty. Shares are set by each node's throttle; the nodes share this
 * machine's cores, so a throttle does not give its share exactly: every node is measured hashing at
 * once, the throttles corrected once by what was measured, and measured again. The difficulty is then
 * set so that all of them together find a block every `spacing` seconds.
 */
import { availableParallelism } from 'node:os';
import { classnetParams, REGTEST, type ChainParams } from '../core/params.js';
import { bitsToTarget, targetToBits } from '../core/target.js';
import { measureRunning } from '../miner/measure.js';
import { Miner } from '../miner/miner.js';
import { nodeThreads } from '../worker/node-threads.js';

/** Each measurement of the nodes hashing together lasts this long. */
const MEASURE_MS = 1_000;
/** A lab ends long before this many blocks: the difficulty never retargets during one. */
const NO_RETARGET_INTERVAL = 100_000;

export interface Calibration {
  throttles: number[];
  /** Hashes a second of every node together, as last measured. */
  hashrate: number;
  /** Each node's share of that, as last measured. */
  shares: number[];
}

/** Hashrates of one Miner a throttle, all hashing at the same time. */
async function measureTogether(throttles: number[], threads: number): Promise<number[]> {
  const miners = await Promise.all(
    throttles.map((throttle) => Miner.start({ host: nodeThreads(), threads, throttle })),
  );
  try {
    const measured = await Promise.all(miners.map((miner) => measureRunning(miner, MEASURE_MS)));
    return measured.map((measurement) => measurement.hashrate);
  } finally {
    await Promise.all(miners.map((miner) => miner.close()));
  }
}

/**
 * Throttles in proportion to `wanted`, the largest at 100 percent, all scaled down until they ask for
 * no more than the cores less half a core for the P2P nodes: a worker the scheduler pre-empts gets
 * less than its throttle says, and the shares would drift from what was asked.
 */
function throttlesFor(wanted: number[], threads: number): number[] {
  const most = Math.max(...wanted);
  const budget = Math.max(1, availableParallelism() - 0.5) / threads;
  const asked = wanted.reduce((sum, value) => sum + value / most, 0);
  const scale = Math.min(1, budget / asked);
  return wanted.map((value) => Math.min(100, Math.max(1, Math.round((100 * scale * value) / most))));
}

/** Throttles that give each node about its wanted share of the hashing, and the hashrate they make together. */
export async function calibrateShares(wanted: number[], threads: number): Promise<Calibration> {
  let throttles = throttlesFor(wanted, threads);
  let rates = await measureTogether(throttles, threads);
  // Hashes per percent of throttle, as each node got them: the correction divides by it.
  const perPercent = rates.map((rate, index) => rate / throttles[index]);
  if (perPercent.every((value) => value > 0)) {
    throttles = throttlesFor(
      wanted.map((share, index) => share / perPercent[index]),
      threads,
    );
    rates = await measureTogether(throttles, threads);
  }
  const hashrate = rates.reduce((a, b) => a + b, 0);
  return { throttles, hashrate, shares: rates.map((rate) => (hashrate > 0 ? rate / hashrate : 0)) };
}

/**
 * A classnet chain whose every block carries the target that `hashrate` meets once every `spacing`
 * seconds on average (regtest's limit at most), and that never retargets within a lab.
 */
export function labChain(hashrate: number, spacing: number): { params: ChainParams; target: bigint } {
  const hashesPerBlock = BigInt(Math.max(2, Math.round(hashrate * spacing)));
  const limit = bitsToTarget(REGTEST.powLimitBits);
  const wanted = (1n << 256n) / hashesPerBlock - 1n;
  const startBits = targetToBits(wanted < limit ? wanted : limit);
  const params = classnetParams({
    spacing: Math.max(1, Math.round(spacing)),
    interval: NO_RETARGET_INTERVAL,
    startBits,
  });
  return { params, target: bitsToTarget(startBits) };
}
