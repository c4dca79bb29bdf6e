/**
 * A lab's network: powlab nodes in this process, each with its own datadir, block tree, P2P node and
 * mining session (real hashing in worker threads), every pair linked over loopback through a latency
 * shim. What a node does with the blocks it finds is its strategy's choice: honest nodes announce at
 * once, a selfish miner or a double spender keeps some back. Every block is checked by each node's
 * own chain rules as it arrives.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TreeBlock } from '../chain/tree.js';
import { hexToBytes } from '../core/bytes.js';
import type { ChainParams } from '../core/params.js';
import { Errors } from '../errors.js';
import { MiningSession } from '../mining/session.js';
import { P2PNode } from '../p2p/node.js';
import { keptOpen, type BuiltInChain, type MinedBlock } from '../sources/chain.js';
import { openDatadirChain } from '../sources/chain-network.js';
import { nodeThreads } from '../worker/node-threads.js';
import { NODE_THREADS } from './calibrate.js';
import { LatencyLink } from './latency.js';

/** What a node does with the blocks it finds and hears of. */
export interface Strategy {
  /** A block this node found, already stored: `node.publish` it now, later, or never. */
  found(node: LabNode, block: TreeBlock): void;
  /** A block a peer announced, stored (it may or may not be the new tip). */
  received?(node: LabNode, block: TreeBlock): void;
  /** Mining has stopped: what a real miner would still publish. */
  finish?(node: LabNode): void;
}

export const honest: Strategy = { found: (node, block) => node.publish(block) };

export interface NodePlan {
  name: string;
  /** Percent of the time its worker hashes. */
  throttle: number;
  strategy: Strategy;
}

/** A node's pay-to-witness-key-hash script, so that each node's blocks differ from another's on the same parent. */
function payoutScript(name: string): Uint8Array {
  const keyHash = createHash('sha256').update(`powlab lab ${name}`).digest().subarray(0, 20);
  return Uint8Array.from([0x00, 0x14, ...keyHash]);
}

/** Handshakes on loopback take milliseconds; a node that has not met its peers by then never will. */
const MESH_MS = 15_000;

export class LabNode {
  /** Blocks this node found, in order. */
  readonly finds: TreeBlock[] = [];
  /** Hashes its workers did while the lab mined. */
  hashes = 0;
  private readonly ownBytes = new Map<string, Uint8Array>();
  private readonly published = new Set<string>();

  constructor(
    readonly name: string,
    readonly chain: BuiltInChain,
    readonly p2p: P2PNode,
    readonly port: number,
    readonly strategy: Strategy,
    readonly throttle: number,
  ) {}

  get tree() {
    return this.chain.store.tree;
  }

  /** Announce a block this node found (once; its parent first, if that is this node's and still private). */
  publish(block: TreeBlock): void {
    if (this.published.has(block.id)) return;
    const bytes = this.ownBytes.get(block.id);
    if (!bytes) throw new Error(`${this.name} did not find block ${block.id}`);
    if (block.parent && this.ownBytes.has(block.parent.id)) this.publish(block.parent);
    this.published.add(block.id);
    this.p2p.mined(block, bytes);
  }

  isPublished(block: TreeBlock): boolean {
    return this.published.has(block.id);
  }

  /** @internal the network records a find before the strategy sees it. */
  keep(block: TreeBlock, bytes: Uint8Array): void {
    this.ownBytes.set(block.id, bytes);
    this.finds.push(block);
  }
}

export interface MiningRun {
  seconds: number;
  /** Milliseconds from a block found to it stored at another node, one sample a block and node. */
  delaysMs: number[];
}

export class LabNetwork {
  /** Who found each block, by id. */
  readonly finder = new Map<string, LabNode>();
  private readonly foundAt = new Map<string, number>();
  private readonly run: MiningRun = { seconds: 0, delaysMs: [] };

  private constructor(
    readonly nodes: LabNode[],
    private readonly links: LatencyLink[],
    private readonly root: string,
  ) {
    for (const node of nodes) {
      node.p2p.on('block', ({ from, block }) => {
        if (from === 'self') return;
        const foundAt = this.foundAt.get(block.id);
        if (foundAt !== undefined) this.run.delaysMs.push(performance.now() - foundAt);
        node.strategy.received?.(node, block);
      });
      // A peer's block moved the tip: the workers move with it, unless a strategy holds them on its own branch.
      node.p2p.on('tip', () => node.chain.tipMoved());
    }
  }

