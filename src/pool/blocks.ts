/**
 * The pool's blocks pipeline: template → job → found → stored and submitted → ledger. It follows
 * the chain (a block from elsewhere brings a new job), cuts each template into the job miners get,
 * and takes a share that meets the block target through to a verdict: the block saved whole, its
 * split written, then appended or submitted, the verdict settled in the ledger. Blocks are handled
 * one at a time: the second at a height is judged after the first is in.
 */
import { bytesEqual, bytesToHex } from '../core/bytes.js';
import { hashToDisplayHex, headerHash } from '../core/header.js';
import { errorMessage } from '../errors.js';
import { saveFoundBlock } from '../sources/found.js';
import { blockFromShare, jobFromTemplate, type PoolJob, type PoolTemplate } from './jobs.js';
import type { BlockRecord } from './ledger-records.js';
import type { Ledger } from './ledger.js';
import type { TemplateFeed } from './templates.js';

/** A share that met the block target: its job, header and coinbase (txid form). */
export interface FoundBlock {
  job: PoolJob;
  header: Uint8Array;
  coinbase: Uint8Array;
}

export interface BlockPipelineOptions {
  feed: TemplateFeed;
  ledger: Ledger;
  payoutScript: Uint8Array;
  /** Found blocks are saved in <datadir>/found/ before they go anywhere. */
  datadir: string;
  /** Each new job, for the miners. */
  onJob: (job: PoolJob) => void;
  /** Each block's verdict, as the ledger has it; `file`: where it was saved. */
  onBlock: (record: BlockRecord, file: string | null) => void;
  warn: (message: string) => void;
}

/** After a failure to hear from the chain, wait this long before asking again. */
const RETRY_MS = 1000;

export class BlockPipeline {
  private current?: PoolJob;
  private jobCount = 0;
  private readonly stop = new AbortController();
  private blockChain: Promise<void> = Promise.resolve();
  /** The tip a block was just found on: shares on it are stale from that moment, not from when the next job goes out. */
  private solvedPrevHash: Uint8Array = new Uint8Array(0);

  constructor(private readonly options: BlockPipelineOptions) {}

  get job(): PoolJob | undefined {
    return this.current;
  }

  /** Shares for this job still count: it is on the current tip, and no block was found on that tip. */
  isCurrent(job: PoolJob): boolean {
    return (
      this.current !== undefined &&
      bytesEqual(job.template.prevHash, this.current.template.prevHash) &&
      !bytesEqual(job.template.prevHash, this.solvedPrevHash)
    );
  }

  /** The first job, on `template`; then follow the chain until closed. */
  start(template: PoolTemplate): PoolJob {
    this.setJob(template);
    void this.followChain(template);
    return this.current!;
  }

  /** A share met the block target: save, split, submit, settle, one block after another. */
  found(finder: string, { job, header, coinbase }: FoundBlock, hash: string): void {
    this.solvedPrevHash = job.template.prevHash;
    this.blockChain = this.blockChain
      .then(() => this.storeAndSubmit(finder, job, header, coinbase, hash))
      .catch((error: unknown) => this.options.warn(`a block: ${errorMessage(error)}`));
  }

  /** Stop following the chain; resolves once the blocks found so far have their verdicts. */
  async close(): Promise<void> {
    this.stop.abort();
    await this.blockChain;
  }

  private setJob(template: PoolTemplate): void {
    const clean = !this.current || !bytesEqual(this.current.template.prevHash, template.prevHash);
    const job = jobFromTemplate((++this.jobCount).toString(16), template, this.options.payoutScript, clean);
    this.current = job;
    this.options.ledger.networkDifficulty(job.networkDifficulty);
    this.options.onJob(job);
  }

  /** A block from elsewhere (on a node) brings a new job. */
  private async followChain(first: PoolTemplate): Promise<void> {
    let template = first;
    while (!this.stop.signal.aborted) {
      try {
        const next = await this.options.feed.changed(template, this.stop.signal);
        if (!next) return;
        template = next;
        this.setJob(next);
      } catch (error) {
        if (this.stop.signal.aborted) return;
        this.options.warn(`following the chain: ${errorMessage(error)}`);
        await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
      }
    }
  }

  private async storeAndSubmit(
    finder: string,
    job: PoolJob,
    header: Uint8Array,
    coinbase: Uint8Array,
    hash: string,
  ): Promise<void> {
    const { feed, ledger } = this.options;
    const block = blockFromShare(job, header, coinbase);
    let file: string | null = null;
    try {
      // Whole on disk before it is appended or sent: a crash from here on loses nothing.
      file = saveFoundBlock(this.options.datadir, {
        source: `pool ${feed.display}`,
        height: job.template.height,
        hash,
        header: bytesToHex(header),
        block: bytesToHex(block),
      });
    } catch (error) {
      this.options.warn(`${errorMessage(error)}; submitting the block anyway`);
    }
    // Its split on disk before the chain has it: a crash between the two is settled at the next start.
    const pending = ledger.found({
      height: job.template.height,
      hash: hashToDisplayHex(headerHash(header)),
      finder,
      time: Date.now(),
      reward: job.template.reward.toString(),
      networkDifficulty: job.networkDifficulty,
    });
    let verdict;
    try {
      verdict = await feed.submit(block);
    } catch (error) {
      verdict = { accepted: false, reason: errorMessage(error) };
    }
    this.options.onBlock(ledger.settle(pending, verdict), file);
    if (verdict.accepted && !this.stop.signal.aborted) {
      const next = await feed.current();
      if (next && !bytesEqual(next.prevHash, this.current?.template.prevHash ?? new Uint8Array(0))) this.setJob(next);
    }
  }
}
