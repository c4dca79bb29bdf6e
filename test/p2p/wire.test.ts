/**
 * The wire codec against bytes written out by hand from the developer reference's own examples
 * (https://developer.bitcoin.org/reference/p2p_networking.html: "version", "verack") and from the
 * message layouts it gives for the rest.
 */
import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from '../../src/core/bytes.js';
import { serializeHeader } from '../../src/core/header.js';
import { MAINNET, REGTEST } from '../../src/core/params.js';
import {
  decodePayload,
  encodeMessage,
  encodePayload,
  FrameReader,
  MAX_HEADERS,
  WireError,
  type Message,
} from '../../src/p2p/wire.js';

// The reference's example version message (protocol 70002, /Satoshi:0.9.3/, height 329167), field by field.
const VERSION_PAYLOAD = [
  '72110100', // protocol version 70002
  '0100000000000000', // services: NODE_NETWORK
  'bc8f5e5400000000', // time 1415483324
  '0100000000000000' + '00000000000000000000ffffc61b6409' + '208d', // receiver 198.27.100.9:8333
  '0100000000000000' + '00000000000000000000ffffcb0071c0' + '208d', // sender 203.0.113.192:8333
  '128035cbc97953f8', // nonce
  '0f' + '2f5361746f7368693a302e392e332f', // "/Satoshi:0.9.3/"
  'cf050500', // start height 329167
  '01', // relay
].join('');

// The reference's example verack: main-net magic, "verack", length 0, the checksum of nothing.
const VERACK = 'f9beb4d9' + '76657261636b000000000000' + '00000000' + '5df6e0e2';

describe('the wire codec', () => {
  it('reads the reference’s version message field by field and writes it back byte for byte', () => {
    const message = decodePayload('version', hexToBytes(VERSION_PAYLOAD));
    expect(message).toMatchObject({
      command: 'version',
      version: 70002,
      services: 1n,
      timestamp: 1415483324n,
      userAgent: '/Satoshi:0.9.3/',
      startHeight: 329167,
      relay: true,
    });
    if (message.command !== 'version') throw new Error('not a version');
    expect(message.receiver.port).toBe(8333);
    expect(bytesToHex(message.sender.ip.subarray(12))).toBe('cb0071c0');
    expect(bytesToHex(encodePayload(message))).toBe(VERSION_PAYLOAD);
  });

  it('frames the reference’s verack exactly', () => {
    expect(bytesToHex(encodeMessage(MAINNET.messageStart, { command: 'verack' }))).toBe(VERACK);
    expect(new FrameReader(MAINNET.messageStart).push(hexToBytes(VERACK))).toEqual([
      { command: 'verack', payload: new Uint8Array(0) },
    ]);
  });

  it('reads messages cut anywhere across pushes', () => {
    const bytes = hexToBytes(VERACK + VERACK);
    const reader = new FrameReader(MAINNET.messageStart);
    const got = [...bytes].flatMap((byte) => reader.push(Uint8Array.of(byte)));
    expect(got.map((m) => m.command)).toEqual(['verack', 'verack']);
    expect(reader.pending).toBe(0);
  });

  it('writes getheaders, headers, inv and ping in the reference’s layouts', () => {
    const genesis = serializeHeader(REGTEST.genesisHeader);
    const hash = hexToBytes('11'.repeat(32));
    expect(
      bytesToHex(encodePayload({ command: 'getheaders', version: 70016, locator: [hash], stop: new Uint8Array(32) })),
    ).toBe('80110100' + '01' + '11'.repeat(32) + '00'.repeat(32));
    // Each header is followed by a transaction count of 0.
    expect(bytesToHex(encodePayload({ command: 'headers', headers: [genesis] }))).toBe(
      '01' + bytesToHex(genesis) + '00',
    );
    expect(bytesToHex(encodePayload({ command: 'inv', items: [{ type: 2, hash }] }))).toBe(
      '01' + '02000000' + '11'.repeat(32),
    );
    expect(bytesToHex(encodePayload({ command: 'ping', nonce: 0x0102030405060708n }))).toBe('0807060504030201');
    const messages: Message[] = [
      { command: 'getheaders', version: 70016, locator: [hash], stop: hash },
      { command: 'getblocks', version: 70016, locator: [hash, hash], stop: new Uint8Array(32) },
      { command: 'headers', headers: [genesis] },
      { command: 'inv', items: [{ type: 2, hash }] },
      { command: 'ping', nonce: 7n },
    ];
    for (const message of messages) expect(decodePayload(message.command, encodePayload(message))).toEqual(message);
  });

  const refused: [string, () => Uint8Array, string][] = [
    ['wrong magic', () => encodeMessage(MAINNET.messageStart, { command: 'verack' }), 'bad-magic'],
    [
      'a bad checksum',
      () => {
        const bytes = encodeMessage(REGTEST.messageStart, { command: 'ping', nonce: 1n });
        bytes[23] ^= 1;
        return bytes;
      },
      'bad-checksum',
    ],
    // A 4 GB length is refused from the 24 bytes of the frame alone: nothing of it is buffered.
    [
      'a 4 GB length',
      () =>
        hexToBytes(
          'fabfb5da' + bytesToHex(new TextEncoder().encode('block')) + '00'.repeat(7) + 'ffffffff' + '00000000',
        ),
      'oversize',
    ],
    [
      'a command that is not ASCII',
      () => hexToBytes('fabfb5da' + 'ff'.repeat(12) + '00000000' + '5df6e0e2'),
      'bad-command',
    ],
  ];
  it.each(refused)('refuses %s', (_name, bytes, code) => {
    const reader = new FrameReader(REGTEST.messageStart);
    expect(() => reader.push(bytes())).toThrow(expect.objectContaining({ code }) as WireError);
  });

  it('refuses 2001 headers, and takes 2000', () => {
    const genesis = serializeHeader(REGTEST.genesisHeader);
    const headers = (n: number) =>
      encodePayload({ command: 'headers', headers: Array.from({ length: n }, () => genesis) });
    expect(() => decodePayload('headers', headers(MAX_HEADERS + 1))).toThrow(/2001 entries, the protocol allows 2000/);
    expect(decodePayload('headers', headers(MAX_HEADERS))).toMatchObject({ command: 'headers' });
  });

  it('refuses a payload that ends early', () => {
    expect(() => decodePayload('ping', hexToBytes('0102'))).toThrow(WireError);
  });
});
