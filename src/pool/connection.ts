/**
 * One miner's Stratum v1 connection, seen from the pool, as a state machine without I/O: lines from
 * the miner go in (with the time), lines to send and events come out. The socket edge (server.ts)
 * feeds it TCP or WebSocket lines; tests feed it transcripts. The mirror of sources/stratum/session.ts.
 *
 * Every share is checked in full before it counts: subscribed, worker authorised, job known and
 * current, extranonce2, ntime and nonce well formed, ntime in range, version bits within the mask,
 * a header not credited before on this connection, and its hash under the share target. Rejections
 * carry the usual Stratum codes. A client that floods (in messages or in bytes: blank lines are
 * messages too), talks junk, keeps sending bad shares or falls silent is dropped.
 *
 * A new share difficulty is a `mining.set_difficulty` alone, and it applies at once to the job the
 * miner holds. The protocol says it applies to the work that follows, but sending the same work
 * again under a new job id (the way to make it follow) restarts a miner at nonce 0 on headers it has
 * already hashed. Shares already on their way at the previous difficulty are taken for a short grace,
 * credited at the difficulty they were checked at; duplicates are found by header hash, whatever the
 * job id they come under.
 */
import { bytesToHex, hexToBytes } from '../core/bytes.js';
import { serializeHeader } from '../core/header.js';
import { sha256d } from '../core/sha256.js';
import { difficultyToTarget, hashToBigInt, targetToDifficulty } from '../core/target.js';
import { printable } from '../sources/printable.js';
import { parseMessage, wordToHex, type MessageId } from '../sources/stratum/messages.js';
import { HASHRATE_REPORT_METHOD } from '../sources/stratum/session.js';
import { EXTRANONCE2_BYTES, notifyParams, shareCoinbase, shareMerkleRoot, type PoolJob } from './jobs.js';
import { Vardiff, type VardiffOptions } from './vardiff.js';
import { isWorkerName } from './worker-name.js';

/** Stratum's error codes, as pools since the original one send them. */
export const StratumError = {
  other: 20,
  jobNotFound: 21,
  duplicate: 22,
  lowDifficulty: 23,
  unauthorized: 24,
  notSubscribed: 25,
} as const;

export interface PoolRules {
  /** The version bits miners may roll (BIP 310), at most. */
  versionMask: number;
  vardiff: Omit<VardiffOptions, 'startDifficulty'> & { startDifficulty: number };
  /** Messages a second a connection may send on average, twice as many in a burst; accepted shares do not count. */
  maxMessagesPerSecond: number;
  /** Bytes a second a connection may send on average (every byte: line ends, blanks, framing), twice as many in a burst; accepted shares give theirs back. */
  maxBytesPerSecond: number;
  /** Lines that are not Stratum requests we take, before the connection is dropped. */
  maxJunkLines: number;
  /** Shares rejected one after another (none accepted in between) before the connection is dropped. */
  maxRejectsInARow: number;
  /** A connection must authorise a worker within this time. */
  authorizeWithinMs: number;
  /** Once authorised, a connection that sends no message the pool takes (a share accepted, a request answered) for this long is dropped. */
  silentForMs: number;
}

export const DEFAULT_RULES: PoolRules = {
  versionMask: 0x1fffe000,
  vardiff: { shareSeconds: 5, minDifficulty: 2 ** -16, maxDifficulty: 2 ** 32, startDifficulty: 0.001 },
  maxMessagesPerSecond: 20,
  // A share line is about 150 bytes, a handshake under 1 KiB; a burst holds a line of the longest the pool reads (16 KiB).
  maxBytesPerSecond: 16 * 1024,
  maxJunkLines: 10,
  maxRejectsInARow: 20,
  authorizeWithinMs: 60_000,
  // Vardiff brings a miner down to a share every few seconds; at the lowest share difficulty (2^16 hashes) a
  // miner at 1 kH/s still sends one a minute or so.
  silentForMs: 5 * 60_000,
};

