/**
 * A node as a mining source: the first template fetched before the workers start, the node's tip
 * watched while a template is mined, every block saved and then submitted, the next template
 * fetched after each.
 */
import { hexToBytes } from '../../core/bytes.js';
import { Errors } from '../../errors.js';
import type { Solution } from '../../miner/work.js';
import type { FindOutcome, MiningSource, WorkSink } from '../../mining/source.js';
import { NodeSource, type NodeBlock, type NodeSourceOptions } from './node.js';
import type { TemplateWork } from './work.js';

/** The node rejecting this many blocks in a row means powlab builds them wrong for it: stop rather than spin. */
const MAX_REJECTIONS_IN_A_ROW = 5;

export class NodeMining implements MiningSource<TemplateWork, NodeBlock> {
  readonly finds = 'block';
  private node?: NodeSource;
  private current?: TemplateWork;
  private sink?: WorkSink<TemplateWork>;
  /** Ends the watch on the current template's tip. */
  private watch?: AbortController;
  private rejectedInARow = 0;
  private sessionSignal?: AbortSignal;

  constructor(private readonly options: Omit<NodeSourceOptions, 'signal'> & { display: string }) {}

  get name(): string {
    return `the ${this.node ? `${this.node.chain} ` : ''}node at ${this.options.display}`;
  }

  get chain(): string {
    return this.node?.chain ?? '';
  }

  /** The template mined at this moment. */
  get work(): TemplateWork | undefined {
    return this.current;
  }

  label(): string {
    return this.current ? `block ${this.current.height}` : 'waiting for the node';
  }

  async prepare(signal: AbortSignal): Promise<boolean> {
    // Before the session opens its sink (waiting for a node that is down), warnings go straight to the user.
    const warn = (text: string) => (this.sink ? this.sink.warning(text) : this.options.warn(text));
    this.node = await NodeSource.connect({ ...this.options, warn, signal });
    if (!this.node) return false;
    this.current = await this.node.nextWork(signal);
    return this.current !== undefined;
  }

  open(sink: WorkSink<TemplateWork>, signal: AbortSignal): void {
    this.sink = sink;
    if (this.current) this.mine(this.current, signal);
  }

  async solve(solution: Solution<TemplateWork>): Promise<NodeBlock> {
    this.watch?.abort();
    const block = await this.node!.submit(solution);
    if (block.accepted) this.rejectedInARow = 0;
    else if (++this.rejectedInARow >= MAX_REJECTIONS_IN_A_ROW) {
      throw Errors.badData(
        `the node at ${this.options.display}`,
        `rejected ${this.rejectedInARow} blocks in a row (last: ${block.reason}); stopping`,
      );
    }
    return block;
  }

  outcome(block: NodeBlock): FindOutcome {
    return {
      kind: 'block',
      block: true,
      height: block.height,
      verdict: block.accepted ? 'accepted' : 'rejected',
      ...(block.reason === null ? {} : { reason: block.reason }),
      counts: block.accepted,
      wholeBlock: { bytes: hexToBytes(block.block), chain: this.chain },
    };
  }

  next(signal: AbortSignal): void {
    this.fetchAndMine(signal);
  }

  exhausted(): void {
    // Every nonce of every extranonce: 2^64 hashes. A fresh template is the only way on.
    this.watch?.abort();
    const signal = this.sessionSignal;
    if (signal) this.fetchAndMine(signal);
  }

  close(): void {
    this.watch?.abort();
    this.options.client.close();
  }

  private mine(work: TemplateWork, signal: AbortSignal): void {
    this.sessionSignal = signal;
    this.current = work;
    this.sink!.work(work);
    this.watch?.abort();
    const watch = new AbortController();
    this.watch = watch;
    const both = AbortSignal.any([signal, watch.signal]);
    this.node!.changedWork(work, both).then(
      (changed) => {
        if (!changed || both.aborted) return;
        if (changed.template.previousBlockHashHex !== work.template.previousBlockHashHex) {
          this.sink!.notice(
            `new tip from elsewhere: now mining height ${changed.height} on ${changed.template.previousBlockHashHex}`,
          );
        }
        this.mine(changed, signal);
      },
      (error: Error) => {
        if (!both.aborted) this.sink!.fail(error);
      },
    );
  }

  private fetchAndMine(signal: AbortSignal): void {
    this.node!.nextWork(signal).then(
      (work) => {
        if (work && !signal.aborted) this.mine(work, signal);
      },
      (error: Error) => {
        if (!signal.aborted) this.sink!.fail(error);
      },
    );
  }
}
