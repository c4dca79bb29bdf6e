/**
 * A P2P node over the chain store: sockets at the edge, one PeerSession per peer, and the chain logic
 * between them. Headers-first sync as the developer reference describes it
 * (https://developer.bitcoin.org/devguide/p2p_network.html#headers-first): `getheaders` with a block
 * locator, `headers` back (2000 at most), `getdata` for the blocks, each block validated by the store
 * before it is kept or relayed. New blocks go to every peer, as `headers` to those that sent
 * `sendheaders` (BIP 130), as `inv` to the rest.
 */
import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { BlockRefusedError } from '../chain/rules.js';
import type { TreeBlock, Reorg } from '../chain/tree.js';
import { hashToDisplayHex, headerHash, parseHeader, serializeHeader } from '../core/header.js';
import { bitsToTarget, hashMeetsTarget } from '../core/target.js';
import { parseBlock } from '../core/block.js';
import { errorMessage } from '../errors.js';
import { Emitter } from '../events.js';
import { scanStore, type ChainStore } from '../sources/chain-store.js';
import { PeerSession, type PeerEvent } from './session.js';
import { activeAfter, blockLocator } from './chain-replies.js';
import { AddressBook } from './addresses.js';
import { INV_BURST, MAX_BLOCKS_IN_FLIGHT, newPeer, PINGS_PER_SECOND, UNSOLICITED_BLOCKS, type Peer } from './peer.js';
import { BAN_MS, Misbehaviour, PENALTY, penaltyFor, penaltyForUnknown } from './misbehaviour.js';
import {
  MAX_GETBLOCKS_INV,
  MAX_HEADERS,
  MSG_BLOCK,
  PROTOCOL_VERSION,
  MSG_WITNESS_BLOCK,
  type InvItem,
  type Message,
} from './wire.js';

/** More than this many peers at once are turned away (Bitcoin Core's default -maxconnections). */
const MAX_PEERS = 125;
/** A peer that has not finished the handshake within this is dropped (idle connections hold a slot). */
const HANDSHAKE_MS = 10_000;
export interface NodeEvents {
  /** `refused`: a banned address turned away at accept. */
  peer: [{ event: 'connect' | 'disconnect' | 'refused'; peer: string; reason?: string }];
  /** A block this node did not have, now stored. */
  block: [{ from: string; block: TreeBlock }];
  reorg: [Reorg];
  /** The active tip moved (a block from a peer): miners should move to it. `receivedAt`: when its bytes were whole (performance.now()). */
  tip: [TreeBlock, number];
}

export class P2PNode extends Emitter<NodeEvents> {
  private readonly peers = new Set<Peer>();
  /** Every block's bytes by id, to answer getdata: a classroom's chain of small blocks fits in memory. */
  private readonly blockBytes = new Map<string, Uint8Array>();
  private readonly nonce = randomBytes(8).readBigUInt64LE();
  private readonly misbehaviour = new Misbehaviour();
  private readonly addresses = new AddressBook();
  private server?: Server;
  /** Blocks go to the store one at a time, in arrival order. */
  private queue: Promise<void> = Promise.resolve();
  private syncWaiters: (() => void)[] = [];
  /** When a peer last gave this node a block it did not have (ms since 1970). */
  private lastReceived = Date.now();

  constructor(private readonly store: ChainStore) {
    super();
    const scan = scanStore(store.storage.bytes(), store.params);
    const bytes = store.storage.bytes();
    for (const [id, at] of scan.locations) this.blockBytes.set(id, bytes.subarray(at.offset, at.offset + at.length));
  }

  get magic(): Uint8Array {
    return this.store.params.messageStart;
  }