/** What the connection needs from the pool: its jobs, and room for the worker names it is asked to take. */
export interface PoolBook {
  /** The job miners should be on, if there is one yet. */
  current(): PoolJob | undefined;
  /** Shares for this job still count (it is on the current template). */
  isCurrent(job: PoolJob): boolean;
  /** The pool takes this worker name: one it knows, or a new one while it has room (names cost nothing to invent). */
  admitsWorker(worker: string): boolean;
}

export type PoolEvent =
  | { type: 'subscribed'; userAgent: string }
  | { type: 'authorized'; worker: string }
  | {
      type: 'accepted';
      worker: string;
      /** The share difficulty this share was mined at: what it is worth. */
      difficulty: number;
      /** The difficulty its hash would just meet. */
      hashDifficulty: number;
      /** Display order. */
      hash: string;
      /** It meets the block target too: header and coinbase make the block. */
      block?: { job: PoolJob; header: Uint8Array; coinbase: Uint8Array };
    }
  | { type: 'rejected'; worker: string | null; code: number; reason: string }
  | { type: 'difficulty'; difficulty: number }
  /** The hashrate a powlab miner says it hashes at. */
  | { type: 'report'; hashrate: number }
  | { type: 'junk'; why: string }
  /** The connection must be closed; nothing more is read from it. */
  | { type: 'drop'; reason: string };

const HEX_WORD = /^[0-9a-fA-F]{8}$/;
/** Workers one connection may authorise: names cost nothing to invent. */
const MAX_WORKERS_PER_CONNECTION = 16;
/** Jobs a connection can still submit to; older ones are unknown. */
const JOBS_KEPT = 16;
/** Header hashes remembered for the duplicate check, over all of a connection's live jobs; past this, shares are refused until a new job. */
const SHARES_KEPT = 10_000;
/**
 * After a difficulty change, shares meeting only the previous difficulty are still taken this long:
 * a miner's ranges in flight (a quarter of a second each for powlab) and the trip to the pool.
 */
export const DIFFICULTY_GRACE_MS = 3_000;
/** The share difficulty stays at or below the block difficulty over this: a block is that many shares on average. */
export const SHARES_PER_BLOCK_AT_LEAST = 16;

/** The highest share difficulty for a block difficulty: a block must be many shares, or shares say nothing of luck. */
export function shareDifficultyCap(networkDifficulty: number): number {
  return networkDifficulty / SHARES_PER_BLOCK_AT_LEAST;
}

/** The share difficulties a connection starts at and keeps within, for a block difficulty: the cap above wins over the pool's minimum. */
export function shareDifficultyRange(
  vardiff: PoolRules['vardiff'],
  networkDifficulty: number,
): { start: number; min: number; max: number } {
  const max = Math.min(vardiff.maxDifficulty, shareDifficultyCap(networkDifficulty));
  const min = Math.min(vardiff.minDifficulty, max);
  return { start: Math.min(Math.max(vardiff.startDifficulty, min), max), min, max };
}
/** Shares may carry a later time than the job's (a miner rolling ntime), not by more than this. */
const NTIME_AHEAD_SECONDS = 7000;

interface SentJob {
  job: PoolJob;
  /** Header hashes (hex) credited on this job. */
  shares: Set<string>;
}

type Phase = 'new' | 'subscribed' | 'dropped';

export class PoolConnection {
  private phase: Phase = 'new';
  private readonly workers = new Set<string>();
  private versionMask: number | null = null;
  private readonly vardiff: Vardiff;
  private readonly sentJobs = new Map<string, SentJob>();
  private sharesKept = 0;
  /** The share difficulty the miner was last told. */
  private sentDifficulty?: number;
  /** The one before it, taken for shares until `untilMs`. */
  private previous?: { difficulty: number; untilMs: number };
  private tokens: number;
  private lastMessageMs: number;
  private byteTokens: number;
  private lastBytesMs: number;
  /** When the pool last took a message from this miner (at first: when it connected). */
  private lastTakenMs: number;
  private readonly openedMs: number;
  private junkLines = 0;
  private rejectsInARow = 0;

