/**
 * `powlab pool` at its edges: Stratum over TCP (node:net) and over WebSocket (ws) into one
 * PoolConnection per miner, jobs from a TemplateFeed, shares into the Ledger, blocks saved, then
 * appended or submitted; and the pool page (the web app, dist/app) with its JSON API and
 * Server-Sent Events, on the dashboard's server stack.
 *
 * Hostile peers are expected: connections are capped in total and per address, lines in length,
 * every byte a peer sends is counted against its budget before it is split into lines; a peer that
 * does not read is paused, then dropped when what waits for it passes a cap; what PoolConnection
 * drops (floods, junk, bad shares, silence) is closed here without touching the others. A WebSocket
 * is taken only when addressed to this machine, from the pool's own page or from a program: any
 * other page a student has open could otherwise mine in their name, or flood the pool.
 */
import { randomBytes } from 'node:crypto';
import {
  STATUS_CODES,
  createServer as createHttpServer,
  type IncomingMessage,
  type Server as HttpServer,
  type ServerResponse,
} from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { bytesEqual, bytesToHex } from '../core/bytes.js';
import { hashToDisplayHex, headerHash } from '../core/header.js';
import { expectedHashes } from '../core/target.js';
import { saveFoundBlock } from '../sources/found.js';
import { printable } from '../sources/printable.js';
import { LineBuffer } from '../sources/stratum/lines.js';
import { eventFrame, EventStreams, hostCheck, listen, sendJson, urlHost } from '../web/http.js';
import { loadWebApp, sendWebAppFile, type WebAppFiles } from '../web/static.js';
import { MinerBoard, SHOWN_ROWS, topRows, type MinerView } from './board.js';
import { PoolConnection, shareDifficultyRange, type PoolBook, type PoolEvent, type PoolRules } from './connection.js';
import { blockFromShare, EXTRANONCE1_BYTES, jobFromTemplate, type PoolJob, type PoolTemplate } from './jobs.js';
import type { BlockRecord, Ledger } from './ledger.js';
import { PPLNS_FORMULA, type Payout } from './pplns.js';
import type { TemplateFeed } from './templates.js';
import { errorMessage } from '../errors.js';

/** The WebSocket endpoint browser miners connect to. */
export const WEBSOCKET_PATH = '/stratum';
/** Tells the web app that a pool serves it (src/ui/app/controller.ts): it then shows the board and can join. */
const POOL_PAGE_HEADER = 'x-powlab-pool';
const TICK_MS = 1000;
const SNAPSHOT_EVERY_TICKS = 2;
/** Blocks /api/pool shows, the newest, each with the SPLIT_ROWS largest parts of its split. */
const SHOWN_BLOCKS = 20;
const SPLIT_ROWS = 10;

export interface PoolLimits {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  maxLineBytes: number;
  /** A peer with this much unsent is dropped; reading from it stops at half. */
  maxOutputBytes: number;
}

export const DEFAULT_LIMITS: PoolLimits = {
  maxConnections: 1024,
  maxConnectionsPerAddress: 32,
  maxLineBytes: 16 * 1024,
  maxOutputBytes: 256 * 1024,
};

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

interface Peer {
  name: string;
  address: string;
  connection: PoolConnection;
  userAgent: string;
  /** It came over the WebSocket endpoint: a browser. */
  browser: boolean;
  /** Lines the connection produced that wait for the events they answer to be handled (ledger first). */
  outbox: string[];
  flush(): void;
  close(reason: string): void;
}

/** The share difficulty a new miner starts at, and the bounds vardiff keeps it within (max: at most the block difficulty / 16). */
export type ShareDifficultyRange = ReturnType<typeof shareDifficultyRange>;

