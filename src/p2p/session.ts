/**
 * One peer's protocol session with no I/O: bytes in, events out (src/stratum/session.ts's shape).
 * It owns the framing and the handshake of the developer reference
 * (https://developer.bitcoin.org/reference/p2p_networking.html#version): each side sends `version`,
 * answers the other's with `verack`, and only then is anything else spoken; `ping` is answered with
 * `pong`; `sendheaders` (BIP 130) asks for new blocks to be announced by `headers` rather than `inv`.
 * Every other message, pings and unknown commands too, is handed up as it is, to the node, which knows
 * the chain and meters what each peer sends.
 */
import {
  decodePayload,
  encodeMessage,
  FrameReader,
  ipv4Mapped,
  PROTOCOL_VERSION,
  SERVICES,
  WireError,
} from './wire.js';
import type { Message } from './wire.js';

/** Below 70001 a peer knows no BIP 37 relay flag; below 31800 no getheaders. powlab asks for BIP 130's 70012. */
export const MIN_PEER_VERSION = 70012;
const USER_AGENT = '/powlab:0.1.0/';

export interface SessionOptions {
  magic: Uint8Array;
  /** We opened the connection: we speak first. */
  outbound: boolean;
  /** Our random nonce: a version carrying it back is a connection to ourselves. */
  nonce: bigint;
  /** Our tip's height when the connection opens. */
  startHeight: number;
  /** Seconds since 1970, for the version's timestamp. */
  now: () => number;
}

/** What the peer said about itself in its version. */
export interface PeerInfo {
  version: number;
  services: bigint;
  userAgent: string;
  startHeight: number;
}

export type PeerEvent =
  /** Bytes to write to the socket. */
  | { type: 'send'; bytes: Uint8Array }
  /** The handshake is done both ways. */
  | { type: 'ready'; peer: PeerInfo }
  /** A message for the node, after the handshake. */
  | { type: 'message'; message: Exclude<Message, { command: 'version' | 'verack' }> }
  /** The peer broke the protocol: close the connection. */
  | { type: 'drop'; reason: string; code: string };

export class PeerSession {
  private readonly frames: FrameReader;
  private versionSent = false;
  private peer?: PeerInfo;
  private verackReceived = false;
  private dropped = false;
  /** BIP 130: the peer asked for headers announcements. */
  prefersHeaders = false;

  constructor(private readonly options: SessionOptions) {
    this.frames = new FrameReader(options.magic);
  }

  get outbound(): boolean {
    return this.options.outbound;
  }

  get ready(): boolean {
    return this.peer !== undefined && this.verackReceived;
  }

  get info(): PeerInfo | undefined {
    return this.peer;
  }

  /** What an outbound connection sends first; nothing for an inbound one. */
  start(): PeerEvent[] {
    return this.options.outbound ? [this.versionEvent()] : [];
  }

  /** Frame a message for this peer. */
  send(message: Message): PeerEvent {
    return { type: 'send', bytes: encodeMessage(this.options.magic, message) };
  }

  receive(bytes: Uint8Array): PeerEvent[] {
    if (this.dropped) return [];
    const events: PeerEvent[] = [];
    try {
      for (const frame of this.frames.push(bytes)) {
        const message = decodePayload(frame.command, frame.payload);
        this.handle(message, events);
        if (this.dropped) break;
      }
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      this.drop(events, error.code, error.message);
    }
    return events;
  }

  private drop(events: PeerEvent[], code: string, reason: string): void {
    this.dropped = true;
    events.push({ type: 'drop', code, reason });
  }

  private handle(message: Message, events: PeerEvent[]): void {
    if (message.command === 'version') {
      if (this.peer) return this.drop(events, 'duplicate-version', 'sent version twice');
      if (message.nonce === this.options.nonce) return this.drop(events, 'self', 'connected to itself');
      if (message.version < MIN_PEER_VERSION)
        return this.drop(events, 'old-version', `protocol ${message.version} is older than ${MIN_PEER_VERSION}`);
      this.peer = {
        version: message.version,
        services: message.services,
        userAgent: message.userAgent,
        startHeight: message.startHeight,
      };
      if (!this.versionSent) events.push(this.versionEvent());
      events.push(this.send({ command: 'verack' }));
      return this.readyIfDone(events);
    }
    if (!this.peer) return this.drop(events, 'no-version', `sent ${commandName(message)} before version`);
    if (message.command === 'verack') {
      if (this.verackReceived) return;
      this.verackReceived = true;
      return this.readyIfDone(events);
    }
    if (!this.verackReceived) return; // Core ignores what comes between version and verack (BIP 339's wtxidrelay, sendaddrv2).
    switch (message.command) {
      case 'ping':
        events.push(this.send({ command: 'pong', nonce: message.nonce }));
        events.push({ type: 'message', message });
        return;
      case 'sendheaders':
        this.prefersHeaders = true;
        return;
      default:
        events.push({ type: 'message', message });
    }
  }

  private readyIfDone(events: PeerEvent[]): void {
    if (!this.ready || !this.peer) return;
    events.push({ type: 'ready', peer: this.peer });
    events.push(this.send({ command: 'sendheaders' }));
  }

  private versionEvent(): PeerEvent {
    this.versionSent = true;
    const nowhere = { services: 0n, ip: ipv4Mapped('0.0.0.0'), port: 0 };
    return this.send({
      command: 'version',
      version: PROTOCOL_VERSION,
      services: SERVICES,
      timestamp: BigInt(this.options.now()),
      receiver: nowhere,
      sender: nowhere,
      nonce: this.options.nonce,
      userAgent: USER_AGENT,
      startHeight: this.options.startHeight,
      relay: false,
    });
  }
}

function commandName(message: Message): string {
  return message.command === 'other' ? message.name : message.command;
}
