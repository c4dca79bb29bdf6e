/**
 * `lab stale`: how latency turns into stale blocks. K honest nodes with equal hash shares mine the
 * same chain; every link holds each message for the given one-way delay. A block found while
 * another is still on its way starts a fork, and one branch's blocks end stale. The measured stale
 * rate (blocks found that are not in the final best chain) is set beside the first-order chance that
 * another block is found while one travels, 1 - e^(-delay/spacing).
 */
import { median } from '../core/statistics.js';
import { calibrateLab } from './calibrate.js';
import { honest, LabNetwork } from './network.js';
import { staleFirstOrder } from './theory.js';
import type { LabProgress } from './report.js';

export interface StaleOptions {
  nodes: number;
  latenciesMs: number[];
  spacing: number;
  blocks: number;
  signal: AbortSignal;
  progress: LabProgress;
}

export interface NodeShare {
  name: string;
  /** Its share of every hash done. */
  hashShare: number;
  /** Its share of the blocks found. */
  foundShare: number;
  /** Its share of the blocks in the final best chain. */
  bestShare: number;
}

export interface StaleRun {
  latencyMs: number;
  found: number;
  stale: number;
  staleRate: number;
  /** 1 - e^(-latency/spacing) at the spacing asked for: the expectation the lab is checked against. */
  expected: number;
  /** Seconds between blocks found, over the run. */
  measuredSpacing: number;
  /** Median milliseconds from a block found to it stored at another node: headers, getdata, block. */
  propagationMs: number;
  /** The first-order chance that another block is found while one propagates, at the measured propagation time and spacing: a fork, which leaves one of its two blocks stale. */
  forkChanceAtPropagation: number;
  seconds: number;
  nodes: NodeShare[];
}

export interface StaleReport {
  lab: 'stale';
  theory: string;
  nodes: number;
  spacing: number;
  blocks: number;
  hashrate: number;
  runs: StaleRun[];
}

export const STALE_THEORY =
  'first order: a block is stale when another is found while it travels, 1 - e^(-delay/spacing) for blocks found as a Poisson process (Decker and Wattenhofer, "Information Propagation in the Bitcoin Network", 2013)';

export async function runStaleLab(options: StaleOptions): Promise<StaleReport> {
  const { nodes: count, spacing, blocks, signal, progress } = options;
  progress(`measuring ${count} nodes hashing together…`);
  const calibration = await calibrateLab(Array<number>(count).fill(1 / count), spacing);
  const { params, target } = calibration;
  const runs: StaleRun[] = [];
  for (const latencyMs of options.latenciesMs) {
    if (signal.aborted) break;
    progress(`latency ${latencyMs} ms: mining ${blocks} blocks on ${count} nodes…`);
    const plans = calibration.throttles.map((throttle, index) => ({
      name: `node${index + 1}`,
      throttle,
      strategy: honest,
    }));
    const network = await LabNetwork.open(plans, params, target, latencyMs);
    try {
      const run = await network.mine(() => network.finder.size >= blocks, signal);
      const best = network.bestChain();
      const found = network.finder.size;
      const inBest = best.filter((block) => network.finder.has(block.id));
      const stale = found - inBest.length;
      const measuredSpacing = found > 0 ? run.seconds / found : 0;
      const propagationMs = run.delaysMs.length ? median(run.delaysMs) : 0;
      runs.push({
        latencyMs,
        found,
        stale,
        staleRate: found > 0 ? stale / found : 0,
        expected: staleFirstOrder(latencyMs / 1000, spacing),
        measuredSpacing,
        propagationMs,
        forkChanceAtPropagation: measuredSpacing > 0 ? staleFirstOrder(propagationMs / 1000, measuredSpacing) : 0,
        seconds: run.seconds,
        nodes: network.nodes.map((node) => ({
          name: node.name,
          hashShare: network.hashShare(node),
          foundShare: network.foundShare(node),
          bestShare:
            inBest.length > 0 ? inBest.filter((b) => network.finder.get(b.id) === node).length / inBest.length : 0,
        })),
      });
    } finally {
      await network.close();
    }
  }
  return { lab: 'stale', theory: STALE_THEORY, nodes: count, spacing, blocks, hashrate: calibration.hashrate, runs };
}