export interface PoolSnapshot {
  pool: {
    stratum: string;
    websocket: string;
    chain: string;
    height: number | null;
    networkDifficulty: number | null;
    /** Hashes a block takes on average: 2^256 / (target + 1). */
    hashesPerBlock: number | null;
    shareDifficulty: ShareDifficultyRange | null;
    /** Vardiff aims at one share per miner this often. */
    shareSeconds: number;
    connections: number;
    /** Worker names this run, all of them; `miners` shows the SHOWN_ROWS with the most work. */
    workers: number;
    /** Miners the ledger names, from every run; `ledger` shows the SHOWN_ROWS with the most share difficulty. */
    ledgerMiners: number;
    inferredHashrate: number;
    reportedHashrate: number;
    blocks: number;
    /** Σ block difficulty / Σ share difficulty, over the ledger: 1 is as expected, above is lucky; null before the first block. */
    luck: number | null;
    /** This round's share difficulty over the block difficulty: 1 is a block's worth of work on average. */
    roundEffort: number | null;
    anonymousRejects: number;
  };
  pplns: {
    formula: string;
    windowFactor: number;
    window: number | null;
    /** The share difficulty in the window over the window (at most 1): below 1, a block now is split over every share so far. */
    windowFilled: number | null;
    reward: string | null;
    /** The SHOWN_ROWS largest parts, of `splitMiners`. */
    splitIfFoundNow: Payout[];
    splitMiners: number;
  };
  miners: (MinerView & { earned: string; ledgerShares: number; blocksFound: number })[];
  /** The SHOWN_ROWS miners the ledger credits most share difficulty, from every run (of `pool.ledgerMiners`): shares, blocks, satoshis earned. */
  ledger: { miner: string; shares: number; difficulty: number; blocks: number; earned: string }[];
  /** The newest SHOWN_BLOCKS, each split cut to its largest parts (of `splitMiners`). */
  blocks: (BlockRecord & { splitMiners: number })[];
}

/** Larger parts first: payouts are in proportion to share difficulty. */
const byDifficulty = (a: { difficulty: number }, b: { difficulty: number }) => b.difficulty - a.difficulty;

/** The part of the PPLNS window the shares so far fill, 1 when full (the sum of the parts may fall short of it by a rounding). */
function windowFilled({ window, split }: { window: number; split: Payout[] }): number {
  const filled = split.reduce((sum, payout) => sum + payout.difficulty, 0) / window;
  return filled > 1 - 1e-9 ? 1 : filled;
}

export class PoolServer implements PoolBook {
  private job?: PoolJob;
  private jobCount = 0;
  private readonly peers = new Set<Peer>();
  private readonly perAddress = new Map<string, number>();
  private readonly board = new MinerBoard();
  private readonly streams = new EventStreams();
  private readonly extranoncePrefix = randomBytes(2);
  private extranonceCounter = 0;
  private tcp?: TcpServer;
  private http?: HttpServer;
  private websockets?: WebSocketServer;
  private ticker?: NodeJS.Timeout;
  private ticks = 0;
  private readonly stop = new AbortController();
  /** Blocks are handled one at a time: the second at a height is judged after the first is in. */
  private blockChain: Promise<void> = Promise.resolve();
  /** The tip a block was just found on: shares on it are stale from that moment, not from when the next job goes out. */
  private solvedPrevHash: Uint8Array = new Uint8Array(0);
  private readonly addressedHere: (hostHeader: string | undefined) => boolean;
  private stratumUrl = '';
  private websocketUrl = '';
  pageUrl = '';

  constructor(private readonly options: PoolServerOptions) {
    this.addressedHere = hostCheck(options.host, options.pageNames);
  }

  current(): PoolJob | undefined {
    return this.job;
  }

  isCurrent(job: PoolJob): boolean {
    return (
      this.job !== undefined &&
      bytesEqual(job.template.prevHash, this.job.template.prevHash) &&
      !bytesEqual(job.template.prevHash, this.solvedPrevHash)
    );
  }

  admitsWorker(worker: string): boolean {
    return this.board.makeRoomFor(worker);
  }