  constructor(
    readonly extranonce1: Uint8Array,
    private readonly rules: PoolRules,
    private readonly jobs: PoolBook,
    private readonly send: (line: string) => void,
    nowMs: number,
  ) {
    this.vardiff = new Vardiff(rules.vardiff, nowMs);
    this.tokens = 2 * rules.maxMessagesPerSecond;
    this.lastMessageMs = nowMs;
    this.byteTokens = 2 * rules.maxBytesPerSecond;
    this.lastBytesMs = nowMs;
    this.lastTakenMs = nowMs;
    this.openedMs = nowMs;
  }

  /** The share difficulty the miner was told (before the first job: the one it will be told). */
  get difficulty(): number {
    return this.sentDifficulty ?? this.vardiff.difficulty;
  }

  get authorizedWorkers(): readonly string[] {
    return [...this.workers];
  }

  private get ready(): boolean {
    return this.phase === 'subscribed' && this.workers.size > 0;
  }

  /** Bytes from the miner, as they arrive and before they are split into lines: every one counts. */
  received(bytes: number, nowMs: number): PoolEvent[] {
    if (this.phase === 'dropped') return [];
    const burst = 2 * this.rules.maxBytesPerSecond;
    this.byteTokens = Math.min(
      burst,
      this.byteTokens + ((nowMs - this.lastBytesMs) / 1000) * this.rules.maxBytesPerSecond,
    );
    this.lastBytesMs = nowMs;
    this.byteTokens -= bytes;
    return this.byteTokens < 0 ? this.drop(`sent more than ${this.rules.maxBytesPerSecond} bytes a second`) : [];
  }

  /** Handle one line from the miner (a blank one too: it is a message, and junk). */
  receive(line: string, nowMs: number): PoolEvent[] {
    const events = this.take(line, nowMs);
    if (!events.some((event) => event.type === 'junk' || event.type === 'rejected' || event.type === 'drop')) {
      this.lastTakenMs = nowMs;
      // A share that passed cost its sender real hashes: its bytes are work, not a flood.
      if (events.some((event) => event.type === 'accepted'))
        this.byteTokens = Math.min(2 * this.rules.maxBytesPerSecond, this.byteTokens + line.length + 1);
    }
    return events;
  }

  private take(line: string, nowMs: number): PoolEvent[] {
    if (this.phase === 'dropped') return [];
    this.tokens = Math.min(
      2 * this.rules.maxMessagesPerSecond,
      this.tokens + ((nowMs - this.lastMessageMs) / 1000) * this.rules.maxMessagesPerSecond,
    );
    this.lastMessageMs = nowMs;
    if (this.tokens < 1) return this.drop(`sent more than ${this.rules.maxMessagesPerSecond} messages a second`);
    this.tokens--;
    if (line.trim() === '') return this.junk('a blank line');
    const message = parseMessage(line);
    if (!message) return this.junk('a line that is not JSON-RPC');
    // We send no requests, so no answer from the miner is awaited.
    if (message.kind === 'response') return this.junk('an answer to no request');
    const { id, method, params } = message;
    switch (method) {
      case 'mining.configure':
        return this.onConfigure(id, params);
      case 'mining.subscribe':
        return this.onSubscribe(id, params, nowMs);
      case 'mining.authorize':
        return this.onAuthorize(id, params, nowMs);
      case 'mining.suggest_difficulty':
        return this.onSuggestDifficulty(id, params, nowMs);
      case 'mining.submit':
        return this.onSubmit(id, params, nowMs);
      case HASHRATE_REPORT_METHOD:
        return this.onReport(params);
      default:
        this.error(id, StratumError.other, 'unknown method');
        // The name goes into a drop reason, and so onto the operator's terminal.
        return this.junk(`unknown method ${JSON.stringify(printable(method.slice(0, 40)))}`);
    }
  }

  /** A new job from the pool: to every ready miner, at its current difficulty. */
  notify(job: PoolJob, nowMs: number): PoolEvent[] {
    return this.ready ? this.sendJob(job, job.cleanJobs, nowMs) : [];
  }

