/**
 * The connection to a pool: a StratumSession over TCP, kept alive. Lines are capped; the pool must
 * answer the handshake and keep talking within time limits; when it goes away, stalls or misbehaves
 * the client drops the connection and reconnects with exponential backoff, subscribing afresh.
 * What we send is bounded too: a pool that does not read our replies stops being read (its
 * requests wait in the kernel, not in our memory), and past a cap on queued bytes, or a wait for it
 * to read, the connection is dropped.
 * Nothing the pool sends (or fails to send) throws out of here: only a refused login is fatal.
 */
import { EventEmitter } from 'node:events';
import { connect, type Socket } from 'node:net';
import { Errors, type PowlabError } from '../../errors.js';
import type { Solution } from '../../miner/work.js';
import { printable } from '../printable.js';
import { LineBuffer } from '../../stratum/lines.js';
import { StratumSession, type SessionEvent, type SessionOptions } from '../../stratum/session.js';
import type { ShareWork } from '../../stratum/work.js';

export interface PoolAddress {
  host: string;
  port: number;
}

/** `stratum+tcp://host:port`, the form pools publish. */
export function parsePoolUrl(url: string): PoolAddress {
  // Whatever follows is echoed in errors: a password in the URL must never be, so nothing of such a URL is.
  if (url.includes('@'))
    throw Errors.badOption('pool', 'put no user or password in the URL; pass them with --user and --password');
  const match = /^stratum\+tcp:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})\/?$/.exec(url.trim());
  if (!match) {
    const hint = /^stratum\+(ssl|tls):/i.test(url) ? ' (TLS pools are not supported)' : '';
    throw Errors.badOption('pool', `expected stratum+tcp://HOST:PORT${hint}, got ${printable(JSON.stringify(url))}`);
  }
  const port = Number(match[2]);
  if (port < 1 || port > 65535) throw Errors.badOption('pool', `port must be 1 to 65535, got ${port}`);
  return { host: match[1].replace(/^\[|\]$/g, ''), port };
}

/**
 * Why a socket failed, in a student's words. Writing to a connection the pool has closed fails with
 * EPIPE, and a share the pool never read makes its close a reset: both are the pool hanging up.
 */
function socketFailure(address: PoolAddress, error: NodeJS.ErrnoException): string {
  if (error.code === 'EPIPE') return 'the pool closed the connection';
  if (error.code === 'ECONNRESET') return 'the pool reset the connection';
  return `connection to ${address.host}:${address.port} failed: ${error.code ?? error.message}`;
}

export interface ClientLimits {
  /** A longer line from the pool drops the connection. */
  maxLineBytes: number;
  connectTimeoutMs: number;
  /** From connecting to being authorised. */
  handshakeTimeoutMs: number;
  /**
   * No work and no answer from the pool for this long means it has stalled. Its own requests
   * (mining.ping, client.get_version) do not count: a flood of them is not mining.
   */
  stallTimeoutMs: number;
  /** Bytes queued to the pool and not yet taken by it, at most; past this the connection is dropped. */
  maxQueuedBytes: number;
  /** A pool that takes nothing of what we queued for this long is not reading: the connection is dropped. */
  drainTimeoutMs: number;
  /** A share the pool has not judged in this time is counted as lost. */
  submitTimeoutMs: number;
  backoffInitialMs: number;
  backoffMaxMs: number;
  /** A connection authorised this long, or with a share accepted, has worked: the backoff starts over. */
  steadyConnectionMs: number;
  /** The longest client.reconnect wait we honour. */
  maxReconnectWaitMs: number;
}

const DEFAULT_LIMITS: ClientLimits = {
  maxLineBytes: 128 * 1024,
  connectTimeoutMs: 10_000,
  handshakeTimeoutMs: 20_000,
  // Pools send a new job every 30-60 s even when the chain is quiet.
  stallTimeoutMs: 180_000,
  // A share is about 200 bytes: this is thousands of them, far more than a reading pool ever leaves queued.
  maxQueuedBytes: 1024 * 1024,
  drainTimeoutMs: 30_000,
  submitTimeoutMs: 30_000,
  backoffInitialMs: 1_000,
  backoffMaxMs: 60_000,
  steadyConnectionMs: 30_000,
  maxReconnectWaitMs: 300_000,
};