  /** Put miners on the first template, then listen. */
  async start(template: PoolTemplate): Promise<void> {
    this.setJob(template);
    this.tcp = createTcpServer((socket) => this.onSocket(socket));
    const port = await listen(this.tcp, this.options.host, this.options.port, 'the pool');
    this.tcp.on('error', (error) =>
      this.options.log({ type: 'warning', message: `the pool's listener: ${error.message}` }),
    );
    // The web app is the pool's page: it shows the board, and joins the pool from ?join=NAME.
    const app = loadWebApp();
    this.http = createHttpServer((request, response) => this.onRequest(request, response, app));
    this.websockets = new WebSocketServer({ noServer: true, maxPayload: this.options.limits.maxLineBytes });
    this.http.on('upgrade', (request, socket, head) => this.onUpgrade(request, socket, head));
    const pagePort = await listen(this.http, this.options.host, this.options.pagePort, 'the pool page', 'page-port');
    this.http.on('error', (error) => this.options.log({ type: 'warning', message: `the pool page: ${error.message}` }));
    const host = urlHost(this.options.host);
    this.stratumUrl = `stratum+tcp://${host}:${port}`;
    this.pageUrl = `http://${host}:${pagePort}/`;
    this.websocketUrl = `ws://${host}:${pagePort}${WEBSOCKET_PATH}`;
    this.options.log({
      type: 'listening',
      stratum: this.stratumUrl,
      page: this.pageUrl,
      websocket: this.websocketUrl,
      networkDifficulty: this.job!.networkDifficulty,
      hashesPerBlock: expectedHashes(template.target),
      shareDifficulty: shareDifficultyRange(this.options.rules.vardiff, this.job!.networkDifficulty),
      shareSeconds: this.options.rules.vardiff.shareSeconds,
    });
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    void this.followChain(template);
  }

  /** What the page shows, the same size whatever the miners do; `viewer`: a worker whose rows are shown wherever they rank. */
  snapshot(nowMs = Date.now(), viewer?: string): PoolSnapshot {
    const ledger = this.options.ledger;
    const everyMiner = this.board.view(nowMs);
    const viewersPart = (payout: Payout) => payout.miner === viewer;
    const shown = topRows(
      everyMiner,
      SHOWN_ROWS,
      (a, b) => b.acceptedDifficulty - a.acceptedDifficulty || b.connections - a.connections,
      (view) => view.worker === viewer,
    );
    const miners = shown.map((view) => {
      const totals = ledger.totals.get(view.worker);
      return {
        ...view,
        earned: (totals?.earned ?? 0n).toString(),
        ledgerShares: totals?.shares ?? 0,
        blocksFound: totals?.blocks ?? 0,
      };
    });
    const job = this.job;
    const reward = job?.template.reward;
    const split = job && reward !== undefined ? ledger.split(reward, job.networkDifficulty) : undefined;
    return {
      pool: {
        stratum: this.stratumUrl,
        websocket: this.websocketUrl,
        chain: this.options.feed.display,
        height: job?.template.height ?? null,
        networkDifficulty: job?.networkDifficulty ?? null,
        hashesPerBlock: job ? expectedHashes(job.template.target) : null,
        shareDifficulty: job ? shareDifficultyRange(this.options.rules.vardiff, job.networkDifficulty) : null,
        shareSeconds: this.options.rules.vardiff.shareSeconds,
        connections: this.peers.size,
        workers: everyMiner.length,
        ledgerMiners: ledger.totals.size,
        inferredHashrate: everyMiner.reduce(
          (sum, miner) => sum + (miner.connections > 0 ? miner.inferredHashrate : 0),
          0,
        ),
        reportedHashrate: everyMiner.reduce(
          (sum, miner) => sum + (miner.connections > 0 ? (miner.reportedHashrate ?? 0) : 0),
          0,
        ),
        blocks: ledger.blocks,
        luck: ledger.blocks > 0 ? ledger.blockDifficulty / ledger.totalDifficulty : null,
        roundEffort: job ? ledger.roundDifficulty / job.networkDifficulty : null,
        anonymousRejects: this.board.anonymousRejects,
      },
      pplns: {
        formula: PPLNS_FORMULA,
        windowFactor: ledger.windowFactor,
        window: split?.window ?? null,
        windowFilled: split ? windowFilled(split) : null,
        reward: reward?.toString() ?? null,
        splitIfFoundNow: topRows(split?.split ?? [], SHOWN_ROWS, byDifficulty, viewersPart),
        splitMiners: split?.split.length ?? 0,
      },
      miners,
      ledger: topRows(
        ledger.totals,
        SHOWN_ROWS,
        ([, a], [, b]) => b.difficulty - a.difficulty,
        ([miner]) => miner === viewer,
      ).map(([miner, totals]) => ({
        miner,
        shares: totals.shares,
        difficulty: totals.difficulty,
        blocks: totals.blocks,
        earned: totals.earned.toString(),
      })),
      blocks: ledger.recentBlocks
        .slice(-SHOWN_BLOCKS)
        .reverse()
        .map((block) => ({
          ...block,
          split: topRows(block.split, SPLIT_ROWS, byDifficulty, viewersPart),
          splitMiners: block.split.length,
        })),
    };
  }

