/**
 * The pool's ledger: one append-only file in the datadir, a checksummed JSON line per record
 * (src/storage/records.ts): every accepted share (miner, difficulty, time), every block found
 * (finder, reward, the PPLNS split) before it goes to the chain, and the chain's verdict on it.
 * A share is written before it is answered, so a kill -9 loses none the miner was told about; a
 * found block and its verdict are synced to disk. A block found but with no verdict (the pool
 * stopped between the two) is settled at the next start (settleFoundBlocks in templates.ts).
 *
 * Damage anywhere is refused with the file and line, the file left untouched; a torn last line (a
 * crash mid-write) is cut off with a warning. Every value is range-checked as it is read. The file
 * is streamed at start: what stays in memory is each miner's totals, the shares a PPLNS window can
 * still reach and the last blocks, however long the history. Once the history grows past what that
 * state takes by a million lines, the ledger is compacted: its lines move to an archive beside it
 * (pool-ledger-<time>.jsonl, never read again) and it starts over from records of that state, so a
 * start reads the window, the miners and at most a million lines more. One pool at a time writes
 * it (a lock).
 */
import { join } from 'node:path';
import { Errors, errorMessage } from '../errors.js';
import { AppendOnlyFile, replaceFileInParts, truncateFile } from '../storage/durable.js';
import { lockDatadir, type DatadirLock } from '../storage/lock.js';
import { encodeRecordLine, scanRecordFile } from '../storage/records.js';
import {
  parseRecord,
  type BlockRecord,
  type FoundRecord,
  type LedgerRecord,
  type MinerTotals,
  type ShareRecord,
} from './ledger-records.js';
import { pplnsSplit, type Payout, type WindowShare } from './pplns.js';