export interface StratumClientOptions extends Omit<SessionOptions, 'connection'> {
  address: PoolAddress;
  limits?: Partial<ClientLimits>;
}

export type ShareOutcome = { status: 'accepted' } | { status: 'rejected' | 'stale' | 'lost'; reason: string };

export interface ClientCounts {
  connections: number;
  ignoredLines: number;
  invalidMessages: number;
}

interface ClientEvents {
  connecting: [PoolAddress];
  configured: [versionMask: number | null, note: string | undefined];
  authorized: [];
  work: [ShareWork];
  /** The job being mined, at a new share difficulty. */
  retarget: [ShareWork];
  /** The connection is gone; the next attempt starts after `retryMs`. */
  disconnected: [reason: string, retryMs: number];
  /** Text the pool asked us to show (client.show_message), made safe to print. */
  message: [string];
  warning: [string];
  /** Mining cannot go on (the pool refused the login); the client has stopped. */
  fatal: [PowlabError];
}

interface PendingShare {
  resolve: (outcome: ShareOutcome) => void;
  timer: NodeJS.Timeout;
}

export class StratumClient extends EventEmitter<ClientEvents> {
  private readonly limits: ClientLimits;
  readonly counts: ClientCounts = { connections: 0, ignoredLines: 0, invalidMessages: 0 };
  private address: PoolAddress;
  private socket?: Socket;
  private session?: StratumSession;
  private lines?: LineBuffer;
  private readonly pendingShares = new Map<number, PendingShare>();
  private backoffMs: number;
  private retryTimer?: NodeJS.Timeout;
  private connectTimer?: NodeJS.Timeout;
  private handshakeTimer?: NodeJS.Timeout;
  private stallTimer?: NodeJS.Timeout;
  private steadyTimer?: NodeJS.Timeout;
  private drainTimer?: NodeJS.Timeout;
  private versionRolling: boolean;
  private closed = false;
  private lastDifficulty?: number;
  private lastVersionMask: number | null = null;

