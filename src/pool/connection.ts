/**
 * One miner's Stratum v1 connection, seen from the pool, as a state machine without I/O: lines from
 * the miner go in (with the time), lines to send and events come out. The socket edge (server.ts)
 * feeds it TCP or WebSocket lines; tests feed it transcripts. The mirror of stratum/session.ts.
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
import { bytesToHex } from '../core/bytes.js';
import { sha256d } from '../core/sha256.js';
import { difficultyToTarget, hashToBigInt, targetToDifficulty } from '../core/target.js';
import { printable } from '../sources/printable.js';
import {
  callLine,
  errorLine,
  parseMessage,
  readConfigureRequest,
  readSubmission,
  resultLine,
  StratumError,
  wordToHex,
  type MessageId,
} from '../stratum/messages.js';
import { HASHRATE_REPORT_METHOD } from '../stratum/session.js';
import { EXTRANONCE2_BYTES, notifyParams, shareCoinbase, shareHeader, type PoolJob } from './jobs.js';
import { RateBudget, shareDifficultyCap, type PoolRules } from './rules.js';
import { SentJobs } from './sent-jobs.js';
import { Vardiff } from './vardiff.js';
import { isWorkerName } from './worker-name.js';

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

/** Workers one connection may authorise: names cost nothing to invent. */
const MAX_WORKERS_PER_CONNECTION = 16;
/**
 * After a difficulty change, shares meeting only the previous difficulty are still taken this long:
 * a miner's ranges in flight (a quarter of a second each for powlab) and the trip to the pool.
 */
export const DIFFICULTY_GRACE_MS = 3_000;
/** Shares may carry a later time than the job's (a miner rolling ntime), not by more than this. */
const NTIME_AHEAD_SECONDS = 7000;

type Phase = 'new' | 'subscribed' | 'dropped';

export class PoolConnection {
  private phase: Phase = 'new';
  private readonly workers = new Set<string>();
  private versionMask: number | null = null;
  private readonly vardiff: Vardiff;
  private readonly sentJobs = new SentJobs();
  /** The share difficulty the miner was last told. */
  private sentDifficulty?: number;
  /** The one before it, taken for shares until `untilMs`. */
  private previous?: { difficulty: number; untilMs: number };
  private readonly messages: RateBudget;
  private readonly bytes: RateBudget;
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
    this.messages = new RateBudget(rules.maxMessagesPerSecond, nowMs);
    this.bytes = new RateBudget(rules.maxBytesPerSecond, nowMs);
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
    return this.bytes.spend(bytes, nowMs)
      ? []
      : this.drop(`sent more than ${this.rules.maxBytesPerSecond} bytes a second`);
  }

  /** Handle one line from the miner (a blank one too: it is a message, and junk). */
  receive(line: string, nowMs: number): PoolEvent[] {
    const events = this.take(line, nowMs);
    if (!events.some((event) => event.type === 'junk' || event.type === 'rejected' || event.type === 'drop')) {
      this.lastTakenMs = nowMs;
      // A share that passed cost its sender real hashes: its bytes are work, not a flood.
      if (events.some((event) => event.type === 'accepted')) this.bytes.refund(line.length + 1);
    }
    return events;
  }

  private take(line: string, nowMs: number): PoolEvent[] {
    if (this.phase === 'dropped') return [];
    if (!this.messages.spend(1, nowMs))
      return this.drop(`sent more than ${this.rules.maxMessagesPerSecond} messages a second`);
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
    const request = readConfigureRequest(params);
    if (!request) {
      this.error(id, StratumError.other, 'mining.configure takes a list of extensions');
      return this.junk('a malformed mining.configure');
    }
    const result: Record<string, unknown> = {};
    for (const extension of request.extensions) {
      if (extension === 'version-rolling') {
        this.versionMask = ((request.versionMask ?? this.rules.versionMask) & this.rules.versionMask) >>> 0;
        result['version-rolling'] = this.versionMask !== 0;
        result['version-rolling.mask'] = wordToHex(this.versionMask);
      } else {
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
    const job = this.sentJobs.get(params[1]);
    if (!job) return reject(StratumError.jobNotFound, 'job not found');
    if (!this.jobs.isCurrent(job)) return reject(StratumError.jobNotFound, 'stale share (the chain moved on)');
    const submission = readSubmission(params, EXTRANONCE2_BYTES);
    if ('wrong' in submission) return reject(StratumError.other, submission.wrong);
    const { ntime, versionBits } = submission;
    const jobTime = job.template.time;
    if (ntime < jobTime || ntime > jobTime + NTIME_AHEAD_SECONDS)
      return reject(StratumError.other, 'ntime out of range');
    if (this.versionMask === null && versionBits !== 0)
      return reject(StratumError.other, 'version rolling was not negotiated');
    if ((versionBits & ~(this.versionMask ?? 0)) !== 0)
      return reject(StratumError.other, 'version bits outside the mask');
    if (this.sentJobs.full) return reject(StratumError.other, 'too many shares for these jobs');

    const coinbase = shareCoinbase(job, this.extranonce1, submission.extranonce2);
    const header = shareHeader(job, coinbase, submission, this.versionMask ?? 0);
    const hash = sha256d(header);
    const key = bytesToHex(hash);
    if (this.sentJobs.isDuplicate(key)) return reject(StratumError.duplicate, 'duplicate share');
    const value = hashToBigInt(hash);
    const hashDifficulty = value === 0n ? Infinity : targetToDifficulty(value);
    const difficulty = this.difficultyMetBy(value, nowMs);
    if (difficulty === undefined) {
      return reject(
        StratumError.lowDifficulty,
        `low difficulty share (${hashDifficulty.toPrecision(3)} < ${this.difficulty.toPrecision(3)})`,
      );
    }
    this.sentJobs.credit(job, key);
    this.rejectsInARow = 0;
    // A share that passed cost its sender real hashes: it is work, not a flood, and takes nothing from the rate.
    this.messages.refund(1);
    this.reply(id, true);
    const accepted: PoolEvent = {
      type: 'accepted',
      worker,
      difficulty,
      hashDifficulty,
      hash: bytesToHex(hash.slice().reverse()),
      ...(value <= job.template.target ? { block: { job, header, coinbase } } : {}),
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
    this.send(callLine(null, 'mining.set_difficulty', [difficulty]));
    return [{ type: 'difficulty', difficulty }];
  }

  private sendJob(job: PoolJob, cleanJobs: boolean, nowMs: number): PoolEvent[] {
    const events = this.updateDifficulty(nowMs);
    this.sentJobs.add(job, cleanJobs);
    this.send(callLine(null, 'mining.notify', notifyParams(job, cleanJobs)));
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
    if (id !== null) this.send(resultLine(id, result));
  }

  private error(id: MessageId, code: number, message: string): void {
    if (id !== null) this.send(errorLine(id, code, message));
  }
}
