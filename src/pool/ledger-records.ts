/**
 * The pool ledger's records as they are written, one per line, and as they are read back: every
 * field present, of its type, within its range, or the line is refused with why.
 */
import { isWorkerName } from './worker-name.js';
import type { Payout, WindowShare } from './pplns.js';

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

/**
 * What a compacted ledger starts with, in this order, in place of the history: the pool's counters,
 * each miner's totals, the shares in the window, the last blocks, and blocks still unsettled (as
 * their found records). They set what the history had added up to.
 */
interface CountersRecord {
  type: 'counters';
  totalDifficulty: number;
  roundDifficulty: number;
  blockDifficulty: number;
  blocks: number;
  /** The file the history before this line moved to. */
  archive: string;
}
interface TotalsRecord extends Omit<MinerTotals, 'earned'> {
  type: 'totals';
  miner: string;
  earned: string;
}
interface WindowRecord extends WindowShare {
  type: 'window';
}
interface RecentBlockRecord extends Omit<BlockRecord, 'type'> {
  type: 'recent';
}
export type StateRecord = CountersRecord | TotalsRecord | WindowRecord | RecentBlockRecord;

export type LedgerRecord = ShareRecord | FoundRecord | BlockRecord | StateRecord;

export interface MinerTotals {
  shares: number;
  difficulty: number;
  blocks: number;
  /** Satoshis from every block's split. */
  earned: bigint;
}

type Fields = Record<string, unknown>;

const isDifficulty = (value: unknown): value is number =>
  typeof value === 'number' && value > 0 && value <= MAX_DIFFICULTY;
const isTime = (value: unknown): value is number =>
  Number.isSafeInteger(value) && (value as number) >= 0 && (value as number) <= MAX_TIME;
const isSatoshis = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{1,16}$/.test(value) && BigInt(value) <= MAX_MONEY;

/** The record in `value`, or why it is not one: every field present, of its type, within its range. */
export function parseRecord(value: unknown): LedgerRecord | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a record';
  const record = value as Fields;
  if (record.type === 'share') {
    if (!isWorkerName(record.miner)) return 'a share whose miner is not a worker name';
    if (!isDifficulty(record.difficulty)) return `a share difficulty out of range (${String(record.difficulty)})`;
    if (!isTime(record.time)) return `a share time out of range (${String(record.time)})`;
    return record as unknown as ShareRecord;
  }
  if (record.type === 'counters' || record.type === 'totals' || record.type === 'window') return stateRecord(record);
  if (record.type !== 'found' && record.type !== 'block' && record.type !== 'recent')
    return 'not a record the ledger keeps (share, found, block, counters, totals, window, recent)';
  const why = foundProblem(record);
  if (why) return why;
  if (record.type === 'found') return record as unknown as FoundRecord;
  if (typeof record.accepted !== 'boolean') return 'a block whose verdict (accepted) is not true or false';
  if (record.reason !== undefined && typeof record.reason !== 'string') return "a block's reason that is not text";
  return record as unknown as BlockRecord | RecentBlockRecord;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isSum = (value: unknown): value is number => typeof value === 'number' && value >= 0 && value <= Number.MAX_VALUE;

function stateRecord(record: Fields): StateRecord | string {
  if (record.type === 'counters') {
    const ok =
      isSum(record.totalDifficulty) &&
      isSum(record.roundDifficulty) &&
      isSum(record.blockDifficulty) &&
      isCount(record.blocks) &&
      typeof record.archive === 'string';
    return ok ? (record as unknown as CountersRecord) : "the pool's counters out of range";
  }
  if (!isWorkerName(record.miner)) return `${String(record.type)} of something that is not a worker name`;
  if (record.type === 'window')
    return isDifficulty(record.difficulty)
      ? (record as unknown as WindowRecord)
      : `a window share difficulty out of range (${String(record.difficulty)})`;
  const ok =
    isCount(record.shares) &&
    isSum(record.difficulty) &&
    isCount(record.blocks) &&
    typeof record.earned === 'string' &&
    /^\d{1,30}$/.test(record.earned);
  return ok ? (record as unknown as TotalsRecord) : `a miner's totals out of range`;
}

function foundProblem(record: Fields): string | undefined {
  if (!Number.isSafeInteger(record.height) || (record.height as number) < 0) return 'a block height out of range';
  if (typeof record.hash !== 'string' || !/^[0-9a-f]{64}$/.test(record.hash))
    return 'a block hash that is not 64 hex digits';
  if (!isWorkerName(record.finder)) return "a block's finder that is not a worker name";
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
    if (!isWorkerName(payout.miner)) return "a block's split paying something that is not a worker name";
    if (!isDifficulty(payout.difficulty)) return `a payout difficulty out of range (${String(payout.difficulty)})`;
    if (!isSatoshis(payout.amount)) return `a payout amount out of range (${String(payout.amount)})`;
    paid += BigInt(payout.amount);
  }
  if (record.split.length > 0 && paid !== BigInt(record.reward))
    return `a block's split paying ${paid} satoshis of a ${record.reward} reward`;
  return undefined;
}
