/**
 * The Bitcoin P2P wire format, from the developer reference
 * (https://developer.bitcoin.org/reference/p2p_networking.html): every message is
 *   magic (4, the network's pchMessageStart) | command (12, ASCII, NUL-padded) | length (u32 LE)
 *   | checksum (first 4 bytes of sha256d(payload)) | payload
 * and the payloads of the messages powlab speaks. Pure: bytes in, values out; nothing here trusts a
 * length before checking it against a cap.
 */
import { bytesEqual, concatBytes, readUint32LE, uint32LE } from '../core/bytes.js';
import { ByteReader, compactSize } from '../core/encoding.js';
import { HEADER_BYTES } from '../core/header.js';
import { sha256d } from '../core/sha256.js';

export const FRAME_BYTES = 24;
/** Bitcoin Core's MAX_PROTOCOL_MESSAGE_LENGTH is 4 MB; blocks with witnesses need up to 4 MB too. 32 MiB is bitcoind's old MAX_SIZE: no payload is ever larger. */
export const MAX_PAYLOAD = 32 * 1024 * 1024;
/** A block's payload: Core's MAX_BLOCK_SERIALIZED_SIZE. */
const MAX_BLOCK_PAYLOAD = 4_000_000;
/** getheaders/headers: at most 2000 headers per message (Core's MAX_HEADERS_RESULTS). */
export const MAX_HEADERS = 2000;
/** getblocks is answered with at most 500 block hashes (Core's limit in ProcessGetBlocks). */
export const MAX_GETBLOCKS_INV = 500;
/** inv, getdata, notfound: at most 50 000 entries (Core's MAX_INV_SZ). */
export const MAX_INV = 50_000;
/** addr: at most 1000 addresses (Core's MAX_ADDR_TO_SEND). */
export const MAX_ADDR = 1000;
/** A block locator is never longer than about 10 + log2(height) hashes; Core refuses over 101 (MAX_LOCATOR_SZ). */
export const MAX_LOCATOR = 101;

/** The protocol version powlab speaks: 70016 (BIP 339's wtxid relay level; powlab relays no transactions). */
export const PROTOCOL_VERSION = 70016;
/** NODE_NETWORK (serves the whole chain) | NODE_WITNESS (BIP 144): what a full node that serves blocks says. */
export const SERVICES = 1n | 8n;

/** Inventory types (the reference's "Inventory" table); MSG_WITNESS_BLOCK is BIP 144's. */
export const MSG_BLOCK = 2;
export const MSG_WITNESS_BLOCK = 0x40000002;

/** The payload caps by command; a command not named here takes none bigger than a version message. */
const PAYLOAD_CAP: Record<string, number> = {
  block: MAX_BLOCK_PAYLOAD,
  headers: 9 + MAX_HEADERS * (HEADER_BYTES + 1),
  getheaders: 4 + 9 + (MAX_LOCATOR + 1) * 32,
  getblocks: 4 + 9 + (MAX_LOCATOR + 1) * 32,
  inv: 9 + MAX_INV * 36,
  getdata: 9 + MAX_INV * 36,
  notfound: 9 + MAX_INV * 36,
  addr: 9 + MAX_ADDR * 30,
};
const SMALL_PAYLOAD_CAP = 1024;

export function payloadCap(command: string): number {
  return PAYLOAD_CAP[command] ?? SMALL_PAYLOAD_CAP;
}

export interface NetAddress {
  services: bigint;
  /** IPv6, or IPv4 mapped into it (::ffff:a.b.c.d). */
  ip: Uint8Array;
  port: number;
}

export interface InvItem {
  type: number;
  /** Internal byte order. */
  hash: Uint8Array;
}

/** Every message powlab reads or writes; anything else is read as `other` and ignored. */
export type Message =
  | {
      command: 'version';
      version: number;
      services: bigint;
      timestamp: bigint;
      receiver: NetAddress;
      sender: NetAddress;
      nonce: bigint;
      userAgent: string;
      startHeight: number;
      relay: boolean;
    }
  | { command: 'verack' | 'sendheaders' | 'getaddr' }
  | { command: 'ping' | 'pong'; nonce: bigint }
  /** getblocks (the older blocks-first sync, still what bcoin sends without checkpoints) has getheaders' layout. */
  | { command: 'getheaders' | 'getblocks'; version: number; locator: Uint8Array[]; stop: Uint8Array }
  | { command: 'headers'; headers: Uint8Array[] }
  | { command: 'inv' | 'getdata' | 'notfound'; items: InvItem[] }
  | { command: 'block'; block: Uint8Array }
  | { command: 'addr'; addresses: (NetAddress & { time: number })[] }
  | { command: 'other'; name: string };

