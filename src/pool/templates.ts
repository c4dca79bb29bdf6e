/**
 * Where the pool's block templates come from and its blocks go: the built-in chain, regtest or
 * classnet (templates by its rules, blocks appended to its store, which judges them) or a node (getblocktemplate through NodeSource, submitblock); and, at
 * start, the chain's word on blocks the ledger has as found but never settled.
 */
import { blockSubsidy } from '../core/params.js';
import { bytesToHex } from '../core/bytes.js';
import { HEADER_BYTES, hashToDisplayHex, headerHash } from '../core/header.js';
import { BuiltInChain } from '../sources/chain.js';
import { NodeRpcError, type RpcClient } from '../sources/rpc/client.js';
import { NodeSource } from '../sources/rpc/node.js';
import { templateHasSegwit, type BlockTemplate } from '../sources/rpc/template.js';
import type { TemplateWork } from '../sources/rpc/work.js';
import { printable } from '../sources/printable.js';
import type { PoolTemplate } from './jobs.js';
import type { Ledger } from './ledger.js';
import { errorMessage } from '../errors.js';

export interface Submitted {
  accepted: boolean;
  reason?: string;
}

export interface TemplateFeed {
  /** Where blocks go, as it may be printed. */
  readonly display: string;
  /** The template to mine on now; undefined when stopped first. */
  current(): Promise<PoolTemplate | undefined>;
  /** Resolves once the chain has moved on from `template` (by a block from elsewhere); undefined when stopped. */
  changed(template: PoolTemplate, signal: AbortSignal): Promise<PoolTemplate | undefined>;
  /** Append or submit a block on `template`. */
  submit(block: Uint8Array): Promise<Submitted>;
  /** Is the block with this hash (display order) in the chain, on its best branch? */
  holds(hash: string): Promise<boolean>;
  close(): void;
}

/** The built-in chain: the pool is its only miner, so it moves only when the pool appends. */
export class ChainFeed implements TemplateFeed {
  readonly display: string;

  constructor(private readonly chain: BuiltInChain) {
    this.display = `the built-in ${chain.params.name} chain in ${chain.store.storage.place}`;
  }

  /** On classnet the retarget rule's bits, and a time of max(now, MTP + 1), as `powlab mine` takes them. */
  current(): Promise<PoolTemplate> {
    const work = this.chain.nextWork();
    return Promise.resolve({
      height: work.height,
      prevHash: work.template.prevHash,
      version: work.template.version,
      bits: work.template.bits,
      target: this.chain.target,
      time: work.template.time,
      reward: blockSubsidy(work.height, this.chain.params),
      transactions: [],
      segwit: false,
    });
  }

  changed(_template: PoolTemplate, signal: AbortSignal): Promise<undefined> {
    return new Promise((resolve) =>
      signal.aborted ? resolve(undefined) : signal.addEventListener('abort', () => resolve(undefined), { once: true }),
    );
  }

  async submit(block: Uint8Array): Promise<Submitted> {
    try {
      await this.chain.store.append(block);
      return { accepted: true };
    } catch (error) {
      return { accepted: false, reason: errorMessage(error) };
    }
  }

  holds(hash: string): Promise<boolean> {
    return Promise.resolve(this.chain.store.blocks.some((block) => hashToDisplayHex(block.hash) === hash));
  }

  close(): void {
    this.chain.close();
  }
}

/** A node: templates by getblocktemplate (long polling where it can), blocks by submitblock. */
export class NodeFeed implements TemplateFeed {
  private latest?: TemplateWork;

  private constructor(
    private readonly source: NodeSource,
    private readonly client: RpcClient,
  ) {}

  static async connect(options: Parameters<typeof NodeSource.connect>[0]): Promise<NodeFeed | undefined> {
    const source = await NodeSource.connect(options);
    return source && new NodeFeed(source, options.client);
  }

  get display(): string {
    return `the node at ${this.source.display} (${this.source.chain})`;
  }

  async current(): Promise<PoolTemplate | undefined> {
    this.latest = await this.source.nextWork();
    return this.latest && poolTemplate(this.latest.template);
  }

  async changed(template: PoolTemplate, signal: AbortSignal): Promise<PoolTemplate | undefined> {
    const from =
      this.latest && this.latest.template.height === template.height ? this.latest : await this.source.nextWork(signal);
    if (!from) return undefined;
    const next = await this.source.changedWork(from, signal);
    if (next) this.latest = next;
    return next && poolTemplate(next.template);
  }

  async submit(block: Uint8Array): Promise<Submitted> {
    try {
      const verdict = await this.client.call('submitblock', [bytesToHex(block)]);
      if (verdict === null) {
        // A node may take a block without making it its tip (another one at this height came first).
        const tip = await this.client.call('getbestblockhash');
        const hash = hashToDisplayHex(headerHash(block.subarray(0, HEADER_BYTES)));
        return tip === hash
          ? { accepted: true }
          : { accepted: false, reason: 'the node took it, but another block at this height is its tip' };
      }
      return {
        accepted: false,
        reason: typeof verdict === 'string' ? printable(verdict) : 'the node did not say null',
      };
    } catch (error) {
      if (error instanceof NodeRpcError) return { accepted: false, reason: printable(error.rpcMessage) };
      throw error;
    }
  }

  async holds(hash: string): Promise<boolean> {
    try {
      const header = (await this.client.call('getblockheader', [hash])) as { confirmations?: unknown };
      // Core says -1 for a block it has off its best branch.
      return typeof header.confirmations === 'number' && header.confirmations > 0;
    } catch (error) {
      if (error instanceof NodeRpcError && isBlockNotFound(error)) return false;
      throw error;
    }
  }

  close(): void {
    this.client.close();
  }
}

/** Core's "Block not found" (RPC_INVALID_ADDRESS_OR_KEY). */
const RPC_INVALID_ADDRESS_OR_KEY = -5;

/** Core says -5; bcoin says -1 (RPC_MISC_ERROR), with the same words. */
function isBlockNotFound(error: NodeRpcError): boolean {
  return error.rpcCode === RPC_INVALID_ADDRESS_OR_KEY || error.rpcMessage === 'Block not found';
}

/**
 * Blocks the ledger has as found but without a verdict (the pool stopped between its split and the
 * chain's answer): ask the chain, and write each one's verdict now, saying so in one line each.
 */
export async function settleFoundBlocks(
  ledger: Ledger,
  feed: TemplateFeed,
  warn: (message: string) => void,
): Promise<void> {
  for (const found of [...ledger.unsettled.values()]) {
    const held = await feed.holds(found.hash);
    ledger.settle(
      found,
      held ? { accepted: true } : { accepted: false, reason: 'the pool stopped before the chain took it' },
    );
    warn(
      held
        ? `block ${found.height} ${found.hash} is in the chain but the pool stopped before its ledger line: its split is written now`
        : `block ${found.height} ${found.hash} was found but the pool stopped before the chain took it: written as not accepted`,
    );
  }
}

function poolTemplate(template: BlockTemplate): PoolTemplate {
  return {
    height: template.height,
    prevHash: template.previousBlockHash,
    version: template.version,
    bits: template.bits,
    target: template.target,
    time: Math.max(template.curtime, template.mintime),
    reward: template.coinbaseValue,
    transactions: template.transactions,
    segwit: templateHasSegwit(template),
  };
}
