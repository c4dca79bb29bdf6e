/**
 * `powlab pool`: its listeners (listeners.ts) bring miners in, one PoolConnection each; its blocks
 * pipeline (blocks.ts) gives them jobs and takes their blocks to the chain; shares go into the
 * Ledger and onto the board; the page port (page-server.ts) serves the snapshot (snapshot.ts).
 * This module joins them: it keeps the peers, hands each connection's events to the ledger, the
 * board, the pipeline and the log, and ticks the clocks.
 *
 * Hostile peers are expected: connections are capped in total and per address, lines and messages
 * in length, every byte a peer sends is counted against its budget before it is split into lines; a
 * peer that does not read is paused, then dropped when what waits for it passes a cap; what
 * PoolConnection drops (floods, junk, bad shares, silence) is closed here without touching the others.
 */
import { randomBytes } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { expectedHashes } from '../core/target.js';
import { printable } from '../sources/printable.js';
import { eventFrame, EventStreams, listen, urlHost } from '../web/http.js';
import { BlockPipeline } from './blocks.js';
import { MinerBoard } from './board.js';
import { PoolConnection, type PoolBook, type PoolEvent } from './connection.js';
import { EXTRANONCE1_BYTES, type PoolJob, type PoolTemplate } from './jobs.js';
import type { BlockRecord } from './ledger-records.js';
import type { Ledger } from './ledger.js';
import { stratumOverTcp, WEBSOCKET_PATH, WebSocketEndpoint, type PeerHandle, type PeerIo } from './listeners.js';
import { servePoolPage } from './page-server.js';
import { shareDifficultyRange, type PoolLimits, type PoolRules, type ShareDifficultyRange } from './rules.js';
import type { PoolSnapshot } from './api.js';
import { poolSnapshot } from './snapshot.js';
import type { TemplateFeed } from './templates.js';

const TICK_MS = 1000;
const SNAPSHOT_EVERY_TICKS = 2;

export interface PoolServerOptions {
  host: string;
  /** Names students may open the page by, beside its addresses (the teacher's machine on the school network). */
  pageNames?: string[];
  port: number;
  pagePort: number;
  feed: TemplateFeed;
  ledger: Ledger;
  payoutScript: Uint8Array;
  /** Found blocks are saved in <datadir>/found/ before they go anywhere. */
  datadir: string;
  rules: PoolRules;
  limits: PoolLimits;
  /** Origins (scheme://host:port) whose pages may open the WebSocket endpoint besides the pool's own page. */
  allowedOrigins?: readonly string[];
  log: (event: PoolLogEvent) => void;
}

/** What the pool tells its operator. Every string from the network in here is already made printable. */
export type PoolLogEvent =
  | {
      type: 'listening';
      stratum: string;
      page: string;
      websocket: string;
      networkDifficulty: number;
      /** Hashes a block takes on average: 2^256 / (target + 1). */
      hashesPerBlock: number;
      shareDifficulty: ShareDifficultyRange;
      shareSeconds: number;
    }
  | { type: 'job'; height: number; jobId: string; clean: boolean; networkDifficulty: number }
  | { type: 'authorized'; peer: string; worker: string; userAgent: string }
  | {
      type: 'share';
      peer: string;
      worker: string;
      accepted: true;
      difficulty: number;
      hashDifficulty: number;
      hash: string;
    }
  | { type: 'share'; peer: string; worker: string | null; accepted: false; code: number; reason: string }
  | { type: 'dropped'; peer: string; reason: string }
  | { type: 'refused'; peer: string; reason: string }
  | ({ type: 'block'; file: string | null } & BlockRecord)
  | { type: 'warning'; message: string };

interface Peer extends PeerHandle {
  name: string;
  connection: PoolConnection;
  userAgent: string;
  /** It came over the WebSocket endpoint: a student's browser. */
  browser: boolean;
  /** Send what the connection produced, now that its events are handled. */
  flush(): void;
}

export class PoolServer implements PoolBook {
  private readonly peers = new Set<Peer>();
  private readonly perAddress = new Map<string, number>();
  private readonly board = new MinerBoard();
  private readonly streams = new EventStreams();
  private readonly blocks: BlockPipeline;
  private readonly extranoncePrefix = randomBytes(2);
  private extranonceCounter = 0;
  private tcp?: TcpServer;
  private http?: HttpServer;
  private websockets?: WebSocketEndpoint;
  private ticker?: NodeJS.Timeout;
  private ticks = 0;
  private stratumUrl = '';
  private websocketUrl = '';
  pageUrl = '';