  /** Now and then: vardiff for miners too slow to send shares, and the authorisation deadline. */
  tick(nowMs: number): PoolEvent[] {
    if (this.phase === 'dropped') return [];
    if (this.workers.size === 0 && nowMs - this.openedMs > this.rules.authorizeWithinMs) {
      return this.drop(`authorised no worker in ${this.rules.authorizeWithinMs / 1000} s`);
    }
    if (this.workers.size > 0 && nowMs - this.lastTakenMs > this.rules.silentForMs)
      return this.drop(`sent nothing the pool takes in ${this.rules.silentForMs / 1000} s`);
    if (!this.ready) return [];
    const changed = this.vardiff.tick(nowMs);
    return changed === undefined ? [] : this.updateDifficulty(nowMs);
  }

  private onConfigure(id: MessageId, params: unknown[]): PoolEvent[] {
    const [extensions, options] = params;
    if (!Array.isArray(extensions) || extensions.length > 16) {
      this.error(id, StratumError.other, 'mining.configure takes a list of extensions');
      return this.junk('a malformed mining.configure');
    }
    const result: Record<string, unknown> = {};
    for (const extension of extensions) {
      if (typeof extension !== 'string') continue;
      if (extension === 'version-rolling') {
        const asked = isRecord(options) ? options['version-rolling.mask'] : undefined;
        const mask =
          typeof asked === 'string' && HEX_WORD.test(asked) ? parseInt(asked, 16) >>> 0 : this.rules.versionMask;
        this.versionMask = (mask & this.rules.versionMask) >>> 0;
        result['version-rolling'] = this.versionMask !== 0;
        result['version-rolling.mask'] = wordToHex(this.versionMask);
      } else if (extension.length <= 40) {
        result[extension] = false;
      }
    }
    this.reply(id, result);
    return [];
  }

  private onSubscribe(id: MessageId, params: unknown[], nowMs: number): PoolEvent[] {
    if (this.phase === 'subscribed') {
      this.error(id, StratumError.other, 'already subscribed');
      return this.junk('a second mining.subscribe');
    }
    this.phase = 'subscribed';
    const subscription = bytesToHex(this.extranonce1);
    const notices = [
      ['mining.set_difficulty', subscription],
      ['mining.notify', subscription],
      [HASHRATE_REPORT_METHOD, subscription],
    ];
    this.reply(id, [notices, bytesToHex(this.extranonce1), EXTRANONCE2_BYTES]);
    const agent = typeof params[0] === 'string' ? params[0].slice(0, 80) : '';
    // Some miners authorise first: their work goes out now.
    const current = this.jobs.current();
    const events: PoolEvent[] = [{ type: 'subscribed', userAgent: agent }];
    if (this.workers.size > 0 && current) events.push(...this.sendJob(current, true, nowMs));
    return events;
  }

  private onAuthorize(id: MessageId, params: unknown[], nowMs: number): PoolEvent[] {
    const [worker] = params;
    if (!isWorkerName(worker)) {
      this.error(id, StratumError.other, 'a worker name is 1 to 64 printable characters without spaces');
      return this.junk('a worker name that is not 1 to 64 printable characters');
    }
    if (!this.workers.has(worker) && this.workers.size >= MAX_WORKERS_PER_CONNECTION) {
      this.error(id, StratumError.other, `at most ${MAX_WORKERS_PER_CONNECTION} workers on one connection`);
      return this.junk('one worker too many');
    }
    if (!this.workers.has(worker) && !this.jobs.admitsWorker(worker)) {
      this.error(id, StratumError.unauthorized, 'the pool takes no new worker names now: it has as many as it keeps');
      return this.junk('a new worker name past the pool’s cap');
    }
    const first = this.workers.size === 0;
    this.workers.add(worker);
    // The window vardiff measures starts with the first job, not with the connection.
    if (first) this.vardiff.restart(nowMs);
    const current = this.jobs.current();
    const sendWork = first && this.phase === 'subscribed' && current !== undefined;
    const events: PoolEvent[] = [{ type: 'authorized', worker }];
    // The difficulty goes before the answer, so a miner that hears it is in also knows what it mines at.
    if (sendWork) events.push(...this.updateDifficulty(nowMs));
    this.reply(id, true);
    if (sendWork) events.push(...this.sendJob(current, true, nowMs));
    return events;
  }