  /** Fresh chains on `params` at `target`, one a node, every pair linked with `delayMs` each way. */
  static async open(plans: NodePlan[], params: ChainParams, target: bigint, delayMs: number): Promise<LabNetwork> {
    const root = mkdtempSync(join(tmpdir(), 'powlab-lab-'));
    const nodes: LabNode[] = [];
    const links: LatencyLink[] = [];
    const network = () => new LabNetwork(nodes, links, root);
    try {
      for (const [index, plan] of plans.entries()) {
        const datadir = join(root, `${index}-${plan.name}`);
        const chain = openDatadirChain(
          { datadir, params, create: params.retarget },
          { payoutScript: payoutScript(plan.name), target },
        );
        const p2p = new P2PNode(chain.store);
        const port = await p2p.listen('127.0.0.1', 0);
        nodes.push(new LabNode(plan.name, chain, p2p, port, plan.strategy, plan.throttle));
      }
      const met = nodes.map((node) => meetPeers(node.p2p, nodes.length - 1));
      for (let i = 0; i < nodes.length; i++) {
        for (let j = i + 1; j < nodes.length; j++) {
          const link = await LatencyLink.open(nodes[j].port, delayMs);
          links.push(link);
          nodes[i].p2p.connect('127.0.0.1', link.port);
        }
      }
      await Promise.all(met);
    } catch (error) {
      await network().close();
      throw error;
    }
    return network();
  }

  /**
   * Mine on every node at once until `enough()` says so after a find (or `signal` aborts), then let
   * the strategies publish what they would and the network settle.
   */
  async mine(enough: () => boolean, signal: AbortSignal): Promise<MiningRun> {
    const stop = new AbortController();
    const stopAll = () => stop.abort();
    signal.addEventListener('abort', stopAll, { once: true });
    const sessions = [];
    try {
      for (const node of this.nodes) {
        const session = await MiningSession.start(keptOpen(node.chain), {
          host: nodeThreads(),
          threads: NODE_THREADS,
          throttle: node.throttle,
          signal: stop.signal,
        });
        session.on('found', ({ result }) => this.onFound(node, result, enough, stop));
        sessions.push(session);
      }
      const began = performance.now();
      const summaries = await Promise.all(sessions.map((session) => session.run()));
      this.run.seconds = (performance.now() - began) / 1000;
      for (const [index, summary] of summaries.entries()) {
        if (summary.error) throw summary.error;
        this.nodes[index].hashes = summary.stats.hashes;
      }
    } finally {
      signal.removeEventListener('abort', stopAll);
      stop.abort();
    }
    for (const node of this.nodes) node.strategy.finish?.(node);
    await this.settle();
    return this.run;
  }

  private onFound(node: LabNode, result: MinedBlock, enough: () => boolean, stop: AbortController): void {
    const block = node.tree.get(result.hash);
    if (!block) return;
    this.finder.set(block.id, node);
    this.foundAt.set(block.id, performance.now());
    node.keep(block, hexToBytes(result.block));
    node.strategy.found(node, block);
    if (enough()) stop.abort();
  }

  /** Until every announcement has been fetched and stored everywhere: a quiet second after two ping rounds. */
  async settle(): Promise<void> {
    await Promise.all(this.nodes.map((node) => node.p2p.settle()));
    await Promise.all(this.nodes.map((node) => node.p2p.quiet(1_000, 10_000)));
    await Promise.all(this.nodes.map((node) => node.p2p.settle()));
  }

  /** The node's share of every hash done while the lab mined. */
  hashShare(node: LabNode): number {
    const total = this.nodes.reduce((sum, each) => sum + each.hashes, 0);
    return total > 0 ? node.hashes / total : 0;
  }

  /** The node's share of the blocks found: its hash share as the run's lottery dealt it. */
  foundShare(node: LabNode): number {
    return this.finder.size > 0 ? node.finds.length / this.finder.size : 0;
  }

  /** The chain with the most work any node holds, genesis left out. */
  bestChain(): readonly TreeBlock[] {
    const best = this.nodes.reduce((a, b) => (b.tree.tip.chainwork > a.tree.tip.chainwork ? b : a));
    return best.tree.activeChain().slice(1);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.nodes.map((node) => node.p2p.close()));
    await Promise.allSettled(this.links.map((link) => link.close()));
    for (const node of this.nodes) node.chain.close();
    rmSync(this.root, { recursive: true, force: true });
  }
}

function meetPeers(p2p: P2PNode, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let met = 0;
    const timer = setTimeout(
      () => reject(Errors.network(`the lab's nodes did not meet on loopback within ${MESH_MS / 1000} s`)),
      MESH_MS,
    );
    p2p.on('peer', ({ event }) => {
      if (event === 'connect' && ++met === count) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
}