  async close(): Promise<void> {
    this.stop.abort();
    clearInterval(this.ticker);
    for (const peer of [...this.peers]) peer.close('the pool is stopping');
    await this.blockChain;
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

  private setJob(template: PoolTemplate): void {
    const clean = !this.job || !bytesEqual(this.job.template.prevHash, template.prevHash);
    const job = jobFromTemplate((++this.jobCount).toString(16), template, this.options.payoutScript, clean);
    this.job = job;
    this.options.ledger.networkDifficulty(job.networkDifficulty);
    this.options.log({
      type: 'job',
      height: template.height,
      jobId: job.id,
      clean,
      networkDifficulty: job.networkDifficulty,
    });
    const now = Date.now();
    for (const peer of [...this.peers]) this.handle(peer, peer.connection.notify(job, now), now);
  }

  /** Follow the chain: a block from elsewhere (on a node) brings a new job. */
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
        this.options.log({ type: 'warning', message: `following the chain: ${errorMessage(error)}` });
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  private nextExtranonce1(): Uint8Array {
    const bytes = new Uint8Array(EXTRANONCE1_BYTES);
    bytes.set(this.extranoncePrefix, 0);
    new DataView(bytes.buffer).setUint16(2, this.extranonceCounter++ & 0xffff);
    return bytes;
  }

  /** Room for one more peer from `address`? Refusals say why. */
  private admit(address: string, kind: string): string | undefined {
    if (this.peers.size >= this.options.limits.maxConnections)
      return `${this.options.limits.maxConnections} connections already`;
    if ((this.perAddress.get(address) ?? 0) >= this.options.limits.maxConnectionsPerAddress) {
      return `${this.options.limits.maxConnectionsPerAddress} ${kind} connections from ${address} already`;
    }
    return undefined;
  }

  private onSocket(socket: Socket): void {
    const address = socket.remoteAddress ?? 'unknown';
    const name = `${address}:${socket.remotePort ?? 0}`;
    const refusal = this.admit(address, 'Stratum');
    if (refusal) {
      this.options.log({ type: 'refused', peer: name, reason: refusal });
      socket.destroy();
      return;
    }
    socket.setNoDelay(true);
    const lines = new LineBuffer(this.options.limits.maxLineBytes);
    const limits = this.options.limits;
    const peer = this.addPeer(name, address, false, {
      write: (text) => {
        socket.write(text);
        if (socket.writableLength > limits.maxOutputBytes) return false;
        // Backpressure: a peer that does not read gets nothing more read from it either.
        if (socket.writableLength > limits.maxOutputBytes / 2) socket.pause();
        return true;
      },
      end: () => socket.destroy(),
    });
    socket.on('drain', () => socket.resume());
    socket.on('data', (chunk: Buffer) => {
      this.countBytes(peer, chunk.length);
      for (const line of lines.push(chunk)) {
        if (!this.peers.has(peer)) return;
        this.receive(peer, line);
      }
      if (lines.overflowed && this.peers.has(peer)) peer.close(`sent a line longer than ${limits.maxLineBytes} bytes`);
    });
    socket.on('error', () => peer.close('the connection failed'));
    socket.on('close', () => peer.close('the miner closed the connection'));
  }

  private onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const address = request.socket.remoteAddress ?? 'unknown';
    const path = (request.url ?? '').split('?')[0];
    const { host, origin } = request.headers;
    const [status, refusal] = !this.addressedHere(host)
      ? [403, `a WebSocket addressed to ${printable(JSON.stringify(String(host).slice(0, 60)))}, not to this machine`]
      : !fromOwnPage(origin, host!)
        ? [403, `a WebSocket from the page ${printable(JSON.stringify(origin!.slice(0, 80)))}, not the pool's own`]
        : path !== WEBSOCKET_PATH
          ? [404, `no WebSocket endpoint at ${printable(path.slice(0, 60))}`]
          : [503, this.admit(address, 'WebSocket')];
    if (refusal) {
      this.options.log({ type: 'refused', peer: address, reason: refusal });
      // Said in HTTP, so a browser's console shows why; then closed.
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      return;
    }
    this.websockets!.handleUpgrade(request, socket, head, (ws) =>
      this.onWebSocket(ws, socket, address, request.socket.remotePort ?? 0),
    );
  }