  private onSuggestDifficulty(id: MessageId, params: unknown[], nowMs: number): PoolEvent[] {
    const [difficulty] = params;
    if (typeof difficulty !== 'number' || !(difficulty > 0) || !Number.isFinite(difficulty)) {
      this.error(id, StratumError.other, 'the difficulty must be a positive number');
      return this.junk('a malformed mining.suggest_difficulty');
    }
    this.vardiff.suggest(difficulty, nowMs);
    this.reply(id, true);
    return this.ready ? this.updateDifficulty(nowMs) : [];
  }

  private onReport(params: unknown[]): PoolEvent[] {
    const [hashrate] = params;
    if (typeof hashrate !== 'number' || !(hashrate >= 0) || hashrate > 1e21)
      return this.junk('a malformed powlab.report');
    return [{ type: 'report', hashrate }];
  }

  private onSubmit(id: MessageId, params: unknown[], nowMs: number): PoolEvent[] {
    const worker = isWorkerName(params[0]) ? params[0] : null;
    const reject = (code: number, reason: string): PoolEvent[] => {
      this.error(id, code, reason);
      const events: PoolEvent[] = [{ type: 'rejected', worker, code, reason }];
      if (++this.rejectsInARow >= this.rules.maxRejectsInARow)
        events.push(...this.drop(`${this.rejectsInARow} shares rejected in a row (last: ${reason})`));
      return events;
    };
    if (this.phase !== 'subscribed') return reject(StratumError.notSubscribed, 'not subscribed');
    if (worker === null || !this.workers.has(worker)) return reject(StratumError.unauthorized, 'unauthorized worker');
    const [, jobId, extranonce2Hex, ntimeHex, nonceHex, versionBitsHex] = params;
    const sent = typeof jobId === 'string' ? this.sentJobs.get(jobId) : undefined;
    if (!sent) return reject(StratumError.jobNotFound, 'job not found');
    if (!this.jobs.isCurrent(sent.job)) return reject(StratumError.jobNotFound, 'stale share (the chain moved on)');
    if (
      typeof extranonce2Hex !== 'string' ||
      !new RegExp(`^[0-9a-fA-F]{${2 * EXTRANONCE2_BYTES}}$`).test(extranonce2Hex)
    ) {
      return reject(StratumError.other, `extranonce2 must be ${EXTRANONCE2_BYTES} bytes of hex`);
    }
    if (typeof ntimeHex !== 'string' || !HEX_WORD.test(ntimeHex))
      return reject(StratumError.other, 'ntime must be 8 hex digits');
    if (typeof nonceHex !== 'string' || !HEX_WORD.test(nonceHex))
      return reject(StratumError.other, 'nonce must be 8 hex digits');
    const ntime = parseInt(ntimeHex, 16);
    const jobTime = sent.job.template.time;
    if (ntime < jobTime || ntime > jobTime + NTIME_AHEAD_SECONDS)
      return reject(StratumError.other, 'ntime out of range');
    let versionBits = 0;
    if (versionBitsHex !== undefined) {
      if (typeof versionBitsHex !== 'string' || !HEX_WORD.test(versionBitsHex))
        return reject(StratumError.other, 'version bits must be 8 hex digits');
      versionBits = parseInt(versionBitsHex, 16) >>> 0;
      if (this.versionMask === null && versionBits !== 0)
        return reject(StratumError.other, 'version rolling was not negotiated');
      if ((versionBits & ~(this.versionMask ?? 0)) !== 0)
        return reject(StratumError.other, 'version bits outside the mask');
    }
    if (this.sharesKept >= SHARES_KEPT) return reject(StratumError.other, 'too many shares for these jobs');

    const template = sent.job.template;
    const mask = this.versionMask ?? 0;
    const coinbase = shareCoinbase(sent.job, this.extranonce1, hexToBytes(extranonce2Hex));
    const header = serializeHeader({
      version: ((template.version & ~mask) | (versionBits & mask)) >>> 0,
      prevHash: template.prevHash,
      merkleRoot: shareMerkleRoot(sent.job, coinbase),
      time: ntime,
      bits: template.bits,
      nonce: parseInt(nonceHex, 16) >>> 0,
    });
    const hash = sha256d(header);
    const key = bytesToHex(hash);
    // The same header under another job id (the same work sent twice) is the same work: credited once.
    for (const other of this.sentJobs.values())
      if (other.shares.has(key)) return reject(StratumError.duplicate, 'duplicate share');
    const value = hashToBigInt(hash);
    const hashDifficulty = value === 0n ? Infinity : targetToDifficulty(value);
    const difficulty = this.difficultyMetBy(value, nowMs);
    if (difficulty === undefined) {
      return reject(
        StratumError.lowDifficulty,
        `low difficulty share (${hashDifficulty.toPrecision(3)} < ${this.difficulty.toPrecision(3)})`,
      );
    }
    sent.shares.add(key);
    this.sharesKept++;
    this.rejectsInARow = 0;
    // A share that passed cost its sender real hashes: it is work, not a flood, and takes nothing from the rate.
    this.tokens = Math.min(2 * this.rules.maxMessagesPerSecond, this.tokens + 1);
    this.reply(id, true);
    const accepted: PoolEvent = {
      type: 'accepted',
      worker,
      difficulty,
      hashDifficulty,
      hash: bytesToHex(hash.slice().reverse()),
      ...(value <= template.target ? { block: { job: sent.job, header, coinbase } } : {}),
    };
    const changed = this.vardiff.share(difficulty, nowMs);
    return changed === undefined ? [accepted] : [accepted, ...this.updateDifficulty(nowMs)];
  }

