/**
 * One Stratum v1 session as a state machine without I/O: lines from the pool go in, lines to send
 * and events come out. The connection (client.ts) feeds it a socket; tests feed it transcripts.
 *
 * The handshake: mining.configure (BIP 310 version rolling, only when asked), mining.subscribe,
 * mining.authorize, then mining.suggest_difficulty when asked. Jobs become Work once authorised.
 *
 * A new share difficulty applies at once to the job being mined, as powlab's pool (and many others)
 * apply it, rather than from the next job, as the protocol's text has it: the job comes back as the
 * same headers at a new share target, so the miner carries on from the nonces it has reached.
 */
import { readUint32LE } from '../core/bytes.js';
import type { Solution } from '../miner/work.js';
import {
  callLine,
  errorLine,
  parseMessage,
  poolErrorText,
  readConfigureResult,
  readDifficulty,
  readNotify,
  readReconnect,
  readSetExtranonce,
  readSetVersionMask,
  readShowMessage,
  readSubscribeResult,
  resultLine,
  StratumError,
  wordToHex,
  type Extranonce,
  type MessageId,
  type Reconnect,
  type StratumJob,
} from './messages.js';
import { ShareWork, type Share } from './work.js';
import { errorMessage } from '../errors.js';

/** The version bits BIP 320 sets aside for miners: what powlab offers to roll. */
const VERSION_ROLLING_MASK = 0x1fffe000;
/** The difficulty a session starts at until the pool sets one (the original protocol's default). */
const INITIAL_DIFFICULTY = 1;
/**
 * Requests awaiting the pool's answer, at most: a pool that never answers submits must not grow the
 * list for ever. The oldest is forgotten: a late answer to it is ignored, and the client counts that
 * share as lost when its wait runs out.
 */
const MAX_PENDING_REQUESTS = 1000;
/** Jobs kept as live for shares; older ones are stale even without clean_jobs. */
const LIVE_JOBS_KEPT = 16;
/**
 * powlab's pool lists this among its subscriptions; to such a pool (and to no other) a powlab miner
 * reports the hashrate it measures, so the pool can show it beside the one it infers from shares.
 */
export const HASHRATE_REPORT_METHOD = 'powlab.report';

export interface SessionOptions {
  user: string;
  password: string;
  userAgent: string;
  versionRolling: boolean;
  suggestDifficulty?: number;
  /** Names this connection in Work ids, so ids stay unique across reconnects. */
  connection: number;
}

export type SessionPhase = 'configuring' | 'subscribing' | 'authorizing' | 'ready' | 'refused';

export type ShareVerdict = { status: 'accepted' } | { status: 'rejected'; reason: string };

export type SessionEvent =
  | { type: 'configured'; versionMask: number | null; note?: string }
  | { type: 'authorized' }
  /** The pool refused the user: mining cannot go on with these credentials. */
  | { type: 'unauthorized'; reason: string }
  /** The pool refused the subscription or sent one we cannot use: the connection is useless. */
  | { type: 'failed'; reason: string }
  | { type: 'work'; work: ShareWork }
  /** The job being mined, at a new share difficulty: the same headers, so the nonces already hashed stay hashed. */
  | { type: 'retarget'; work: ShareWork }
  | { type: 'difficulty'; difficulty: number }
  | { type: 'versionMask'; mask: number }
  | { type: 'shareResult'; requestId: number; verdict: ShareVerdict }
  | { type: 'reconnect'; reconnect: Reconnect }
  | { type: 'message'; text: string }
  /** A line or method we do not use: skipped, as the protocol expects of a client. */
  | { type: 'ignored'; why: string }
  /** A known method with content that failed validation: skipped, with a reason to show. */
  | { type: 'invalid'; why: string };

type PendingMethod =
  'mining.configure' | 'mining.subscribe' | 'mining.authorize' | 'mining.suggest_difficulty' | 'mining.submit';

export class StratumSession {
  phase: SessionPhase;
  difficulty = INITIAL_DIFFICULTY;
  versionMask: number | null = null;
  private extranonce?: Extranonce;
  private nextId = 1;
  private readonly pending = new Map<number, PendingMethod>();
  private readonly liveJobs: string[] = [];
  private latestJob?: { job: StratumJob; difficulty: number; extranonce: Extranonce };
  private workCount = 0;
  private readonly issued = new WeakSet<ShareWork>();
  private poolTakesReports = false;

  constructor(
    private readonly options: SessionOptions,
    private readonly send: (line: string) => void,
  ) {
    this.phase = options.versionRolling ? 'configuring' : 'subscribing';
  }

