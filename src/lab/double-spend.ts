/**
 * `lab double-spend`: the race of Nakamoto's section 11. An attacker with hash share q first
 * pre-mines one block in private (as Rosenfeld's analysis assumes); the payment then goes into the
 * honest chain, and the merchant waits for z confirmations. The attacker keeps extending its private
 * branch from the block before the payment; once the merchant has z confirmations and the private
 * branch is the longer, it is announced, the honest nodes reorg onto it and the payment is undone.
 * An attacker too far behind to catch up (less than a 1 in 1000 chance) gives up. Each such race
 * is one trial; the success rate is set beside Nakamoto's and Rosenfeld's formulas at the measured q.
 */
import type { TreeBlock } from '../chain/tree.js';
import { calibrateLab } from './calibrate.js';
import { honest, LabNetwork, type LabNode, type Strategy } from './network.js';
import type { LabProgress } from './report.js';
import { nakamotoSuccess, rosenfeldSuccess, wilsonInterval } from './theory.js';

export interface DoubleSpendOptions {
  q: number;
  z: number;
  trials: number;
  spacing: number;
  latencyMs: number;
  signal: AbortSignal;
  progress: LabProgress;
}

export interface Trial {
  success: boolean;
  /** Blocks on each branch above the fork when the race ended (the attacker's pre-mined block included). */
  attackerBlocks: number;
  honestBlocks: number;
}

export interface DoubleSpendReport {
  lab: 'double-spend';
  theory: string;
  spacing: number;
  latencyMs: number;
  targetQ: number;
  /** The attacker's share of the blocks found: its hash share as this run's lottery dealt it. */
  q: number;
  hashShare: number;
  z: number;
  trials: number;
  successes: number;
  successRate: number;
  /** The 99 % Wilson interval of the success rate. */
  interval99: [number, number];
  nakamoto: number;
  rosenfeld: number;
  /** Nakamoto's figure lies within the 99 % interval. */
  withinBounds: boolean;
  /** Blocks behind at which the attacker gives up. */
  givesUpBehind: number;
  /** The deepest reorg a successful attack made. */
  deepestReorg: number;
  /** Blocks found by both, and the seconds between them over the run. */
  found: number;
  measuredSpacing: number;
  seconds: number;
}

export const DOUBLE_SPEND_THEORY =
  'Nakamoto, "Bitcoin: A Peer-to-Peer Electronic Cash System" (2008), section 11: P = 1 - Σ_{k=0..z} λ^k e^-λ / k! (1 - (q/p)^(z-k)), λ = zq/p; Rosenfeld, "Analysis of Hashrate-Based Double Spending" (2014): P = 1 - Σ_{m=0..z} C(m+z-1, m)(p^z q^m - q^z p^m)';

/** Gives up when its chance of ever catching up falls below this. */
const HOPELESS = 1e-3;

export class DoubleSpender implements Strategy {
  readonly trials: Trial[] = [];
  /** The block both branches grow from, while a race is on. */
  private fork?: TreeBlock;
  private head?: TreeBlock;
  private publicHeight = 0;

  constructor(
    private readonly z: number,
    private readonly givesUpBehind: number,
  ) {}

  found(node: LabNode, block: TreeBlock): void {
    if (!this.fork) {
      // The pre-mined block: the payment is sent now, and the race begins.
      this.fork = block.parent!;
    }
    this.head = block;
    node.chain.mineOn(block);
    this.judge(node);
  }

  received(node: LabNode, block: TreeBlock): void {
    this.publicHeight = Math.max(this.publicHeight, block.height);
    if (this.fork) this.judge(node);
  }

  private judge(node: LabNode): void {
    const fork = this.fork!;
    const head = this.head!;
    const attackerBlocks = head.height - fork.height;
    const honestBlocks = Math.max(0, this.publicHeight - fork.height);
    const success = honestBlocks >= this.z && attackerBlocks > honestBlocks;
    if (!success && honestBlocks - attackerBlocks < this.givesUpBehind) return;
    this.trials.push({ success, attackerBlocks, honestBlocks });
    this.fork = undefined;
    this.head = undefined;
    node.chain.mineOn(undefined);
    if (success) {
      node.publish(head);
      this.publicHeight = head.height;
    } else node.chain.next();
  }
}

export async function runDoubleSpendLab(options: DoubleSpendOptions): Promise<DoubleSpendReport> {
  const { q, z, trials, spacing, latencyMs, signal, progress } = options;
  progress('measuring the attacker and the honest node hashing together…');
  const calibration = await calibrateLab([q, 1 - q], spacing);
  const { params, target } = calibration;
  // From L blocks behind the attacker must gain L + 1: (q/p)^(L+1).
  const givesUpBehind = Math.max(1, Math.ceil(Math.log(HOPELESS) / Math.log(q / (1 - q))) - 1);
  const spender = new DoubleSpender(z, givesUpBehind);
  const plans = [
    { name: 'attacker', throttle: calibration.throttles[0], strategy: spender },
    { name: 'honest', throttle: calibration.throttles[1], strategy: honest },
  ];
  progress(`racing ${trials} double spends, z = ${z}…`);
  const network = await LabNetwork.open(plans, params, target, latencyMs);
  try {
    const run = await network.mine(() => spender.trials.length >= trials, signal);
    const done = spender.trials.slice(0, trials);
    const successes = done.filter((trial) => trial.success).length;
    const [attacker] = network.nodes;
    const found = network.finder.size;
    const measuredQ = network.foundShare(attacker);
    const interval99 = wilsonInterval(successes, done.length);
    const nakamoto = nakamotoSuccess(measuredQ, z);
    return {
      lab: 'double-spend',
      theory: DOUBLE_SPEND_THEORY,
      spacing,
      latencyMs,
      targetQ: q,
      q: measuredQ,
      hashShare: network.hashShare(attacker),
      z,
      trials: done.length,
      successes,
      successRate: done.length > 0 ? successes / done.length : 0,
      interval99,
      nakamoto,
      rosenfeld: rosenfeldSuccess(measuredQ, z),
      withinBounds: nakamoto >= interval99[0] && nakamoto <= interval99[1],
      givesUpBehind,
      deepestReorg: Math.max(0, ...done.filter((trial) => trial.success).map((trial) => trial.honestBlocks)),
      found,
      measuredSpacing: found > 0 ? run.seconds / found : 0,
      seconds: run.seconds,
    };
  } finally {
    await network.close();
  }
}