  /**
   * The share difficulty a hash is credited at: the current one, or within the grace after a change
   * the previous one (a share mined before the miner heard of the change); undefined when it meets neither.
   */
  private difficultyMetBy(value: bigint, nowMs: number): number | undefined {
    const current = this.sentDifficulty;
    if (current !== undefined && value <= difficultyToTarget(current)) return current;
    const previous = this.previous;
    if (previous && nowMs <= previous.untilMs && value <= difficultyToTarget(previous.difficulty))
      return previous.difficulty;
    return undefined;
  }

  /** Tell the miner its share difficulty when it changed (vardiff, a suggestion, a new block difficulty). */
  private updateDifficulty(nowMs: number): PoolEvent[] {
    const job = this.jobs.current();
    if (!job) return [];
    const difficulty = this.vardiff.limit(shareDifficultyCap(job.networkDifficulty));
    if (difficulty === this.sentDifficulty) return [];
    if (this.sentDifficulty !== undefined)
      this.previous = { difficulty: this.sentDifficulty, untilMs: nowMs + DIFFICULTY_GRACE_MS };
    this.sentDifficulty = difficulty;
    this.send(JSON.stringify({ id: null, method: 'mining.set_difficulty', params: [difficulty] }));
    return [{ type: 'difficulty', difficulty }];
  }

  private sendJob(job: PoolJob, cleanJobs: boolean, nowMs: number): PoolEvent[] {
    const events = this.updateDifficulty(nowMs);
    if (cleanJobs) {
      this.sentJobs.clear();
      this.sharesKept = 0;
    }
    if (!this.sentJobs.has(job.id)) this.sentJobs.set(job.id, { job, shares: new Set() });
    if (this.sentJobs.size > JOBS_KEPT) {
      const oldest = this.sentJobs.keys().next().value!;
      this.sharesKept -= this.sentJobs.get(oldest)!.shares.size;
      this.sentJobs.delete(oldest);
    }
    this.send(JSON.stringify({ id: null, method: 'mining.notify', params: notifyParams(job, cleanJobs) }));
    return events;
  }

  private junk(why: string): PoolEvent[] {
    const events: PoolEvent[] = [{ type: 'junk', why }];
    if (++this.junkLines > this.rules.maxJunkLines)
      events.push(...this.drop(`sent ${this.junkLines} lines that are not Stratum requests (last: ${why})`));
    return events;
  }

  private drop(reason: string): PoolEvent[] {
    this.phase = 'dropped';
    return [{ type: 'drop', reason }];
  }

  private reply(id: MessageId, result: unknown): void {
    if (id !== null) this.send(JSON.stringify({ id, result, error: null }));
  }

  private error(id: MessageId, code: number, message: string): void {
    if (id !== null) this.send(JSON.stringify({ id, result: null, error: [code, message, null] }));
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
