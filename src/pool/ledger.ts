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
 * still reach and the last blocks, however long the history. One pool at a time writes it (a lock).
 */
import { join } from 'node:path';
import { Errors } from '../errors.js';
import { AppendOnlyFile, truncateFile } from '../storage/durable.js';
import { lockDatadir, type DatadirLock } from '../storage/lock.js';
import { encodeRecordLine, scanRecordFile } from '../storage/records.js';
import { pplnsSplit, type Payout, type WindowShare } from './pplns.js';

export const LEDGER_FILE = 'pool-ledger.jsonl';
const LEDGER_LOCK = 'pool-ledger.lock';
/** Shares held in memory for the PPLNS window at most, however small their difficulty. */
const MAX_WINDOW_SHARES = 1_000_000;
/** Blocks kept in memory for the page; the file has them all. */
const RECENT_BLOCKS = 100;
/** A block's line names every miner in its window: room for tens of thousands. */
const MAX_LINE_BYTES = 16 * 1024 * 1024;
/** As the pool admits them (connection.ts): printable, no spaces. */
const MINER_NAME = /^[\x21-\x7e]{1,64}$/;
/** The difficulty of a target of 1, rounded up: no share or block can be harder. */
const MAX_DIFFICULTY = 2 ** 224;
/** 21 million bitcoin, in satoshis: no reward is larger. */
const MAX_MONEY = 2_100_000_000_000_000n;
/** The last millisecond a JavaScript Date can hold. */
const MAX_TIME = 8.64e15;

export interface ShareRecord {
  type: 'share';
  miner: string;
  difficulty: number;
  /** Milliseconds since 1970. */
  time: number;
}

/** A block found, with its split, before it goes to the chain or the node. */
export interface FoundRecord {
  type: 'found';
  height: number;
  /** Display order. */
  hash: string;
  finder: string;
  time: number;
  /** Satoshis. */
  reward: string;
  networkDifficulty: number;
  /** N: the share difficulty the reward was split over. */
  window: number;
  split: Payout[];
}

/** A found block with the chain's verdict: what the totals count. */
export interface BlockRecord extends Omit<FoundRecord, 'type'> {
  type: 'block';
  /** The chain took it (appended, or the node's submitblock said yes). */
  accepted: boolean;
  reason?: string;
}

export type LedgerRecord = ShareRecord | FoundRecord | BlockRecord;

export interface MinerTotals {
  shares: number;
  difficulty: number;
  blocks: number;
  /** Satoshis from every block's split. */
  earned: bigint;
}

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

  private constructor(
    readonly path: string,
    /** N = windowFactor × block difficulty. */
    readonly windowFactor: number,
    private hardestNetworkDifficulty: number,
  ) {}

  /**
   * Lock and open (creating) the ledger in `datadir`, replaying every line into the totals and the
   * window; `networkDifficulty` is the block difficulty miners are on now.
   */
  static open(
    datadir: string,
    options: { windowFactor: number; networkDifficulty: number },
    warn: (message: string) => void,
  ): Ledger {
    const ledger = new Ledger(join(datadir, LEDGER_FILE), options.windowFactor, options.networkDifficulty);
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
      ledger.file = AppendOnlyFile.open(ledger.path);
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
    this.write(record, false);
    this.apply(record);
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
    this.write(record, true);
    this.apply(record);
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
    this.write(record, true);
    this.apply(record);
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

  private write(record: LedgerRecord, sync: boolean): void {
    if (!this.file) throw Errors.store(`the ledger ${this.path} is closed`);
    const line = Buffer.from(encodeRecordLine(record));
    // A longer line would be written, then refused at the next start.
    if (line.length > MAX_LINE_BYTES)
      throw Errors.store(
        `a ${record.type} record of ${line.length} bytes is more than the ${MAX_LINE_BYTES} a line of ${this.path} may hold: not written`,
      );
    this.file.append(line, sync);
  }

  private apply(record: LedgerRecord): void {
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

type Fields = Record<string, unknown>;

const isName = (value: unknown): value is string => typeof value === 'string' && MINER_NAME.test(value);
const isDifficulty = (value: unknown): value is number =>
  typeof value === 'number' && value > 0 && value <= MAX_DIFFICULTY;
const isTime = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIME;
const isSatoshis = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) && BigInt(value) <= MAX_MONEY;

/** The record in `value`, or why it is not one: every field present, of its type, within its range. */
function parseRecord(value: unknown): LedgerRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a record';
  const record = value as Fields;
  if (record.type === 'share') {
    if (!isName(record.miner)) return 'a share whose miner is not a worker name';
    if (!isDifficulty(record.difficulty)) return `a share difficulty out of range (${String(record.difficulty)})`;
    if (!isTime(record.time)) return `a share time out of range (${String(record.time)})`;
    return record as unknown as ShareRecord;
  }
  if (record.type !== 'found' && record.type !== 'block') return 'not a share, found block or block';
  const why = foundProblem(record);
  if (why) return why;
  if (record.type === 'found') return record as unknown as FoundRecord;
  if (typeof record.accepted !== 'boolean') return 'a block whose verdict (accepted) is not true or false';
  if (record.reason !== undefined && typeof record.reason !== 'string') return "a block's reason that is not text";
  return record as unknown as BlockRecord;
}

function foundProblem(record: Fields): string | undefined {
  if (!Number.isSafeInteger(record.height) || (record.height as number) < 0) return 'a block height out of range';
  if (typeof record.hash !== 'string' || !/^[0-9a-f]{64}$/.test(record.hash))
    return 'a block hash that is not 64 hex digits';
  if (!isName(record.finder)) return "a block's finder that is not a worker name";
  if (!isTime(record.time)) return `a block time out of range (${String(record.time)})`;
  if (!isSatoshis(record.reward)) return `a block reward out of range (${String(record.reward)})`;
  if (!isDifficulty(record.networkDifficulty))
    return `a block difficulty out of range (${String(record.networkDifficulty)})`;
  if (typeof record.window !== 'number' || !(record.window > 0) || !Number.isFinite(record.window))
    return `a PPLNS window out of range (${String(record.window)})`;
  if (!Array.isArray(record.split)) return "a block's split that is not a list";
  let paid = 0n;
  for (const payout of record.split as Fields[]) {
    if (typeof payout !== 'object' || payout === null) return "a block's split with a payout that is not a record";
    if (!isName(payout.miner)) return "a block's split paying something that is not a worker name";
    if (!isDifficulty(payout.difficulty)) return `a payout difficulty out of range (${String(payout.difficulty)})`;
    if (!isSatoshis(payout.amount)) return `a payout amount out of range (${String(payout.amount)})`;
    paid += BigInt(payout.amount);
  }
  if (record.split.length > 0 && paid !== BigInt(record.reward))
    return `a block's split paying ${paid} satoshis of a ${record.reward} reward`;
  return undefined;
}