  constructor(private readonly options: PoolServerOptions) {
    this.blocks = new BlockPipeline({
      feed: options.feed,
      ledger: options.ledger,
      payoutScript: options.payoutScript,
      datadir: options.datadir,
      warn: (message) => this.warn(message),
      onJob: (job) => this.onJob(job),
      onBlock: (record, file) => {
        options.log({ ...record, file });
        this.streams.broadcast(eventFrame('block', record));
      },
    });
  }

  current(): PoolJob | undefined {
    return this.blocks.job;
  }

  isCurrent(job: PoolJob): boolean {
    return this.blocks.isCurrent(job);
  }

  admitsWorker(worker: string): boolean {
    return this.board.makeRoomFor(worker);
  }

  /** Put miners on the first template, then listen. */
  async start(template: PoolTemplate): Promise<void> {
    const { host, limits, log } = this.options;
    const job = this.blocks.start(template);
    const sink = {
      admit: (address: string, kind: string) => this.admit(address, kind),
      open: (name: string, address: string, io: PeerIo, browser: boolean) => this.addPeer(name, address, io, browser),
      refused: (peer: string, reason: string) => log({ type: 'refused', peer, reason }),
    };
    this.tcp = createTcpServer(stratumOverTcp(sink, limits));
    const port = await listen(this.tcp, host, this.options.port, 'the pool');
    this.tcp.on('error', (error) => this.warn(`the pool's listener: ${error.message}`));
    this.websockets = new WebSocketEndpoint(sink, limits, {
      host,
      pageNames: this.options.pageNames ?? [],
      allowedOrigins: this.options.allowedOrigins ?? [],
    });
    const page = await servePoolPage({
      host,
      pageNames: this.options.pageNames ?? [],
      port: this.options.pagePort,
      snapshot: (nowMs, viewer) => this.snapshot(nowMs, viewer),
      streams: this.streams,
      websockets: this.websockets,
      warn: (message) => this.warn(message),
    });
    this.http = page.server;
    const shownHost = urlHost(host);
    this.stratumUrl = `stratum+tcp://${shownHost}:${port}`;
    this.pageUrl = `http://${shownHost}:${page.port}/`;
    this.websocketUrl = `ws://${shownHost}:${page.port}${WEBSOCKET_PATH}`;
    log({
      type: 'listening',
      stratum: this.stratumUrl,
      page: this.pageUrl,
      websocket: this.websocketUrl,
      networkDifficulty: job.networkDifficulty,
      hashesPerBlock: expectedHashes(template.target),
      shareDifficulty: shareDifficultyRange(this.options.rules.vardiff, job.networkDifficulty),
      shareSeconds: this.options.rules.vardiff.shareSeconds,
    });
    this.ticker = setInterval(() => this.tick(), TICK_MS);
  }

  /** What the page shows, the same size whatever the miners do; `viewer`: a worker whose rows are shown wherever they rank. */
  snapshot(nowMs = Date.now(), viewer?: string): PoolSnapshot {
    const state = {
      stratumUrl: this.stratumUrl,
      websocketUrl: this.websocketUrl,
      chain: this.options.feed.display,
      job: this.blocks.job,
      rules: this.options.rules,
      connections: this.peers.size,
      board: this.board,
      ledger: this.options.ledger,
    };
    return poolSnapshot(state, nowMs, viewer);
  }

  async close(): Promise<void> {
    clearInterval(this.ticker);
    for (const peer of [...this.peers]) peer.close('the pool is stopping');
    await this.blocks.close();
    await this.streams.endAll(eventFrame('end', this.snapshot()));
    this.websockets?.close();
    await Promise.all([
      new Promise((resolve) => (this.tcp ? this.tcp.close(resolve) : resolve(undefined))),
      new Promise((resolve) => {
        if (!this.http) return resolve(undefined);
        this.http.close(resolve);
        this.http.closeAllConnections();
      }),
    ]);
    this.options.feed.close();
    this.options.ledger.close();
  }

  private warn(message: string): void {
    this.options.log({ type: 'warning', message });
  }

  private onJob(job: PoolJob): void {
    const { template } = job;
    this.options.log({
      type: 'job',
      height: template.height,
      jobId: job.id,
      clean: job.cleanJobs,
      networkDifficulty: job.networkDifficulty,
    });
    const now = Date.now();
    for (const peer of [...this.peers]) this.handle(peer, peer.connection.notify(job, now), now);
  }