export type WireErrorCode = 'bad-magic' | 'bad-command' | 'oversize' | 'bad-checksum' | 'bad-payload';

/** A peer sent bytes that break the protocol: the peer is dropped, the reason named. */
export class WireError extends Error {
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

const text = new TextEncoder();

function uint64LE(value: bigint): Uint8Array {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
  return bytes;
}

function varStr(value: string): Uint8Array {
  const bytes = text.encode(value);
  return concatBytes(compactSize(bytes.length), bytes);
}

function netAddress(address: NetAddress): Uint8Array {
  const port = Uint8Array.of(address.port >> 8, address.port & 0xff); // the port alone is big-endian
  return concatBytes(uint64LE(address.services), address.ip, port);
}

function readNetAddress(reader: ByteReader): NetAddress {
  const services = reader.uint64();
  const ip = reader.take(16).slice();
  const port = reader.take(2);
  return { services, ip, port: (port[0] << 8) | port[1] };
}

/** 127.0.0.1 as an IPv4-mapped IPv6 address, and the like. */
export function ipv4Mapped(ipv4: string): Uint8Array {
  const parts = ipv4.split('.').map(Number);
  const ip = new Uint8Array(16);
  ip[10] = 0xff;
  ip[11] = 0xff;
  if (parts.length === 4 && parts.every((part) => part >= 0 && part <= 255)) ip.set(parts, 12);
  return ip;
}

function inventory(items: InvItem[]): Uint8Array {
  return concatBytes(compactSize(items.length), ...items.flatMap((item) => [uint32LE(item.type), item.hash]));
}

export function encodePayload(message: Message): Uint8Array {
  switch (message.command) {
    case 'version': {
      const version = new Uint8Array(4);
      new DataView(version.buffer).setInt32(0, message.version, true);
      const height = new Uint8Array(4);
      new DataView(height.buffer).setInt32(0, message.startHeight, true);
      return concatBytes(
        version,
        uint64LE(message.services),
        uint64LE(message.timestamp),
        netAddress(message.receiver),
        netAddress(message.sender),
        uint64LE(message.nonce),
        varStr(message.userAgent),
        height,
        Uint8Array.of(message.relay ? 1 : 0),
      );
    }
    case 'verack':
    case 'sendheaders':
    case 'getaddr':
      return new Uint8Array(0);
    case 'ping':
    case 'pong':
      return uint64LE(message.nonce);
    case 'getheaders':
    case 'getblocks':
      return concatBytes(
        uint32LE(message.version),
        compactSize(message.locator.length),
        ...message.locator,
        message.stop,
      );
    case 'headers':
      // Each header is followed by its transaction count, always 0 here.
      return concatBytes(compactSize(message.headers.length), ...message.headers.flatMap((h) => [h, Uint8Array.of(0)]));
    case 'inv':
    case 'getdata':
    case 'notfound':
      return inventory(message.items);
    case 'block':
      return message.block;
    case 'addr':
      return concatBytes(
        compactSize(message.addresses.length),
        ...message.addresses.flatMap((a) => [uint32LE(a.time), netAddress(a)]),
      );
    case 'other':
      throw new RangeError(`cannot encode ${message.name}`);
  }
}

/** One whole message, framed for the network whose magic is `magic`. */
export function encodeMessage(magic: Uint8Array, message: Message): Uint8Array {
  const payload = encodePayload(message);
  const command = new Uint8Array(12);
  command.set(text.encode(message.command));
  return concatBytes(magic, command, uint32LE(payload.length), sha256d(payload).subarray(0, 4), payload);
}

function count(reader: ByteReader, max: number, what: string): number {
  const n = reader.compactSize();
  if (n > max) throw new WireError('bad-payload', `${what}: ${n} entries, the protocol allows ${max}`);
  return n;
}

function readInventory(reader: ByteReader, what: string): InvItem[] {
  const n = count(reader, MAX_INV, what);
  const items: InvItem[] = [];
  for (let i = 0; i < n; i++) items.push({ type: reader.uint32(), hash: reader.take(32).slice() });
  return items;
}

/** Read one payload; a payload that does not parse throws WireError('bad-payload'). */
export function decodePayload(command: string, payload: Uint8Array): Message {
  const reader = new ByteReader(payload, `${command} message`);
  try {
    switch (command) {
      case 'version': {
        const view = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
        const version = view(reader.take(4)).getInt32(0, true);
        const services = reader.uint64();
        const timestamp = reader.uint64();
        const receiver = readNetAddress(reader);
        const sender = readNetAddress(reader);
        const nonce = reader.uint64();
        const agentBytes = reader.take(count(reader, 256, 'user agent'));
        const startHeight = view(reader.take(4)).getInt32(0, true);
        // BIP 37's relay flag is absent in versions before 70001.
        const relay = reader.remaining > 0 ? reader.uint8() !== 0 : true;
        const userAgent = new TextDecoder().decode(agentBytes);
        return { command, version, services, timestamp, receiver, sender, nonce, userAgent, startHeight, relay };
      }
      case 'verack':
      case 'sendheaders':
      case 'getaddr':
        return { command };
      case 'ping':
      case 'pong':
        return { command, nonce: reader.uint64() };
      case 'getheaders':
      case 'getblocks': {
        const version = reader.uint32();
        const n = count(reader, MAX_LOCATOR, 'locator');
        const locator: Uint8Array[] = [];
        for (let i = 0; i < n; i++) locator.push(reader.take(32).slice());
        return { command, version, locator, stop: reader.take(32).slice() };
      }
      case 'headers': {
        const n = count(reader, MAX_HEADERS, 'headers');
        const headers: Uint8Array[] = [];
        for (let i = 0; i < n; i++) {
          headers.push(reader.take(HEADER_BYTES).slice());
          if (reader.compactSize() !== 0) throw new WireError('bad-payload', 'headers: a header with transactions');
        }
        return { command, headers };
      }
      case 'inv':
      case 'getdata':
      case 'notfound':
        return { command, items: readInventory(reader, command) };
      case 'block':
        return { command, block: payload.slice() };
      case 'addr': {
        const n = count(reader, MAX_ADDR, 'addr');
        const addresses: (NetAddress & { time: number })[] = [];
        for (let i = 0; i < n; i++) {
          const time = reader.uint32();
          addresses.push({ time, ...readNetAddress(reader) });
        }
        return { command, addresses };
      }
      default:
        return { command: 'other', name: command };
    }
  } catch (error) {
    if (error instanceof WireError) throw error;
    throw new WireError('bad-payload', error instanceof Error ? error.message : String(error));
  }
}

/**
 * Cuts a byte stream into messages. Each frame is checked as soon as its 24 bytes are in: the magic,
 * the command's characters, the length against the command's cap (so a peer announcing 4 GB is
 * dropped before a byte of it is buffered), then the checksum once the payload is whole.
 */
export class FrameReader {
  private buffered: Uint8Array = new Uint8Array(0);