  /** Listen on host:port; resolves with the port bound (port 0 picks a free one). */
  listen(host: string, port: number): Promise<number> {
    const server = createServer((socket) => {
      if (this.peers.size >= MAX_PEERS) return void socket.destroy();
      const name = `${socket.remoteAddress}:${socket.remotePort}`;
      if (this.misbehaviour.banned(socket.remoteAddress ?? '')) {
        socket.destroy();
        return void this.emit('peer', { event: 'refused', peer: name, reason: 'banned' });
      }
      this.attach(socket, name, socket.remoteAddress ?? '', false);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve((server.address() as { port: number }).port);
      });
    });
  }

  /** Open a connection to host:port; a failure is reported as a disconnect. */
  connect(host: string, port: number): void {
    const socket = createConnection({ host, port });
    this.addresses.dialled(host, port, Math.floor(Date.now() / 1000));
    this.attach(socket, `${host}:${port}`, host, true);
  }

  /** The addresses peers told this node of, as host:port. */
  get learnedAddresses(): string[] {
    return this.addresses.learned;
  }

  /** Resolves when every peer is through its first sync (headers done, blocks in) or gone. */
  synced(): Promise<void> {
    if (this.allSynced()) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  private allSynced(): boolean {
    for (const peer of this.peers) if (!peer.headersDone || peer.requested.size > 0) return false;
    return true;
  }

  private checkSynced(): void {
    if (!this.allSynced()) return;
    for (const resolve of this.syncWaiters.splice(0)) resolve();
  }

  private attach(socket: Socket, name: string, address: string, outbound: boolean): void {
    const session = new PeerSession({
      magic: this.magic,
      outbound,
      nonce: this.nonce,
      startHeight: this.store.height,
      now: () => Math.floor(Date.now() / 1000),
    });
    const peer: Peer = newPeer(name, address, socket, session, () =>
      setTimeout(() => this.drop(peer, 'no handshake within 10 s'), HANDSHAKE_MS),
    );
    this.peers.add(peer);
    let reason = 'closed by the peer';
    socket.on('error', (error) => (reason = error.message));
    socket.on('close', () => {
      clearTimeout(peer.handshakeTimer);
      if (!this.peers.delete(peer)) return;
      for (const resolve of peer.pings.values()) resolve();
      this.emit('peer', { event: 'disconnect', peer: name, reason: peer.dropReason ?? reason });
      this.checkSynced();
    });
    socket.on('data', (data: Buffer) => this.handleEvents(peer, session.receive(new Uint8Array(data))));
    const start = () => this.handleEvents(peer, session.start());
    if (outbound) socket.once('connect', start);
    else start();
  }

  private drop(peer: Peer, reason: string): void {
    peer.dropReason ??= reason;
    peer.socket.destroy();
  }

  /** Score the peer's address; a ban drops it, and so does `drop` below the ban. */
  private punish(peer: Peer, points: number, reason: string, drop = false): void {
    if (this.misbehaviour.add(peer.address, points)) this.drop(peer, `${reason}; banned for ${BAN_MS / 60_000} min`);
    else if (drop) this.drop(peer, reason);
  }

  private send(peer: Peer, message: Message): void {
    const event = peer.session.send(message);
    if (event.type === 'send' && !peer.socket.destroyed) peer.socket.write(event.bytes);
  }

  private handleEvents(peer: Peer, events: PeerEvent[]): void {
    for (const event of events) {
      if (event.type === 'send') {
        if (!peer.socket.destroyed) peer.socket.write(event.bytes);
      } else if (event.type === 'drop') {
        this.punish(peer, penaltyFor(event.code), `${event.code}: ${event.reason}`, true);
      } else if (event.type === 'ready') {
        clearTimeout(peer.handshakeTimer);
        this.emit('peer', { event: 'connect', peer: peer.name });
        this.askHeaders(peer);
        if (peer.session.outbound) this.send(peer, { command: 'getaddr' });
      } else {
        this.handleMessage(peer, event.message);
      }
    }
  }

  private askHeaders(peer: Peer, from?: Uint8Array): void {
    this.send(peer, {
      command: 'getheaders',
      version: PROTOCOL_VERSION,
      locator: from ? [from, ...blockLocator(this.store.tree)] : blockLocator(this.store.tree),
      stop: new Uint8Array(32),
    });
  }

  private blockType(peer: Peer): number {
    return peer.session.info && peer.session.info.services & 8n ? MSG_WITNESS_BLOCK : MSG_BLOCK;
  }

  private handleMessage(peer: Peer, message: Extract<PeerEvent, { type: 'message' }>['message']): void {
    switch (message.command) {
      case 'headers':
        return this.handleHeaders(peer, message.headers);
      case 'inv': {
        if (!peer.invAllowance.take(message.items.length))
          return this.punish(peer, PENALTY.flood, `inv-flood: more than ${INV_BURST} items at once`);
        const unknown = message.items.filter(
          (item) => isBlockType(item.type) && !this.store.tree.get(hashToDisplayHex(item.hash)),
        );
        if (unknown.length) this.askHeaders(peer);
        return;
      }
      case 'getheaders':
        return this.answerGetHeaders(peer, message.locator, message.stop);
      case 'getblocks':
        return this.answerGetBlocks(peer, message.locator, message.stop);
      case 'getdata':
        return this.answerGetData(peer, message.items);
      case 'block':
        return this.receiveBlock(peer, message.block);
      case 'getaddr':
        this.send(peer, { command: 'addr', addresses: this.addresses.forPeer(peer.name) });
        return;
      case 'addr':
        return this.addresses.learn(message.addresses);
      case 'ping':
        if (!peer.pingAllowance.take())
          this.punish(peer, PENALTY.flood, `ping-flood: more than ${PINGS_PER_SECOND} ping a second`);
        return;
      case 'other':
        return this.punish(peer, penaltyForUnknown(message.name), `unknown: ${message.name}`);
      case 'pong':
        peer.pings.get(message.nonce)?.();
        peer.pings.delete(message.nonce);
        return;
      default:
        return;
    }
  }

  private handleHeaders(peer: Peer, headers: Uint8Array[]): void {
    const wanted: InvItem[] = [];
    const limit = bitsToTarget(this.store.params.powLimitBits);
    let last: Uint8Array | undefined;
    for (const bytes of headers) {
      const header = parseHeader(bytes);
      const hash = headerHash(bytes);
      const target = bitsToTarget(header.bits);
      // Nothing a peer says is trusted before it is checked: a header's work is checked before its block is asked for.
      if (target > limit || !hashMeetsTarget(hash, target))
        return this.punish(peer, PENALTY.invalid, `bad-pow: header ${hashToDisplayHex(hash)} does not meet its target`);
      last = hash;
      const id = hashToDisplayHex(hash);
      if (this.store.tree.get(id) || peer.requested.has(id)) continue;
      if (peer.requested.size >= MAX_BLOCKS_IN_FLIGHT) {
        peer.headersPending = true;
        break;
      }
      peer.requested.add(id);
      wanted.push({ type: this.blockType(peer), hash });
    }
    if (wanted.length) this.send(peer, { command: 'getdata', items: wanted });
    if (peer.headersPending) peer.headersDone = false;
    else if (headers.length === MAX_HEADERS && last) this.askHeaders(peer, last);
    else peer.headersDone = true;
    this.checkSynced();
  }

  /** A block this node holds whole: every block it stored or announced, none it mined and holds back. */
  private readonly shown = (block: TreeBlock) => this.blockBytes.has(block.id);

  private answerGetHeaders(peer: Peer, locator: Uint8Array[], stop: Uint8Array): void {
    const blocks = activeAfter(this.store.tree, locator, stop, MAX_HEADERS, this.shown);
    this.send(peer, { command: 'headers', headers: blocks.map((block) => serializeHeader(block.header)) });
  }

  /** getblocks is answered by an inv of the blocks after the fork point; the peer then asks for them. */
  private answerGetBlocks(peer: Peer, locator: Uint8Array[], stop: Uint8Array): void {
    const blocks = activeAfter(this.store.tree, locator, stop, MAX_GETBLOCKS_INV, this.shown);
    if (blocks.length)
      this.send(peer, { command: 'inv', items: blocks.map((block) => ({ type: MSG_BLOCK, hash: block.hash })) });
  }

  private answerGetData(peer: Peer, items: InvItem[]): void {
    const missing: InvItem[] = [];
    for (const item of items) {
      const block = isBlockType(item.type) ? this.blockBytes.get(hashToDisplayHex(item.hash)) : undefined;
      if (block) this.send(peer, { command: 'block', block });
      else missing.push(item);
    }
    if (missing.length) this.send(peer, { command: 'notfound', items: missing });
  }

  private receiveBlock(peer: Peer, bytes: Uint8Array): void {
    const id = hashToDisplayHex(headerHash(bytes.subarray(0, 80)));
    // Only blocks asked for are queued freely: anything else is a push the peer pays for past a small allowance.
    const asked = peer.requested.has(id) && !peer.arriving.has(id);
    if (!asked && ++peer.unsolicitedBlocks > UNSOLICITED_BLOCKS)
      return this.punish(peer, PENALTY.flood, `unsolicited-block: ${id} was not asked for`);
    try {
      parseBlock(bytes);
    } catch (error) {
      return this.punish(peer, PENALTY.invalid, `bad-block: ${errorMessage(error)}`);
    }
    peer.arriving.add(id);
    const receivedAt = performance.now();
    this.queue = this.queue.then(() => this.storeBlock(peer, id, bytes, receivedAt));
  }

  private async storeBlock(peer: Peer, id: string, bytes: Uint8Array, receivedAt: number): Promise<void> {
    try {
      const appended = await this.store.append(bytes);
      if (!appended.duplicate) {
        this.blockBytes.set(id, bytes);
        this.lastReceived = Date.now();
        this.emit('block', { from: peer.name, block: appended.block });
        if (appended.reorg) this.emit('reorg', appended.reorg);
        this.announce(appended.block, peer);
        if (appended.active) this.emit('tip', appended.block, receivedAt);
      }
    } catch (error) {
      if (error instanceof BlockRefusedError && error.rule === 'prev-blk-not-found') this.askHeaders(peer);
      else this.punish(peer, PENALTY.invalid, `bad-block: ${errorMessage(error)}`);
    }
    // Asked-for blocks count as in only once stored, so that a finished sync means a stored chain.
    peer.requested.delete(id);
    peer.arriving.delete(id);
    if (peer.headersPending && peer.requested.size === 0) {
      peer.headersPending = false;
      this.askHeaders(peer);
    }
    this.checkSynced();
  }

  /** A block this node mined, already in the store: tell every peer (its parent must be public by then). */
  mined(block: TreeBlock, bytes: Uint8Array): void {
    this.blockBytes.set(block.id, bytes);
    this.emit('block', { from: 'self', block });
    this.announce(block);
  }

  private announce(block: TreeBlock, except?: Peer): void {
    const bytes = this.blockBytes.get(block.id);
    if (!bytes) return;
    for (const peer of this.peers) {
      if (peer === except || !peer.session.ready) continue;
      if (peer.session.prefersHeaders) this.send(peer, { command: 'headers', headers: [bytes.subarray(0, 80)] });
      else this.send(peer, { command: 'inv', items: [{ type: MSG_BLOCK, hash: block.hash }] });
    }
  }

  /**
   * Two ping round trips with every peer: a peer handles messages in order, so after the first it has
   * asked for what was announced, and after the second it has handled the blocks sent.
   */
  async settle(timeoutMs = 5_000): Promise<void> {
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    const roundTrip = () =>
      Promise.all(
        [...this.peers]
          .filter((peer) => peer.session.ready)
          .map((peer) => {
            const nonce = randomBytes(8).readBigUInt64LE();
            const answered = new Promise<void>((resolve) => peer.pings.set(nonce, resolve));
            this.send(peer, { command: 'ping', nonce });
            return answered;
          }),
      );
    await Promise.race([
      roundTrip()
        .then(roundTrip)
        .then(() => this.queue),
      deadline,
    ]);
  }

  /**
   * Keep relaying until no peer has sent a new block for `quietMs` (at most `maxMs`): peers that stop
   * mining a moment later than this node still get to hand over their last blocks.
   */
  async quiet(quietMs: number, maxMs: number): Promise<void> {
    const end = Date.now() + maxMs;
    for (;;) {
      const wait = Math.min(quietMs - (Date.now() - this.lastReceived), end - Date.now());
      if (wait <= 0 || this.peers.size === 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async close(): Promise<void> {
    const closed = [...this.peers].map((peer) => new Promise((resolve) => peer.socket.once('close', resolve)));
    for (const peer of this.peers) this.drop(peer, 'node stopping');
    await Promise.all(closed);
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.queue;
  }
}

function isBlockType(type: number): boolean {
  return type === MSG_BLOCK || type === MSG_WITNESS_BLOCK;
}
