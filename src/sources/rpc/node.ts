/**
 * Mining on a node: templates in (getblocktemplate), blocks out (submitblock), and the node's tip
 * watched so work from a stale tip is dropped within a second. A node that is down or restarting
 * is waited for with growing pauses, saying so each time; one that refuses the credentials is not.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { checkBlock, parseBlock } from '../../core/block.js';
import { bytesToHex } from '../../core/bytes.js';
import { hashToDisplayHex } from '../../core/header.js';
import { Errors, errorMessage } from '../../errors.js';
import type { Solution } from '../../miner/work.js';
import { saveFoundBlock } from '../found.js';
import { printable } from '../printable.js';
import { isRetryable, NodeRpcError, type RpcClient } from './client.js';
import { parseTemplate, type BlockTemplate } from './template.js';
import { newRunTag, TemplateWork } from './work.js';

/** What powlab understands, as BIP 22/23/9 ask a client to say. */
const TEMPLATE_REQUEST = { rules: ['segwit'], capabilities: ['coinbasevalue', 'longpoll'] };
const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 8_000;
const TIP_POLL_MS = 1_000;
/** A long poll is asked again after this long even if the node says nothing, so a silent dead connection is noticed. */
const LONG_POLL_MS = 60_000;
/** A block found before a stop is still sent: this long, at most, past Ctrl-C or --duration. */
const SUBMIT_GRACE_MS = 30_000;

export interface NodeSourceOptions {
  client: RpcClient;
  /** The output script for a chain name (main, test, regtest, …), as the node reports it. */
  payoutScript: (chain: string) => Uint8Array;
  /** Mine at this target when it is harder than the node's. */
  target?: bigint;
  /** Found blocks are written to <datadir>/found/ before they are submitted. */
  datadir: string;
  /** Retry notices and other things a person should know. */
  warn: (message: string) => void;
  signal: AbortSignal;
}

export interface NodeBlock {
  height: number;
  hash: string;
  header: string;
  nonce: number;
  block: string;
  hashes: number;
  seconds: number;
  hashrate: number;
  extranonce: number;
  /** The node said null to submitblock. */
  accepted: boolean;
  /** The node's reason when it did not accept ("rejected: " prefix removed), else null. */
  reason: string | null;
  /** The node's best block hash after the submission. */
  tip: string | null;
  /** Where the block was saved before it was sent; null when it could not be saved (it was sent anyway). */
  file: string | null;
}

export class NodeSource {
  private works = 0;
  private readonly runTag = newRunTag();
  private failing = false;
  /** The template's previous hash and the node's best, when they last differed. */
  private offTip?: string;

  private constructor(
    private readonly options: NodeSourceOptions,
    readonly chain: string,
    private readonly payoutScript: Uint8Array,
  ) {}

  /** Ask the node which chain it is on (waiting for it if it is down); undefined when stopped first. */
  static async connect(options: NodeSourceOptions): Promise<NodeSource | undefined> {
    const probe = new NodeSource(options, '', new Uint8Array(0));
    const info = await probe.persist(() => options.client.call('getblockchaininfo', [], { signal: options.signal }));
    if (info === undefined) return undefined;
    const chain = typeof info === 'object' && info !== null && 'chain' in info ? info.chain : undefined;
    if (typeof chain !== 'string' || !/^[a-z0-9]{1,32}$/.test(chain))
      throw Errors.badData("the node's getblockchaininfo", 'has no chain name');
    return new NodeSource(options, chain, options.payoutScript(chain));
  }

  get display(): string {
    return this.options.client.display;
  }

  /** Work from a fresh template; undefined when stopped first. */
  async nextWork(signal: AbortSignal = this.options.signal): Promise<TemplateWork | undefined> {
    const template = await this.persist(() => this.fetchTemplate({ signal }), signal);
    return template && this.workFor(template);
  }

  /**
   * Resolves with new work once the node's template moves on (a block from elsewhere, or new
   * transactions when the node long-polls on them); undefined when `signal` aborts first.
   */
  async changedWork(current: TemplateWork, signal: AbortSignal): Promise<TemplateWork | undefined> {
    let longPollId = current.template.longPollId;
    while (!signal.aborted) {
      if (longPollId) {
        try {
          const template = await this.fetchTemplate({ signal, timeoutMs: LONG_POLL_MS, longPollId });
          if (this.moved(current.template, template)) return this.workFor(template);
          longPollId = template.longPollId;
          continue;
        } catch (error) {
          if (signal.aborted) return undefined;
          // A node that does not long-poll after all is polled instead; one that timed out or dropped the
          // connection is checked with a plain call below, which says so if it is really down.
          if (!(error instanceof NodeRpcError) && !isRetryable(error)) throw error;
          if (error instanceof NodeRpcError && !isRetryable(error)) longPollId = undefined;
          // A node that answers "not ready" (still starting, no peers, downloading) answers at once:
          // without a pause this loop would ask it a thousand times a second.
          else await sleep(TIP_POLL_MS, undefined, { signal }).catch(() => undefined);
        }
      } else {
        await sleep(TIP_POLL_MS, undefined, { signal }).catch(() => undefined);
        if (signal.aborted) return undefined;
      }
      const tip = await this.persist(() => this.options.client.call('getbestblockhash', [], { signal }), signal);
      if (tip === undefined) return undefined;
      if (typeof tip !== 'string' || !/^[0-9a-f]{64}$/i.test(tip))
        throw Errors.badData("the node's getbestblockhash", 'is not a block hash');
      const best = tip.toLowerCase();
      if (best === current.template.previousBlockHashHex) continue;
      const template = await this.persist(() => this.fetchTemplate({ signal }), signal);
      if (template === undefined) return undefined;
      this.noteTemplateOffTip(template, best);
      if (template.previousBlockHashHex === best || this.moved(current.template, template))
        return this.workFor(template);
    }
    return undefined;
  }