  private onWebSocket(ws: WebSocket, socket: Duplex, address: string, port: number): void {
    const limits = this.options.limits;
    const peer = this.addPeer(`ws ${address}:${port}`, address, true, {
      write: (text) => {
        ws.send(text.replace(/\n$/, ''));
        return ws.bufferedAmount <= limits.maxOutputBytes;
      },
      end: () => ws.terminate(),
    });
    // Bytes as they come off the wire, frames, pings and all: a flood of empty frames is a flood too.
    socket.on('data', (chunk: Buffer) => this.countBytes(peer, chunk.length));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return peer.close('sent a binary WebSocket message (Stratum is text)');
      // A message carries one Stratum line, or several separated by newlines (a last one may end with one too).
      const text = Array.isArray(data) ? Buffer.concat(data).toString() : Buffer.from(new Uint8Array(data)).toString();
      for (const line of text.replace(/\r?\n$/, '').split('\n')) {
        if (!this.peers.has(peer)) return;
        this.receive(peer, line);
      }
    });
    ws.on('error', () => peer.close('the WebSocket failed'));
    ws.on('close', () => peer.close('the miner closed the WebSocket'));
  }

  private addPeer(
    name: string,
    address: string,
    browser: boolean,
    io: { write: (text: string) => boolean; end: () => void },
  ): Peer {
    const outbox: string[] = [];
    const peer: Peer = {
      name,
      address,
      userAgent: '',
      browser,
      outbox,
      connection: new PoolConnection(
        this.nextExtranonce1(),
        this.options.rules,
        this,
        (line) => outbox.push(line),
        Date.now(),
      ),
      flush: () => {
        if (outbox.length === 0 || !this.peers.has(peer)) return;
        const text = `${outbox.join('\n')}\n`;
        outbox.length = 0;
        if (!io.write(text))
          peer.close(`does not read what the pool sends (over ${this.options.limits.maxOutputBytes} bytes waiting)`);
      },
      close: (reason) => {
        if (!this.peers.delete(peer)) return;
        const left = (this.perAddress.get(address) ?? 1) - 1;
        if (left > 0) this.perAddress.set(address, left);
        else this.perAddress.delete(address);
        for (const worker of peer.connection.authorizedWorkers) this.board.disconnected(worker, Date.now());
        if (!reason.startsWith('the miner closed') && reason !== 'the pool is stopping')
          this.options.log({ type: 'dropped', peer: name, reason });
        io.end();
      },
    };
    this.peers.add(peer);
    this.perAddress.set(address, (this.perAddress.get(address) ?? 0) + 1);
    return peer;
  }

  private countBytes(peer: Peer, bytes: number): void {
    if (!this.peers.has(peer)) return;
    const now = Date.now();
    this.handle(peer, peer.connection.received(bytes, now), now);
  }

  private receive(peer: Peer, line: string): void {
    const now = Date.now();
    this.handle(peer, peer.connection.receive(line, now), now);
  }

  private handle(peer: Peer, events: PoolEvent[], now: number): void {
    let drop: string | undefined;
    for (const event of events) {
      switch (event.type) {
        case 'subscribed':
          peer.userAgent = printable(event.userAgent);
          break;
        case 'authorized':
          this.board.connected(event.worker, now, peer.browser);
          this.board.difficulty([event.worker], peer.connection.difficulty);
          this.options.log({ type: 'authorized', peer: peer.name, worker: event.worker, userAgent: peer.userAgent });
          break;
        case 'accepted':
          // On disk before the miner hears "accepted": the flush below comes after.
          this.options.ledger.share(event.worker, event.difficulty, now);
          this.board.accepted(event.worker, event.difficulty, event.hashDifficulty, now);
          this.options.log({
            type: 'share',
            peer: peer.name,
            worker: event.worker,
            accepted: true,
            difficulty: event.difficulty,
            hashDifficulty: event.hashDifficulty,
            hash: event.hash,
          });
          if (event.block) this.foundBlock(event.worker, event.block, event.hash);
          break;
        case 'rejected':
          this.board.rejected(event.worker, event.code);
          this.options.log({
            type: 'share',
            peer: peer.name,
            worker: event.worker,
            accepted: false,
            code: event.code,
            reason: event.reason,
          });
          break;
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

  private foundBlock(
    finder: string,
    found: { job: PoolJob; header: Uint8Array; coinbase: Uint8Array },
    hash: string,
  ): void {
    const { job, header, coinbase } = found;
    this.solvedPrevHash = job.template.prevHash;
    this.blockChain = this.blockChain.then(async () => {
      const block = blockFromShare(job, header, coinbase);
      let file: string | null = null;
      try {
        // Whole on disk before it is appended or sent: a crash from here on loses nothing.
        file = saveFoundBlock(this.options.datadir, {
          source: `pool ${this.options.feed.display}`,
          height: job.template.height,
          hash,
          header: bytesToHex(header),
          block: bytesToHex(block),
        });
      } catch (error) {
        this.options.log({ type: 'warning', message: `${errorMessage(error)}; submitting the block anyway` });
      }
      // Its split on disk before the chain has it: a crash between the two is settled at the next start.
      const pending = this.options.ledger.found({
        height: job.template.height,
        hash: hashToDisplayHex(headerHash(header)),
        finder,
        time: Date.now(),
        reward: job.template.reward.toString(),
        networkDifficulty: job.networkDifficulty,
      });
      let verdict;
      try {
        verdict = await this.options.feed.submit(block);
      } catch (error) {
        verdict = { accepted: false, reason: errorMessage(error) };
      }
      const record = this.options.ledger.settle(pending, verdict);
      this.options.log({ ...record, file });
      this.streams.broadcast(eventFrame('block', record));
      if (verdict.accepted && !this.stop.signal.aborted) {
        const next = await this.options.feed.current();
        if (next && !bytesEqual(next.prevHash, this.job?.template.prevHash ?? new Uint8Array(0))) this.setJob(next);
      }
    });
    this.blockChain = this.blockChain.catch((error: Error) =>
      this.options.log({ type: 'warning', message: `a block: ${error.message}` }),
    );
  }

  private tick(): void {
    const now = Date.now();
    for (const peer of [...this.peers]) this.handle(peer, peer.connection.tick(now), now);
    this.options.ledger.sync();
    if (++this.ticks % SNAPSHOT_EVERY_TICKS === 0 && this.streams.open.size > 0)
      this.streams.broadcast(eventFrame('status', this.snapshot(now)));
  }

  private onRequest(request: IncomingMessage, response: ServerResponse, app: WebAppFiles): void {
    if (!this.addressedHere(request.headers.host))
      return sendJson(response, 403, { error: 'this pool page answers only requests addressed to this machine' });
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return sendJson(response, 405, { error: `${request.method} is not allowed` });
    }
    const path = (request.url ?? '/').split('?')[0];
    try {
      if (path === '/api/pool') {
        const viewer = new URLSearchParams((request.url ?? '').split('?')[1] ?? '').get('worker') ?? undefined;
        return sendJson(response, 200, this.snapshot(Date.now(), viewer));
      }
      if (path === '/api/events')
        return this.streams.add(response, eventFrame('status', this.snapshot()), request.method === 'HEAD');
      const file = app.get(path === '/' ? '/index.html' : path);
      if (file)
        return sendWebAppFile(response, 200, file.type, file.body, request.method === 'HEAD', {
          [POOL_PAGE_HEADER]: '1',
        });
      sendJson(response, 404, { error: 'no such page' });
    } catch (error) {
      if (response.headersSent) response.destroy();
      else sendJson(response, 500, { error: errorMessage(error) });
    }
  }
}

/**
 * A browser names the page whose script opens a WebSocket in Origin, and lets any page open one to
 * any server: the pool takes it from its own page (same scheme, host and port as the request is
 * addressed to) or from a program, which sends no Origin.
 */
function fromOwnPage(origin: string | undefined, host: string): boolean {
  if (origin === undefined) return true;
  try {
    const from = new URL(origin);
    return from.protocol === 'http:' && from.host === new URL(`http://${host}`).host;
  } catch {
    return false;
  }
}