  constructor(private readonly options: StratumClientOptions) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...options.limits };
    this.address = { ...options.address };
    this.backoffMs = this.limits.backoffInitialMs;
    this.versionRolling = options.versionRolling;
  }

  start(): void {
    if (!this.socket && !this.retryTimer && !this.closed) this.connect();
  }

  /** The pool's share difficulty, as last set (it outlives a dropped connection, for reports). */
  get difficulty(): number | undefined {
    return this.lastDifficulty;
  }

  /** The version-rolling mask last negotiated, or null. */
  get versionMask(): number | null {
    return this.lastVersionMask;
  }

  /** Submit a solution as a share, unless it is already stale; resolves with the pool's verdict. */
  submit(work: ShareWork, solution: Solution): Promise<ShareOutcome> {
    const session = this.session;
    if (!session || !session.authorized)
      return Promise.resolve({ status: 'stale', reason: 'not connected to the pool' });
    const stale = session.staleReason(work, solution);
    if (stale) return Promise.resolve({ status: 'stale', reason: stale });
    const requestId = session.submit(work.share(solution));
    if (solution.seconds > 0) session.reportHashrate(solution.hashes / solution.seconds);
    return new Promise((resolve) => {
      const timer = setTimeout(
        () =>
          this.settleShare(requestId, {
            status: 'lost',
            reason: `no answer from the pool in ${this.limits.submitTimeoutMs / 1000} s`,
          }),
        this.limits.submitTimeoutMs,
      );
      this.pendingShares.set(requestId, { resolve, timer });
    });
  }

  /** Stop for good: no reconnects; shares still waiting are counted as lost. */
  close(): void {
    this.closed = true;
    clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.teardown('the miner stopped');
  }

  private connect(): void {
    this.retryTimer = undefined;
    const address = { ...this.address };
    this.counts.connections++;
    this.emit('connecting', address);
    const socket = connect({ host: address.host, port: address.port });
    socket.setNoDelay(true);
    this.socket = socket;
    this.lines = new LineBuffer(this.limits.maxLineBytes);
    this.connectTimer = setTimeout(
      () =>
        this.drop(`could not connect to ${address.host}:${address.port} in ${this.limits.connectTimeoutMs / 1000} s`),
      this.limits.connectTimeoutMs,
    );
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      clearTimeout(this.connectTimer);
      this.handshakeTimer = setTimeout(
        () => this.drop(`the pool did not finish the handshake in ${this.limits.handshakeTimeoutMs / 1000} s`),
        this.limits.handshakeTimeoutMs,
      );
      this.stallTimer = setTimeout(
        () => this.drop(`no work or answers from the pool for ${this.limits.stallTimeoutMs / 1000} s`),
        this.limits.stallTimeoutMs,
      );
      const session = new StratumSession(
        { ...this.options, versionRolling: this.versionRolling, connection: this.counts.connections },
        (line) => this.send(socket, line),
      );
      this.session = session;
      session.start();
    });
    socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
    socket.on('drain', () => {
      if (this.socket !== socket) return;
      clearTimeout(this.drainTimer);
      this.drainTimer = undefined;
      socket.resume();
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (this.socket === socket) this.drop(socketFailure(address, error));
    });
    socket.on('close', () => {
      if (this.socket === socket) this.drop('the pool closed the connection');
    });
  }

  /**
   * Queue a line to the pool. Once the socket holds more than its high-water mark we stop reading
   * the pool (each request it sends makes a reply) until it takes what we sent; a pool that does not
   * within drainTimeoutMs, or lets maxQueuedBytes pile up, is dropped.
   */
  private send(socket: Socket, line: string): void {
    if (this.socket !== socket) return;
    const bytes = Buffer.byteLength(line) + 1;
    if (socket.writableLength + bytes > this.limits.maxQueuedBytes) {
      this.drop(
        `the pool is not reading what we send (over ${Math.round(this.limits.maxQueuedBytes / 1024)} KiB waiting)`,
      );
      return;
    }
    if (socket.write(`${line}\n`) || this.drainTimer) return;
    socket.pause();
    this.drainTimer = setTimeout(
      () => this.drop(`the pool read nothing of what we sent for ${this.limits.drainTimeoutMs / 1000} s`),
      this.limits.drainTimeoutMs,
    );
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (this.socket !== socket || !this.session || !this.lines) return;
    const buffer = this.lines;
    for (const line of buffer.push(chunk)) {
      // A handler below may have dropped this connection; the rest of its lines mean nothing now.
      if (this.socket !== socket) return;
      // Blank lines between messages carry nothing, and a pool may send them to keep a link open.
      if (line.trim() === '') continue;
      const events = this.session.receive(line);
      // Only whole lines with work or answers count as the pool talking: a line trickled and never
      // ended, or a stream of pings, has stalled all the same.
      if (events.some((event) => event.type !== 'ignored' && event.type !== 'invalid')) this.stallTimer?.refresh();
      for (const event of events) this.onSessionEvent(event);
    }
    if (this.socket === socket && buffer.overflowed)
      this.drop(`the pool sent a line longer than ${buffer.maxLineBytes} bytes`);
  }

  private onSessionEvent(event: SessionEvent): void {
    switch (event.type) {
      case 'configured':
        if (event.versionMask === null && this.versionRolling)
          this.emit('warning', `version rolling is off: ${event.note ?? 'the pool did not allow it'}`);
        this.lastVersionMask = event.versionMask;
        this.emit('configured', event.versionMask, event.note);
        return;
      case 'authorized':
        clearTimeout(this.handshakeTimer);
        this.steadyTimer = setTimeout(() => this.resetBackoff(), this.limits.steadyConnectionMs);
        this.emit('authorized');
        return;
      case 'unauthorized':
        this.closed = true;
        this.teardown('the pool refused the login');
        this.emit('fatal', Errors.auth(`the pool refused user ${JSON.stringify(this.options.user)}: ${event.reason}`));
        return;
      case 'failed':
        return this.drop(event.reason);
      case 'work':
      case 'retarget':
        this.emit(event.type, event.work);
        return;
      case 'difficulty':
        this.lastDifficulty = event.difficulty;
        return;
      case 'versionMask':
        this.lastVersionMask = event.mask;
        return;
      case 'shareResult':
        if (event.verdict.status === 'accepted') this.resetBackoff();
        return this.settleShare(event.requestId, event.verdict);
      case 'reconnect':
        return this.followReconnect(event.reconnect.host, event.reconnect.port, event.reconnect.waitSeconds);
      case 'message':
        this.emit('message', event.text);
        return;
      case 'ignored':
        this.counts.ignoredLines++;
        return;
      case 'invalid':
        this.counts.invalidMessages++;
        this.emit('warning', `ignored a message from the pool: ${event.why}`);
        return;
    }
  }

  /** client.reconnect: to another port of the same host only, so a pool cannot send the miner (and its login) elsewhere. */
  private followReconnect(host: string | undefined, port: number | undefined, waitSeconds: number): void {
    if (host !== undefined && host.toLowerCase() !== this.address.host.toLowerCase()) {
      this.emit('warning', `ignored the pool's request to reconnect to another host (${host})`);
      return;
    }
    if (port !== undefined) this.address = { ...this.address, port };
    this.drop(
      `the pool asked us to reconnect to ${this.address.host}:${this.address.port}`,
      Math.min(waitSeconds * 1000, this.limits.maxReconnectWaitMs),
    );
  }

  private settleShare(requestId: number, outcome: ShareOutcome): void {
    const pending = this.pendingShares.get(requestId);
    if (!pending) return;
    this.pendingShares.delete(requestId);
    clearTimeout(pending.timer);
    pending.resolve(outcome);
  }

  /**
   * Close the connection (if any) and schedule the next attempt: after the wait the pool asked for,
   * but never sooner than the backoff, or a pool saying "reconnect now" each time would have the
   * client connect hundreds of times a second.
   */
  private drop(reason: string, requestedWaitMs = 0): void {
    const session = this.session;
    // A pool that hangs up on mining.configure may not know it: try the next connection without it.
    if (session && session.phase === 'configuring' && this.versionRolling) {
      this.versionRolling = false;
      this.emit('warning', 'the pool did not answer mining.configure; connecting again without version rolling');
    }
    this.teardown(reason);
    if (this.closed) return;
    const delay = Math.max(requestedWaitMs, this.nextBackoff());
    this.emit('disconnected', reason, delay);
    // A listener may have closed the client: then no retry may keep the process alive.
    if (this.closed) return;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private teardown(reason: string): void {
    const socket = this.socket;
    this.socket = undefined;
    this.session = undefined;
    this.lines = undefined;
    clearTimeout(this.connectTimer);
    clearTimeout(this.handshakeTimer);
    clearTimeout(this.stallTimer);
    clearTimeout(this.steadyTimer);
    clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    socket?.destroy();
    for (const requestId of [...this.pendingShares.keys()])
      this.settleShare(requestId, { status: 'lost', reason: `connection closed before the pool answered (${reason})` });
  }

  private resetBackoff(): void {
    this.backoffMs = this.limits.backoffInitialMs;
  }

  private nextBackoff(): number {
    const base = this.backoffMs;
    this.backoffMs = Math.min(this.limits.backoffMaxMs, this.backoffMs * 2);
    // A little jitter keeps a room of miners from reconnecting in lockstep after a pool restart.
    return Math.round(base * (0.9 + 0.2 * Math.random()));
  }
}
