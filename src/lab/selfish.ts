/**
 * `lab selfish`: Eyal and Sirer's selfish mining, run. One node keeps the blocks it finds private
 * and publishes them only to win races (Algorithm 1 of "Majority is not Enough", 2014); the others
 * are honest. Measured: the selfish node's share of the blocks found (alpha), gamma (the share of
 * honest blocks found during a race that built on the selfish branch), and its share of the final
 * best chain, beside the paper's revenue at the measured alpha and gamma.
 */
import type { TreeBlock } from '../chain/tree.js';
import { calibrateLab } from './calibrate.js';
import { honest, LabNetwork, type LabNode, type Strategy } from './network.js';
import type { LabProgress } from './report.js';
import { selfishRevenue, selfishThreshold } from './theory.js';

export interface SelfishOptions {
  alpha: number;
  nodes: number;
  spacing: number;
  blocks: number;
  latencyMs: number;
  signal: AbortSignal;
  progress: LabProgress;
}

export interface SelfishReport {
  lab: 'selfish';
  theory: string;
  nodes: number;
  spacing: number;
  latencyMs: number;
  /** The hash share asked for. */
  targetAlpha: number;
  /** The selfish node's share of the blocks found: its hash share as this run's lottery dealt it. */
  alpha: number;
  /** Its share of every hash done (what threads and throttle gave it). */
  hashShare: number;
  gamma: number;
  /** Honest blocks found during races, and those of them built on the selfish block. */
  races: { races: number; honestBlocks: number; onSelfish: number };
  found: { selfish: number; honest: number };
  bestChain: { length: number; selfish: number; honest: number };
  /** The selfish node's share of the final best chain. */
  revenueShare: number;
  /** Eyal and Sirer's revenue at the measured alpha and gamma, and at the hash share. */
  expectedRevenue: number;
  expectedRevenueAtHashShare: number;
  /** Above this alpha, selfish mining pays more than honest mining (at the measured gamma). */
  threshold: number;
  /** Honest blocks found that are not in the best chain: the work the selfish miner made the others waste. */
  honestStale: number;
  seconds: number;
}

export const SELFISH_THEORY =
  'Eyal and Sirer, "Majority is not Enough: Bitcoin Mining is Vulnerable" (2014), equation 8: R = (α(1-α)²(4α+γ(1-2α)) - α³) / (1 - α(1+(2-α)α)); selfish mining pays above α = (1-γ)/(3-2γ)';

/** Which branch the first honest block after each race built on. */
export class RaceTally {
  races = 0;
  honestBlocks = 0;
  onSelfish = 0;
  private open?: TreeBlock;

  race(selfishBlock: TreeBlock): void {
    this.races++;
    this.open = selfishBlock;
  }

  found(block: TreeBlock, byHonest: boolean): void {
    const race = this.open;
    if (!race || block.height <= race.height) return;
    if (byHonest && block.height === race.height + 1) {
      this.honestBlocks++;
      if (block.parent?.id === race.id) this.onSelfish++;
    }
    this.open = undefined;
  }
}

/** Algorithm 1 of the paper, on heights: private blocks are this node's, found and not yet announced. */
export class SelfishMiner implements Strategy {
  private privateBlocks: TreeBlock[] = [];
  /** The highest block the others know of (theirs, or one of ours announced). */
  private publicHeight = 0;
  private racing = false;

  constructor(private readonly tally: RaceTally) {}

  found(node: LabNode, block: TreeBlock): void {
    this.tally.found(block, false);
    // Found on the public tip after our branch lost: the old private blocks are on another branch now.
    this.privateBlocks = this.privateBlocks.filter((held) => descendsFrom(block, held));
    this.privateBlocks.push(block);
    // The race was on and our branch is now the longer: announce it and win.
    if (this.racing) this.publish(node, block.height);
  }