  /** Open the handshake: the first request this session sends. */
  start(): void {
    if (this.phase === 'configuring') {
      this.request('mining.configure', [
        ['version-rolling'],
        { 'version-rolling.mask': wordToHex(VERSION_ROLLING_MASK), 'version-rolling.min-bit-count': 2 },
      ]);
    } else {
      this.subscribe();
    }
  }

  get authorized(): boolean {
    return this.phase === 'ready';
  }

  /** Is this job still one the pool takes shares for? */
  private isLive(jobId: string): boolean {
    return this.liveJobs.includes(jobId);
  }

  /**
   * Why this solution should not be submitted now, if it should not: its job is gone, or it rolled
   * version bits the pool no longer allows.
   */
  staleReason(work: ShareWork, solution: Solution): string | undefined {
    if (!this.issued.has(work)) return `job ${work.job.jobId} came on an earlier connection`;
    if (!this.isLive(work.job.jobId)) return `job ${work.job.jobId} was replaced`;
    if (work.terms.versionMask !== null) {
      const rolled = (readUint32LE(solution.header, 0) ^ work.job.version) >>> 0;
      if ((rolled & ~(this.versionMask ?? 0)) !== 0) return 'the pool changed the version mask';
    }
    return undefined;
  }

  /** Send a share; its verdict comes back as a shareResult event with this request id. */
  submit(share: Share): number {
    const params: string[] = [this.options.user, share.jobId, share.extranonce2, share.ntime, share.nonce];
    if (this.versionMask !== null) params.push(share.versionBits ?? wordToHex(0));
    return this.request('mining.submit', params);
  }

  /** Tell the pool the hashrate measured, if it asked for reports in its subscription. */
  reportHashrate(hashesPerSecond: number): void {
    if (this.poolTakesReports && this.authorized && Number.isFinite(hashesPerSecond) && hashesPerSecond >= 0) {
      this.send(callLine(null, HASHRATE_REPORT_METHOD, [Math.round(hashesPerSecond)]));
    }
  }

  /** Handle one line from the pool. */
  receive(line: string): SessionEvent[] {
    const message = parseMessage(line);
    if (!message) return [{ type: 'ignored', why: 'not a JSON-RPC message' }];
    try {
      if (message.kind === 'response') return this.onResponse(message.id, message.result, message.error);
      return this.onCall(message.id, message.method, message.params);
    } catch (error) {
      return [{ type: 'invalid', why: errorMessage(error) }];
    }
  }

  private onResponse(id: number | string, result: unknown, error: unknown): SessionEvent[] {
    // Some pools echo a numeric id back as a string.
    const requestId = typeof id === 'string' && /^\d{1,15}$/.test(id) ? Number(id) : id;
    const method = typeof requestId === 'number' ? this.pending.get(requestId) : undefined;
    if (method === undefined || typeof requestId !== 'number')
      return [{ type: 'ignored', why: `an answer to no request of ours (id ${JSON.stringify(id)})` }];
    this.pending.delete(requestId);
    const refused = error !== null && error !== false ? poolErrorText(error) : undefined;
    switch (method) {
      case 'mining.configure':
        return this.onConfigured(refused, result);
      case 'mining.subscribe':
        return this.onSubscribed(refused, result);
      case 'mining.authorize':
        return this.onAuthorized(refused, result);
      case 'mining.suggest_difficulty':
        return refused ? [{ type: 'invalid', why: `the pool refused the suggested difficulty: ${refused}` }] : [];
      case 'mining.submit':
        return [
          {
            type: 'shareResult',
            requestId,
            verdict:
              result === true && !refused
                ? { status: 'accepted' }
                : { status: 'rejected', reason: refused ?? 'the pool said no' },
          },
        ];
    }
  }

  private onConfigured(refused: string | undefined, result: unknown): SessionEvent[] {
    let answer: { mask: number } | { refused: string };
    try {
      answer = refused
        ? { refused: `the pool refused mining.configure: ${refused}` }
        : readConfigureResult(result, VERSION_ROLLING_MASK);
    } catch (error) {
      answer = { refused: errorMessage(error) };
    }
    this.versionMask = 'mask' in answer ? answer.mask : null;
    this.subscribe();
    return [
      { type: 'configured', versionMask: this.versionMask, ...('refused' in answer ? { note: answer.refused } : {}) },
    ];
  }

  private onSubscribed(refused: string | undefined, result: unknown): SessionEvent[] {
    if (refused) return this.fail(`the pool refused mining.subscribe: ${refused}`);
    try {
      this.extranonce = readSubscribeResult(result);
      const subscriptions = (result as unknown[])[0];
      this.poolTakesReports =
        Array.isArray(subscriptions) &&
        subscriptions.some((entry) => Array.isArray(entry) && entry[0] === HASHRATE_REPORT_METHOD);
    } catch (error) {
      return this.fail(errorMessage(error));
    }
    this.phase = 'authorizing';
    this.request('mining.authorize', [this.options.user, this.options.password]);
    return [];
  }

