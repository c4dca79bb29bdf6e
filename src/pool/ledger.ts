/**
 * The pool's ledger: one append-only file of JSON lines in the datadir, every accepted share
 * (miner, difficulty, time) and every block (finder, reward, the PPLNS split). A share is written
 * before it is answered, so a kill -9 loses none the miner was told about; a block's line is synced
 * to disk. A torn last line (a crash mid-write) is cut off at the next start, with a warning; a bad
 * line anywhere else is refused, the file left untouched.
 */
import { closeSync, constants, existsSync, fsyncSync, openSync, readFileSync, truncateSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { Errors } from '../errors.js';
import { pplnsSplit, type Payout, type WindowShare } from './pplns.js';

export const LEDGER_FILE = 'pool-ledger.jsonl';
/** Shares held in memory for the PPLNS window at most, however small their difficulty. */
const MAX_WINDOW_SHARES = 1_000_000;
/** Blocks kept in memory for the page; the file has them all. */
const RECENT_BLOCKS = 100;

export interface ShareRecord {
  type: 'share';
  miner: string;
  difficulty: number;
  /** Milliseconds since 1970. */
  time: number;
}

export interface BlockRecord {
  type: 'block';
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
  /** The chain took it (appended, or the node's submitblock said yes). */
  accepted: boolean;
  reason?: string;
}

export type LedgerRecord = ShareRecord | BlockRecord;

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
  private fd = -1;

  private constructor(
    readonly file: string,
    /** N = windowFactor × block difficulty. */
    readonly windowFactor: number,
    private hardestNetworkDifficulty: number,
  ) {}

  /**
   * Open (creating) the ledger in `datadir`, replaying every line into the totals and the window;
   * `networkDifficulty` is the block difficulty miners are on now.
   */
  static open(
    datadir: string,
    options: { windowFactor: number; networkDifficulty: number },
    warn: (message: string) => void,
  ): Ledger {
    const ledger = new Ledger(join(datadir, LEDGER_FILE), options.windowFactor, options.networkDifficulty);
    const text = existsSync(ledger.file) ? readFileSync(ledger.file, 'utf8') : '';
    const lastNewline = text.lastIndexOf('\n');
    const whole = text.slice(0, lastNewline + 1);
    if (lastNewline + 1 < text.length) {
      warn(`${ledger.file} ended in a torn write (${Buffer.byteLength(text.slice(lastNewline + 1))} bytes): cut off`);
      truncateSync(ledger.file, Buffer.byteLength(whole));
    }
    const lines = whole.split('\n');
    lines.pop();
    lines.forEach((line, i) => {
      const record = parseRecord(line);
      if (!record) throw Errors.store(`${ledger.file} is damaged at line ${i + 1}; left untouched`);
      ledger.apply(record);
    });
    try {
      ledger.fd = openSync(ledger.file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
    } catch (error) {
      throw Errors.store(
        `cannot write the ledger ${ledger.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    return ledger;
  }

  /** Record an accepted share (written before the miner hears it was accepted). */
  share(miner: string, difficulty: number, time: number): void {
    const record: ShareRecord = { type: 'share', miner, difficulty, time };
    this.write(record);
    this.apply(record);
  }

  /** The split a block found now would get. */
  split(reward: bigint, networkDifficulty: number): { window: number; split: Payout[] } {
    const window = this.windowFactor * networkDifficulty;
    return { window, split: pplnsSplit(this.window.slice(this.windowHead), window, reward) };
  }

  /** Record a block with its split, synced to disk. */
  block(found: Omit<BlockRecord, 'type' | 'window' | 'split'>): BlockRecord {
    const record: BlockRecord = {
      type: 'block',
      ...found,
      ...this.split(BigInt(found.reward), found.networkDifficulty),
    };
    this.write(record);
    fsyncSync(this.fd);
    this.apply(record);
    return record;
  }

  /** Make the shares written so far durable against a power cut too (a kill -9 cannot lose them). */
  sync(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  private write(record: LedgerRecord): void {
    const bytes = Buffer.from(`${JSON.stringify(record)}\n`);
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written);
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

function parseRecord(line: string): LedgerRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<LedgerRecord>;
  if (record.type === 'share') {
    return typeof record.miner === 'string' && typeof record.difficulty === 'number' && typeof record.time === 'number'
      ? (record as ShareRecord)
      : undefined;
  }
  if (record.type === 'block') {
    const ok =
      typeof record.finder === 'string' &&
      typeof record.hash === 'string' &&
      typeof record.reward === 'string' &&
      /^\d+$/.test(record.reward) &&
      typeof record.networkDifficulty === 'number' &&
      Array.isArray(record.split) &&
      record.split.every((p) => typeof p?.miner === 'string' && typeof p.amount === 'string' && /^\d+$/.test(p.amount));
    return ok ? (record as BlockRecord) : undefined;
  }
  return undefined;
}