  received(node: LabNode, block: TreeBlock): void {
    if (block.height <= this.publicHeight) return;
    this.publicHeight = block.height;
    this.racing = false;
    const head = this.privateBlocks.at(-1);
    if (!head) return;
    const lead = head.height - block.height;
    // Behind: the tree has already moved to the longer public branch; ours is lost.
    if (lead < 0) this.privateBlocks = [];
    // Level: announce ours and race.
    else if (lead === 0) {
      this.publish(node, head.height);
      this.racing = true;
      this.tally.race(head);
    }
    // One ahead: announce everything, ours is the longer branch.
    else if (lead === 1) this.publish(node, head.height);
    // Further ahead: announce as far as the public branch reaches, keep the rest.
    else this.publish(node, block.height);
  }

  /** At the end a selfish miner announces what it holds: a lead wins. */
  finish(node: LabNode): void {
    const head = this.privateBlocks.at(-1);
    if (head) this.publish(node, head.height);
  }

  private publish(node: LabNode, upTo: number): void {
    const shown = this.privateBlocks.filter((block) => block.height <= upTo);
    this.privateBlocks = this.privateBlocks.filter((block) => block.height > upTo);
    for (const block of shown) node.publish(block);
    this.publicHeight = Math.max(this.publicHeight, upTo);
  }
}

function descendsFrom(block: TreeBlock, ancestor: TreeBlock): boolean {
  let at: TreeBlock | undefined = block;
  while (at && at.height > ancestor.height) at = at.parent;
  return at?.id === ancestor.id;
}

export async function runSelfishLab(options: SelfishOptions): Promise<SelfishReport> {
  const { alpha, nodes: count, spacing, blocks, latencyMs, signal, progress } = options;
  const wanted = [alpha, ...Array<number>(count - 1).fill((1 - alpha) / (count - 1))];
  progress(`measuring ${count} nodes hashing together…`);
  const calibration = await calibrateLab(wanted, spacing);
  const { params, target } = calibration;
  const tally = new RaceTally();
  const tallied: Strategy = {
    found: (node, block) => {
      tally.found(block, true);
      honest.found(node, block);
    },
  };
  const plans = calibration.throttles.map((throttle, index) => ({
    name: index === 0 ? 'selfish' : `honest${index}`,
    throttle,
    strategy: index === 0 ? new SelfishMiner(tally) : tallied,
  }));
  progress(`mining ${blocks} blocks: 1 selfish node, ${count - 1} honest…`);
  const network = await LabNetwork.open(plans, params, target, latencyMs);
  try {
    const run = await network.mine(() => network.finder.size >= blocks, signal);
    const [selfishNode, ...honestNodes] = network.nodes;
    const best = network.bestChain();
    const bySelfish = best.filter((block) => network.finder.get(block.id) === selfishNode).length;
    const selfishFinds = selfishNode.finds.length;
    const measuredAlpha = network.foundShare(selfishNode);
    const hashShare = network.hashShare(selfishNode);
    const gamma = tally.honestBlocks > 0 ? tally.onSelfish / tally.honestBlocks : 0;
    const honestInBest = best.length - bySelfish;
    const honestFound = honestNodes.reduce((sum, node) => sum + node.finds.length, 0);
    return {
      lab: 'selfish',
      theory: SELFISH_THEORY,
      nodes: count,
      spacing,
      latencyMs,
      targetAlpha: alpha,
      alpha: measuredAlpha,
      hashShare,
      gamma,
      races: { races: tally.races, honestBlocks: tally.honestBlocks, onSelfish: tally.onSelfish },
      found: { selfish: selfishFinds, honest: honestFound },
      bestChain: { length: best.length, selfish: bySelfish, honest: honestInBest },
      revenueShare: best.length > 0 ? bySelfish / best.length : 0,
      expectedRevenue: selfishRevenue(measuredAlpha, gamma),
      expectedRevenueAtHashShare: selfishRevenue(hashShare, gamma),
      threshold: selfishThreshold(gamma),
      honestStale: honestFound - honestInBest,
      seconds: run.seconds,
    };
  } finally {
    await network.close();
  }
}