  constructor(private readonly magic: Uint8Array) {}

  /** Bytes held for a message not yet whole. */
  get pending(): number {
    return this.buffered.length;
  }

  /** Take bytes; returns every whole message they complete. Throws WireError on the first bad frame. */
  push(bytes: Uint8Array): { command: string; payload: Uint8Array }[] {
    this.buffered = this.buffered.length ? concatBytes(this.buffered, bytes) : bytes;
    const out: { command: string; payload: Uint8Array }[] = [];
    for (;;) {
      if (this.buffered.length < FRAME_BYTES) return out;
      const frame = this.buffered;
      if (!bytesEqual(frame.subarray(0, 4), this.magic))
        throw new WireError('bad-magic', `wrong magic bytes ${hex(frame.subarray(0, 4))}`);
      const command = readCommand(frame.subarray(4, 16));
      const length = readUint32LE(frame, 16);
      const cap = Math.min(payloadCap(command), MAX_PAYLOAD);
      if (length > cap) throw new WireError('oversize', `${command}: payload of ${length} bytes, the cap is ${cap}`);
      if (frame.length < FRAME_BYTES + length) return out;
      const payload = frame.slice(FRAME_BYTES, FRAME_BYTES + length);
      if (!bytesEqual(sha256d(payload).subarray(0, 4), frame.subarray(20, 24)))
        throw new WireError('bad-checksum', `${command}: checksum does not match the payload`);
      out.push({ command, payload });
      this.buffered = frame.subarray(FRAME_BYTES + length);
    }
  }
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The command field: printable ASCII, then only NULs. */
function readCommand(field: Uint8Array): string {
  const end = field.indexOf(0);
  const name = field.subarray(0, end === -1 ? 12 : end);
  const valid =
    name.length > 0 && name.every((c) => c > 0x20 && c < 0x7f) && field.subarray(name.length).every((c) => c === 0);
  if (!valid) throw new WireError('bad-command', `command field ${hex(field)} is not ASCII padded with NULs`);
  return String.fromCharCode(...name);
}
