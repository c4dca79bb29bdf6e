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
/** Every lab node mines with one worker thread: its share is set by its throttle alone. */
export const NODE_THREADS = 1;

export interface LabCalibration {
  /** Each node's throttle, in the order of the shares asked for. */
  throttles: number[];
  /** Hashes a second of every node together, as last measured. */
  hashrate: number;
  /** The chain every node starts from, and the target its blocks carry. */
  params: ChainParams;
  target: bigint;
}

/** Hashrates of one Miner a throttle, all hashing at the same time. */
async function measureTogether(throttles: number[]): Promise<number[]> {
  const miners = await Promise.all(
    throttles.map((throttle) => Miner.start({ host: nodeThreads(), threads: NODE_THREADS, throttle })),
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
function throttlesFor(wanted: number[]): number[] {
  const most = Math.max(...wanted);
  const budget = Math.max(1, availableParallelism() - 0.5) / NODE_THREADS;
  const asked = wanted.reduce((sum, value) => sum + value / most, 0);
  const scale = Math.min(1, budget / asked);
  return wanted.map((value) => Math.min(100, Math.max(1, Math.round((100 * scale * value) / most))));
}

/**
 * Throttles that give each node about its `wanted` share of the hashing, and a classnet chain whose
 * every block carries the target they meet together once every `spacing` seconds on average
 * (regtest's limit at most).
 */
export async function calibrateLab(wanted: number[], spacing: number): Promise<LabCalibration> {
  let throttles = throttlesFor(wanted);
  let rates = await measureTogether(throttles);
  // Hashes per percent of throttle, as each node got them: the correction divides by it.
  const perPercent = rates.map((rate, index) => rate / throttles[index]);
  if (perPercent.every((value) => value > 0)) {
    throttles = throttlesFor(wanted.map((share, index) => share / perPercent[index]));
    rates = await measureTogether(throttles);
  }
  const hashrate = rates.reduce((a, b) => a + b, 0);
  const hashesPerBlock = BigInt(Math.max(2, Math.round(hashrate * spacing)));
  const limit = bitsToTarget(REGTEST.powLimitBits);
  const exact = (1n << 256n) / hashesPerBlock - 1n;
  const startBits = targetToBits(exact < limit ? exact : limit);
  const params = classnetParams({
    spacing: Math.max(1, Math.round(spacing)),
    interval: NO_RETARGET_INTERVAL,
    startBits,
  });
  return { throttles, hashrate, params, target: bitsToTarget(startBits) };
}