  /**
   * A node whose templates do not build on its own best block (mid-reorg, or not a node we should
   * trust) is asked again each second, and said so once for each such pair of hashes.
   */
  private noteTemplateOffTip(template: BlockTemplate, best: string): void {
    const pair = template.previousBlockHashHex === best ? undefined : `${template.previousBlockHashHex} ${best}`;
    if (pair !== undefined && pair !== this.offTip) {
      this.options.warn(
        `the node's template builds on ${template.previousBlockHashHex}, not on its best block ${best}; mining it anyway and asking again each second`,
      );
    }
    this.offTip = pair;
  }

  /** Save the block, submit it, read the verdict and the node's tip. */
  async submit(solution: Solution<TemplateWork>): Promise<NodeBlock> {
    const work = solution.work;
    const blockBytes = work.block(solution);
    const fault = checkBlock(parseBlock(blockBytes));
    if (fault) throw new Error(`powlab assembled a block that fails its own check (${fault}); not submitting it`);
    const hash = hashToDisplayHex(solution.hash);
    const header = bytesToHex(solution.header);
    const block = bytesToHex(blockBytes);
    let file: string | null = null;
    try {
      file = saveFoundBlock(this.options.datadir, {
        source: `rpc ${this.display}`,
        height: work.height,
        hash,
        header,
        block,
      });
    } catch (error) {
      // A full or broken disk must not cost the block itself.
      this.options.warn(`${errorMessage(error)}; sending the block to the node anyway`);
    }
    const found = {
      height: work.height,
      hash,
      header,
      nonce: solution.nonce,
      block,
      hashes: solution.hashes,
      seconds: solution.seconds,
      hashrate: solution.seconds > 0 ? solution.hashes / solution.seconds : 0,
      extranonce: solution.extranonceIndex,
      file,
    };
    let verdict: unknown;
    try {
      // Not cut short by Ctrl-C or --duration: the block was found before the stop, and is worth a moment.
      const grace = AbortSignal.timeout(SUBMIT_GRACE_MS);
      verdict = await this.persist(() => this.options.client.call('submitblock', [block], { signal: grace }), grace);
    } catch (error) {
      // An error object instead of a result: the node could not even take the block (bad encoding and the like).
      if (error instanceof NodeRpcError)
        return { ...found, accepted: false, reason: printable(error.rpcMessage), tip: await this.tip() };
      throw error;
    }
    if (verdict === undefined)
      return {
        ...found,
        accepted: false,
        reason: `not submitted: the node was unreachable for ${SUBMIT_GRACE_MS / 1000} s; ${file ? `send it yourself, it is in ${file}` : 'and it could not be saved either'}`,
        tip: null,
      };
    if (verdict !== null && typeof verdict !== 'string')
      throw Errors.badData("the node's answer to submitblock", 'neither null nor a reason');
    const reason = verdict === null ? null : printable(verdict.replace(/^rejected: /, '')) || 'rejected';
    return { ...found, accepted: verdict === null, reason, tip: await this.tip() };
  }

  private async tip(): Promise<string | null> {
    const tip = await this.persist(() =>
      this.options.client.call('getbestblockhash', [], { signal: this.options.signal }),
    );
    return typeof tip === 'string' && /^[0-9a-f]{64}$/i.test(tip) ? tip.toLowerCase() : null;
  }

  private async fetchTemplate(options: {
    signal: AbortSignal;
    timeoutMs?: number;
    longPollId?: string;
  }): Promise<BlockTemplate> {
    const request = options.longPollId ? { ...TEMPLATE_REQUEST, longpollid: options.longPollId } : TEMPLATE_REQUEST;
    const answer = await this.options.client.call('getblocktemplate', [request], {
      signal: options.signal,
      timeoutMs: options.timeoutMs,
    });
    return parseTemplate(answer);
  }

  private moved(before: BlockTemplate, after: BlockTemplate): boolean {
    return (
      after.previousBlockHashHex !== before.previousBlockHashHex ||
      after.longPollId !== before.longPollId ||
      after.transactions.length !== before.transactions.length
    );
  }

  private workFor(template: BlockTemplate): TemplateWork {
    return new TemplateWork(template, {
      payoutScript: this.payoutScript,
      target: this.options.target,
      runTag: this.runTag,
      id: `node-${template.height}-${++this.works}`,
    });
  }

  /** Call until the node answers or `signal` aborts (undefined); a pause that doubles up to 8 s between tries. */
  private async persist<T>(
    attempt: () => Promise<T>,
    signal: AbortSignal = this.options.signal,
  ): Promise<T | undefined> {
    let pause = FIRST_RETRY_MS;
    while (!signal.aborted) {
      try {
        const value = await attempt();
        if (this.failing) {
          this.failing = false;
          this.options.warn(`the node at ${this.display} answers again`);
        }
        return value;
      } catch (error) {
        if (signal.aborted) return undefined;
        if (!isRetryable(error)) throw error;
        this.failing = true;
        this.options.warn(`${errorMessage(error)}; retrying in ${pause / 1000} s`);
        await sleep(pause, undefined, { signal }).catch(() => undefined);
        pause = Math.min(2 * pause, MAX_RETRY_MS);
      }
    }
    return undefined;
  }
}