  private nextExtranonce1(): Uint8Array {
    const bytes = new Uint8Array(EXTRANONCE1_BYTES);
    bytes.set(this.extranoncePrefix, 0);
    new DataView(bytes.buffer).setUint16(2, this.extranonceCounter++ & 0xffff);
    return bytes;
  }

  /** Room for one more peer from `address`? Refusals say why. */
  private admit(address: string, kind: string): string | undefined {
    const { maxConnections, maxConnectionsPerAddress } = this.options.limits;
    if (this.peers.size >= maxConnections) return `${maxConnections} connections already`;
    if ((this.perAddress.get(address) ?? 0) >= maxConnectionsPerAddress)
      return `${maxConnectionsPerAddress} ${kind} connections from ${address} already`;
    return undefined;
  }

  private addPeer(name: string, address: string, io: PeerIo, browser: boolean): Peer {
    // Lines the connection produced wait here for the events they answer to be handled (the ledger first).
    const outbox: string[] = [];
    let open = true;
    const connection = new PoolConnection(
      this.nextExtranonce1(),
      this.options.rules,
      this,
      (line) => outbox.push(line),
      Date.now(),
    );
    const peer: Peer = {
      name,
      connection,
      userAgent: '',
      browser,
      get open() {
        return open;
      },
      bytes: (count) => {
        const now = Date.now();
        if (open) this.handle(peer, connection.received(count, now), now);
      },
      line: (text) => {
        const now = Date.now();
        this.handle(peer, connection.receive(text, now), now);
      },
      flush: () => {
        if (outbox.length === 0 || !open) return;
        const text = `${outbox.join('\n')}\n`;
        outbox.length = 0;
        if (!io.write(text))
          peer.close(`does not read what the pool sends (over ${this.options.limits.maxOutputBytes} bytes waiting)`);
      },
      close: (reason) => {
        if (!this.peers.delete(peer)) return;
        open = false;
        const left = (this.perAddress.get(address) ?? 1) - 1;
        if (left > 0) this.perAddress.set(address, left);
        else this.perAddress.delete(address);
        for (const worker of connection.authorizedWorkers) this.board.disconnected(worker, Date.now());
        if (!reason.startsWith('the miner closed') && reason !== 'the pool is stopping')
          this.options.log({ type: 'dropped', peer: name, reason });
        io.end();
      },
    };
    this.peers.add(peer);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    return peer;
  }

  private handle(peer: Peer, events: PoolEvent[], now: number): void {
    const { ledger, log } = this.options;
    let drop: string | undefined;
    for (const event of events) {
      switch (event.type) {
        case 'subscribed':
          peer.userAgent = printable(event.userAgent);
          break;
        case 'authorized':
          this.board.connected(event.worker, now, peer.browser);
          this.board.difficulty([event.worker], peer.connection.difficulty);
          log({ type: 'authorized', peer: peer.name, worker: event.worker, userAgent: peer.userAgent });
          break;
        case 'accepted': {
          const { worker, difficulty, hashDifficulty, hash } = event;
          // On disk before the miner hears "accepted": the flush below comes after.
          ledger.share(worker, difficulty, now);
          this.board.accepted(worker, difficulty, hashDifficulty, now);
          log({ type: 'share', peer: peer.name, worker, accepted: true, difficulty, hashDifficulty, hash });
          if (event.block) this.blocks.found(worker, event.block, hash);
          break;
        }
        case 'rejected': {
          const { worker, code, reason } = event;
          this.board.rejected(worker, code);
          log({ type: 'share', peer: peer.name, worker, accepted: false, code, reason });
          break;
        }
        case 'difficulty':
          this.board.difficulty(peer.connection.authorizedWorkers, event.difficulty);
          break;
        case 'report':
          this.board.reported(peer.connection.authorizedWorkers, event.hashrate);
          break;
        case 'junk':
          break;
        case 'drop':
          drop = event.reason;
          break;
      }
    }
    peer.flush();
    if (drop !== undefined) peer.close(drop);
  }

  private tick(): void {
    const now = Date.now();
    for (const peer of [...this.peers]) this.handle(peer, peer.connection.tick(now), now);
    this.options.ledger.sync();
    if (++this.ticks % SNAPSHOT_EVERY_TICKS === 0 && this.streams.open.size > 0)
      this.streams.broadcast(eventFrame('status', this.snapshot(now)));
  }
}