  private onAuthorized(refused: string | undefined, result: unknown): SessionEvent[] {
    if (refused || result !== true) {
      this.phase = 'refused';
      return [{ type: 'unauthorized', reason: refused ?? 'the pool said no' }];
    }
    this.phase = 'ready';
    if (this.options.suggestDifficulty !== undefined)
      this.request('mining.suggest_difficulty', [this.options.suggestDifficulty]);
    const events: SessionEvent[] = [{ type: 'authorized' }];
    if (this.latestJob)
      events.push(...this.workFor(this.latestJob.job, this.latestJob.difficulty, this.latestJob.extranonce));
    return events;
  }

  private onCall(id: MessageId, method: string, params: unknown[]): SessionEvent[] {
    switch (method) {
      case 'mining.notify':
        return this.onNotify(readNotify(params));
      case 'mining.set_difficulty': {
        const difficulty = readDifficulty(params);
        const events: SessionEvent[] = [{ type: 'difficulty', difficulty }];
        const latest = this.latestJob;
        if (difficulty === this.difficulty || !latest) {
          this.difficulty = difficulty;
          return events;
        }
        this.difficulty = difficulty;
        this.latestJob = { ...latest, difficulty };
        if (this.authorized && this.isLive(latest.job.jobId))
          events.push(...this.workFor(latest.job, difficulty, latest.extranonce, 'retarget'));
        return events;
      }
      case 'mining.set_extranonce':
        // A new extranonce, unlike a difficulty, takes effect with the next job: it changes the headers.
        this.extranonce = readSetExtranonce(params);
        return [];
      case 'mining.set_version_mask': {
        const mask = readSetVersionMask(params, VERSION_ROLLING_MASK);
        if (this.versionMask === null)
          return [{ type: 'ignored', why: 'mining.set_version_mask without version rolling negotiated' }];
        const events: SessionEvent[] = [{ type: 'versionMask', mask }];
        if (mask === this.versionMask) return events;
        this.versionMask = mask;
        // Work already handed out may roll bits the pool no longer takes: the latest job again, under the new mask.
        if (this.authorized && this.latestJob)
          events.push(...this.workFor(this.latestJob.job, this.latestJob.difficulty, this.latestJob.extranonce));
        return events;
      }
      case 'mining.ping':
        this.reply(id, 'pong');
        return [];
      case 'client.get_version':
        this.reply(id, this.options.userAgent);
        return [];
      case 'client.reconnect':
        return [{ type: 'reconnect', reconnect: readReconnect(params) }];
      case 'client.show_message':
        return [{ type: 'message', text: readShowMessage(params) }];
      default:
        if (id !== null) this.send(errorLine(id, StratumError.other, `unknown method ${method}`));
        return [{ type: 'ignored', why: `unknown method ${JSON.stringify(method.slice(0, 60))}` }];
    }
  }

  private onNotify(job: StratumJob): SessionEvent[] {
    if (!this.extranonce) return [{ type: 'ignored', why: `job ${job.jobId} before the subscription was answered` }];
    if (job.cleanJobs) this.liveJobs.length = 0;
    this.liveJobs.push(job.jobId);
    if (this.liveJobs.length > LIVE_JOBS_KEPT) this.liveJobs.shift();
    this.latestJob = { job, difficulty: this.difficulty, extranonce: this.extranonce };
    if (!this.authorized) return [];
    return this.workFor(job, this.difficulty, this.extranonce);
  }

  private workFor(
    job: StratumJob,
    difficulty: number,
    extranonce: Extranonce,
    type: 'work' | 'retarget' = 'work',
  ): SessionEvent[] {
    const id = `pool-${this.options.connection}-${++this.workCount}-${job.jobId}`;
    try {
      const work = new ShareWork(id, job, { ...extranonce, difficulty, versionMask: this.versionMask });
      this.issued.add(work);
      return [{ type, work }];
    } catch (error) {
      return [{ type: 'invalid', why: errorMessage(error) }];
    }
  }

  private subscribe(): void {
    this.phase = 'subscribing';
    this.request('mining.subscribe', [this.options.userAgent]);
  }

  private fail(reason: string): SessionEvent[] {
    this.phase = 'refused';
    return [{ type: 'failed', reason }];
  }

  private request(method: PendingMethod, params: unknown[]): number {
    const id = this.nextId++;
    this.pending.set(id, method);
    if (this.pending.size > MAX_PENDING_REQUESTS) this.pending.delete(this.pending.keys().next().value!);
    this.send(callLine(id, method, params));
    return id;
  }

  private reply(id: MessageId, result: unknown): void {
    if (id !== null) this.send(resultLine(id, result));
  }
}
