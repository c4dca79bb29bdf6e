/** The per-peer session from transcripts: the handshake both ways, ping, and a peer that breaks the protocol. */
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../src/core/bytes.js';
import { REGTEST } from '../../src/core/params.js';
import { PeerSession, type PeerEvent } from '../../src/p2p/session.js';
import { decodePayload, encodeMessage, FrameReader, ipv4Mapped, type Message } from '../../src/p2p/wire.js';

const magic = REGTEST.messageStart;
const frame = (message: Message) => encodeMessage(magic, message);
/** A command powlab does not speak, with an empty payload (whose checksum any empty message shares). */
function unknownFrame(name: string): Uint8Array {
  const bytes = frame({ command: 'verack' });
  bytes.set(new TextEncoder().encode(name.padEnd(12, '\0')), 4);
  return bytes;
}
const nowhere = { services: 0n, ip: ipv4Mapped('127.0.0.1'), port: 0 };
const theirVersion = (version = 70016, nonce = 42n) =>
  frame({
    command: 'version',
    version,
    services: 9n,
    timestamp: 1_700_000_000n,
    receiver: nowhere,
    sender: nowhere,
    nonce,
    userAgent: '/Satoshi:27.0.0/',
    startHeight: 7,
    relay: true,
  });

function session(outbound: boolean): PeerSession {
  return new PeerSession({ magic, outbound, nonce: 1n, startHeight: 0, now: () => 1_700_000_000 });
}

/** What the session wrote, as commands, and the other events by type. */
function read(events: PeerEvent[]): string[] {
  const frames = new FrameReader(magic);
  return events.flatMap((event) =>
    event.type === 'send'
      ? frames.push(event.bytes).map((m) => `send ${m.command}`)
      : [
          event.type === 'message'
            ? `message ${event.message.command}`
            : event.type === 'drop'
              ? `drop ${event.code}`
              : event.type,
        ],
  );
}

describe('the peer session', () => {
  it('outbound: sends version first, answers the peer’s version with verack, is ready after its verack', () => {
    const peer = session(true);
    expect(read(peer.start())).toEqual(['send version']);
    expect(read(peer.receive(theirVersion()))).toEqual(['send verack']);
    expect(peer.ready).toBe(false);
    expect(read(peer.receive(frame({ command: 'verack' })))).toEqual(['ready', 'send sendheaders']);
    expect(peer.info).toMatchObject({ version: 70016, startHeight: 7, userAgent: '/Satoshi:27.0.0/' });
  });

  it('inbound: says nothing first, answers version with version and verack', () => {
    const peer = session(false);
    expect(peer.start()).toEqual([]);
    expect(read(peer.receive(concatBytes(theirVersion(), frame({ command: 'verack' }))))).toEqual([
      'send version',
      'send verack',
      'ready',
      'send sendheaders',
    ]);
  });

  it('answers ping with the same nonce, notes sendheaders (BIP 130), hands the rest, pings and unknowns too, to the node', () => {
    const peer = session(false);
    peer.receive(concatBytes(theirVersion(), frame({ command: 'verack' })));
    const events = peer.receive(
      concatBytes(
        frame({ command: 'ping', nonce: 99n }),
        frame({ command: 'sendheaders' }),
        frame({ command: 'getaddr' }),
        unknownFrame('mystery'),
      ),
    );
    expect(read(events)).toEqual(['send pong', 'message ping', 'message getaddr', 'message other']);
    const pong = events[0];
    if (pong.type !== 'send') throw new Error('no pong');
    expect(decodePayload('pong', pong.bytes.subarray(24))).toEqual({ command: 'pong', nonce: 99n });
    expect(peer.prefersHeaders).toBe(true);
  });

  const hostile: [string, () => Uint8Array, string][] = [
    ['a message before version', () => frame({ command: 'getaddr' }), 'no-version'],
    ['a version older than BIP 130', () => theirVersion(70001), 'old-version'],
    ['our own nonce (a connection to itself)', () => theirVersion(70016, 1n), 'self'],
    ['wrong magic', () => encodeMessage(Uint8Array.of(1, 2, 3, 4), { command: 'verack' }), 'bad-magic'],
  ];
  it.each(hostile)('drops a peer that sends %s, and reads nothing after', (_name, bytes, code) => {
    const peer = session(false);
    expect(read(peer.receive(bytes()))).toEqual([`drop ${code}`]);
    expect(peer.receive(theirVersion())).toEqual([]);
  });
});