export const LEDGER_FILE = 'pool-ledger.jsonl';
const LEDGER_LOCK = 'pool-ledger.lock';
/** Shares held in memory for the PPLNS window at most, however small their difficulty. */
const MAX_WINDOW_SHARES = 1_000_000;
/** Blocks kept in memory for the page; the file has them all. */
const RECENT_BLOCKS = 100;
/** Lines of history past the state's own before the ledger is compacted. */
const COMPACT_AFTER_LINES = 1_000_000;
/** A block's line names every miner in its window: room for tens of thousands. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
export class Ledger {
  readonly totals = new Map<string, MinerTotals>();
  readonly recentBlocks: BlockRecord[] = [];
  /** Blocks found but without a verdict: the pool stopped between the two. */
  readonly unsettled = new Map<string, FoundRecord>();
  /** Share difficulty since the first line: the work the pool was paid in. */
  totalDifficulty = 0;
  /** Share difficulty since the last block: the current round's work. */
  roundDifficulty = 0;
  /** The sum of each accepted block's difficulty: what that work was expected to find. */
  blockDifficulty = 0;
  blocks = 0;
  private window: WindowShare[] = [];
  private windowHead = 0;
  private windowSum = 0;
  private file?: AppendOnlyFile;
  private lock?: DatadirLock;
  /** Lines since the file started over (its last compaction), or since a compaction last failed. */
  private linesSinceCompaction = 0;

  private constructor(
    readonly path: string,
    /** N = windowFactor × block difficulty. */
    readonly windowFactor: number,
    private hardestNetworkDifficulty: number,
    private readonly compactAfterLines: number,
    private readonly warn: (message: string) => void,
  ) {}

  /**
   * Lock and open (creating) the ledger in `datadir`, replaying every line into the totals and the
   * window; `networkDifficulty` is the block difficulty miners are on now.
   */
  static open(
    datadir: string,
    options: { windowFactor: number; networkDifficulty: number; compactAfterLines?: number },
    warn: (message: string) => void,
  ): Ledger {
    const ledger = new Ledger(
      join(datadir, LEDGER_FILE),
      options.windowFactor,
      options.networkDifficulty,
      options.compactAfterLines ?? COMPACT_AFTER_LINES,
      warn,
    );
    const lock = lockDatadir(join(datadir, LEDGER_LOCK));
    try {
      const scan = scanRecordFile(ledger.path, MAX_LINE_BYTES, (value) => {
        const record = parseRecord(value);
        if (typeof record === 'string') return record;
        ledger.apply(record);
        return undefined;
      });
      if (scan.torn) {
        warn(`${ledger.path} ended in a torn write (${scan.torn.bytes} bytes after line ${scan.lines}): cut off`);
        truncateFile(ledger.path, scan.torn.at);
      }
      ledger.linesSinceCompaction = scan.lines;
      ledger.file = AppendOnlyFile.open(ledger.path);
      ledger.compactWhenLong();
    } catch (error) {
      lock.release();
      throw error;
    }
    ledger.lock = lock;
    return ledger;
  }

  /** Shares held for the PPLNS window: bounded by the window, not by the history. */
  get windowShares(): number {
    return this.window.length - this.windowHead;
  }

  /** Record an accepted share (written before the miner hears it was accepted). */
  share(miner: string, difficulty: number, time: number): void {
    const record: ShareRecord = { type: 'share', miner, difficulty, time };
    this.keep(record, false);
  }

  /** The split a block found now would get. */
  split(reward: bigint, networkDifficulty: number): { window: number; split: Payout[] } {
    const window = this.windowFactor * networkDifficulty;
    return { window, split: pplnsSplit(this.window.slice(this.windowHead), window, reward) };
  }

  /** Record a block found, with the split it gets now, synced to disk before it goes anywhere. */
  found(block: Omit<FoundRecord, 'type' | 'window' | 'split'>): FoundRecord {
    const record: FoundRecord = {
      type: 'found',
      ...block,
      ...this.split(BigInt(block.reward), block.networkDifficulty),
    };
    this.keep(record, true);
    return record;
  }

  /** Record the chain's verdict on a found block, synced to disk: from here its split counts. */
  settle(found: FoundRecord, verdict: { accepted: boolean; reason?: string }): BlockRecord {
    const record: BlockRecord = {
      ...found,
      type: 'block',
      accepted: verdict.accepted,
      ...(verdict.reason ? { reason: verdict.reason } : {}),
    };
    this.keep(record, true);
    return record;
  }

  /** Make the shares written so far durable against a power cut too (a kill -9 cannot lose them). */
  sync(): void {
    this.file?.sync();
  }

  close(): void {
    try {
      this.file?.sync();
    } finally {
      this.file?.close();
      this.lock?.release();
      this.file = this.lock = undefined;
    }
  }

  /** Write `record`, count it in, and compact once the history has grown long enough. */
  private keep(record: ShareRecord | FoundRecord | BlockRecord, sync: boolean): void {
    if (!this.file) throw Errors.store(`the ledger ${this.path} is closed`);
    const line = Buffer.from(encodeRecordLine(record));
    // A longer line would be written, then refused at the next start.
    if (line.length > MAX_LINE_BYTES)
      throw Errors.store(
        `a ${record.type} record of ${line.length} bytes is more than the ${MAX_LINE_BYTES} a line of ${this.path} may hold: not written`,
      );
    this.file.append(line, sync);
    this.linesSinceCompaction++;
    this.apply(record);
    this.compactWhenLong();
  }

  /** Lines a compacted ledger starts with. */
  private get stateLines(): number {
    return 1 + this.totals.size + this.windowShares + this.recentBlocks.length + this.unsettled.size;
  }

  private compactWhenLong(): void {
    if (this.linesSinceCompaction < this.stateLines + this.compactAfterLines) return;
    try {
      this.compact();
    } catch (error) {
      // The ledger is as it was (compact replaces it whole or not at all): it goes on growing for now.
      this.file ??= AppendOnlyFile.open(this.path);
      this.linesSinceCompaction = 0;
      this.warn(
        `${errorMessage(error)}: the ledger was not compacted; trying again in ${this.compactAfterLines} lines`,
      );
    }
  }

  /** Move the history to an archive and start the ledger over from records of the state it adds up to. */
  private compact(): void {
    const archive = this.path.replace(/\.jsonl$/, `-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`);
    this.file?.close();
    this.file = undefined;
    let lines = 0;
    replaceFileInParts(
      this.path,
      (append) => {
        let batch = '';
        const add = (record: LedgerRecord) => {
          batch += encodeRecordLine(record);
          lines++;
          if (batch.length >= 1 << 20) {
            append(Buffer.from(batch));
            batch = '';
          }
        };
        for (const record of this.state(archive)) add(record);
        append(Buffer.from(batch));
      },
      archive,
    );
    this.linesSinceCompaction = lines;
    this.file = AppendOnlyFile.open(this.path);
  }

  private *state(archive: string): Generator<LedgerRecord> {
    const { totalDifficulty, roundDifficulty, blockDifficulty, blocks } = this;
    yield { type: 'counters', totalDifficulty, roundDifficulty, blockDifficulty, blocks, archive };
    for (const [miner, totals] of this.totals)
      yield { type: 'totals', miner, ...totals, earned: totals.earned.toString() };
    for (let i = this.windowHead; i < this.window.length; i++) yield { type: 'window', ...this.window[i] };
    for (const block of this.recentBlocks) yield { ...block, type: 'recent' };
    yield* this.unsettled.values();
  }

  private apply(record: LedgerRecord): void {
    switch (record.type) {
      case 'counters':
        ({
          totalDifficulty: this.totalDifficulty,
          roundDifficulty: this.roundDifficulty,
          blockDifficulty: this.blockDifficulty,
          blocks: this.blocks,
        } = record);
        return;
      case 'totals':
        this.totals.set(record.miner, {
          shares: record.shares,
          difficulty: record.difficulty,
          blocks: record.blocks,
          earned: BigInt(record.earned),
        });
        return;
      case 'window':
        this.window.push({ miner: record.miner, difficulty: record.difficulty });
        this.trimWindow(record.difficulty);
        return;
      case 'recent':
        this.recentBlocks.push({ ...record, type: 'block' });
        if (this.recentBlocks.length > RECENT_BLOCKS) this.recentBlocks.shift();
        return;
    }
    if (record.type === 'share') {
      const totals = this.minerTotals(record.miner);
      totals.shares++;
      totals.difficulty += record.difficulty;
      this.totalDifficulty += record.difficulty;
      this.roundDifficulty += record.difficulty;
      this.window.push({ miner: record.miner, difficulty: record.difficulty });
      this.trimWindow(record.difficulty);
      return;
    }
    if (record.type === 'found') {
      this.unsettled.set(record.hash, record);
      return;
    }
    this.unsettled.delete(record.hash);
    this.recentBlocks.push(record);
    if (this.recentBlocks.length > RECENT_BLOCKS) this.recentBlocks.shift();
    if (!record.accepted) return;
    this.blocks++;
    this.blockDifficulty += record.networkDifficulty;
    this.roundDifficulty = 0;
    this.minerTotals(record.finder).blocks++;
    for (const payout of record.split) this.minerTotals(payout.miner).earned += BigInt(payout.amount);
  }

  /** Tell the ledger the block difficulty miners are on, so the window keeps enough shares for it. */
  networkDifficulty(difficulty: number): void {
    this.hardestNetworkDifficulty = Math.max(this.hardestNetworkDifficulty, difficulty);
  }

  /** Forget shares no window can reach: past N for the hardest block difficulty seen, or past the memory cap. */
  private trimWindow(latest: number): void {
    this.windowSum += latest;
    const keep = this.windowFactor * this.hardestNetworkDifficulty;
    while (this.window.length - this.windowHead > MAX_WINDOW_SHARES) this.dropOldest();
    while (this.window.length - this.windowHead > 1 && this.windowSum - this.window[this.windowHead].difficulty >= keep)
      this.dropOldest();
    if (this.windowHead > 1024 && this.windowHead * 2 > this.window.length) {
      this.window = this.window.slice(this.windowHead);
      this.windowHead = 0;
    }
  }

  private dropOldest(): void {
    this.windowSum -= this.window[this.windowHead].difficulty;
    this.windowHead++;
  }

  private minerTotals(miner: string): MinerTotals {
    let totals = this.totals.get(miner);
    if (!totals) this.totals.set(miner, (totals = { shares: 0, difficulty: 0, blocks: 0, earned: 0n }));
    return totals;
  }
}
