/**
 * Hostile peers (issue 24's must-show 3, in part): bad magic, a bad checksum, a 4 GB length, 2001
 * headers, a header with bad proof of work and a block with a bad merkle root are each refused and
 * the peer dropped; a lie about work bans its address, broken frames twice do too, and floods of
 * unasked blocks, inv or pings are scored until the address is banned; with a hundred idle
 * connections open, a good peer still syncs the whole chain. Each attacker connects from its own
 * loopback address (127.0.0.N, all routed to lo on Linux), so that a ban falls on it alone.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, hexToBytes } from '../../src/core/bytes.js';
import { headerHash, serializeHeader } from '../../src/core/header.js';
import { genesisHash, REGTEST } from '../../src/core/params.js';
import { bitsToTarget, hashMeetsTarget } from '../../src/core/target.js';
import { P2PNode } from '../../src/p2p/node.js';
import { PeerSession } from '../../src/p2p/session.js';
import { encodeMessage, encodePayload, MSG_BLOCK } from '../../src/p2p/wire.js';
import { ChainStore } from '../../src/sources/chain-store.js';
import { grindBlock } from '../helpers/classnet-blocks.js';
import { storeWith } from '../helpers/p2p-store.js';

const magic = REGTEST.messageStart;
const BLOCKS = 3;

/** A header on the genesis whose hash misses its own target. */
function badPowHeader(): Uint8Array {
  const header = { ...REGTEST.genesisHeader, prevHash: genesisHash(REGTEST), nonce: 0 };
  while (hashMeetsTarget(headerHash(serializeHeader(header)), bitsToTarget(header.bits))) header.nonce++;
  return serializeHeader(header);
}

describe('a node under hostile peers', () => {
  let server: P2PNode;
  let port: number;
  const stores: ChainStore[] = [];
  const drops: string[] = [];
  const waiting: ((reason: string) => void)[] = [];
  const refusals: string[] = [];
  const refusalWaiting: ((peer: string) => void)[] = [];
  let attackers = 10;

  beforeAll(async () => {
    stores.push(await storeWith(BLOCKS));
    server = new P2PNode(stores[0]);
    port = await server.listen('127.0.0.1', 0);
    server.on('peer', (e) => {
      if (e.event === 'refused') {
        refusals.push(`${e.peer} ${e.reason}`);
        refusalWaiting.shift()?.(e.peer);
      }
      if (e.event !== 'disconnect') return;
      drops.push(e.reason!);
      waiting.shift()?.(e.reason!);
    });
  });

  afterAll(async () => {
    await server.close();
    for (const store of stores) store.close();
  });

  /**
   * Connect from `from` (a fresh loopback address unless given), optionally shake hands, send `bytes`:
   * resolves with the reason the node gave for dropping the peer.
   */
  async function attack(bytes: Uint8Array, handshake: boolean, from = `127.0.0.${attackers++}`): Promise<string> {
    const dropped = new Promise<string>((resolve) => waiting.push(resolve));
    const socket: Socket = connect({ host: '127.0.0.1', port, localAddress: from });
    socket.on('error', () => {});
    await new Promise((resolve) => socket.once('connect', resolve));
    if (handshake) {
      const me = new PeerSession({ magic, outbound: true, nonce: 5n, startHeight: 0, now: () => 1_700_000_000 });
      const ready = new Promise<void>((resolve) =>
        socket.on('data', (data: Buffer) => {
          for (const event of me.receive(new Uint8Array(data))) {
            if (event.type === 'send') socket.write(event.bytes);
            if (event.type === 'ready') resolve();
          }
        }),
      );
      for (const event of me.start()) if (event.type === 'send') socket.write(event.bytes);
      await ready;
    }
    socket.write(bytes);
    return dropped;
  }

  const header = (command: string, length: string) =>
    hexToBytes(
      bytesToHex(magic) + bytesToHex(new TextEncoder().encode(command.padEnd(12, '\0'))) + length + '00000000',
    );

  it('drops a peer sending the wrong magic', async () => {
    expect(
      await attack(
        encodeMessage(
          REGTEST.messageStart.map((b) => b ^ 0xff),
          { command: 'verack' },
        ),
        false,
      ),
    ).toMatch(/^bad-magic/);
  });

  it('drops a peer sending a bad checksum', async () => {
    const bytes = encodeMessage(magic, { command: 'ping', nonce: 1n });
    bytes[20] ^= 0xff;
    expect(await attack(bytes, false)).toMatch(/^bad-checksum/);
  });

  it('drops a peer announcing a 4 GB payload from its 24-byte frame alone', async () => {
    expect(await attack(header('block', 'ffffffff'), false)).toMatch(/^oversize/);
  });

  it('drops a peer sending 2001 headers', async () => {
    const headers = Array.from({ length: 2001 }, () => serializeHeader(REGTEST.genesisHeader));
    const payload = encodePayload({ command: 'headers', headers });
    expect(await attack(encodeMessage(magic, { command: 'headers', headers }), true)).toMatch(
      new RegExp(`^oversize: headers: payload of ${payload.length} bytes`),
    );
  });

  it('bans a peer sending a header with bad proof of work, before asking for its block, and refuses it after', async () => {
    const from = `127.0.0.${attackers++}`;
    expect(await attack(encodeMessage(magic, { command: 'headers', headers: [badPowHeader()] }), true, from)).toMatch(
      /^bad-pow: .*; banned for 10 min$/,
    );
    const refused = new Promise<string>((resolve) => refusalWaiting.push(resolve));
    connect({ host: '127.0.0.1', port, localAddress: from }).on('error', () => {});
    expect(await refused).toMatch(new RegExp(`^${from.replaceAll('.', '\\.')}:\\d+$`));
    expect(refusals.at(-1)).toMatch(/ banned$/);
  });

  it('bans an address whose frames break twice, not once', async () => {
    const from = `127.0.0.${attackers++}`;
    const bytes = encodeMessage(magic, { command: 'ping', nonce: 1n });
    bytes[20] ^= 0xff;
    expect(await attack(bytes, false, from)).toMatch(/^bad-checksum: [^;]*$/);
    expect(await attack(bytes, false, from)).toMatch(/^bad-checksum: .*; banned for 10 min$/);
  });

  it('bans a peer pushing blocks it was never asked for, past a small allowance', async () => {
    const blocks = Array.from({ length: 12 }, (_, i) =>
      encodeMessage(magic, {
        command: 'block',
        block: grindBlock({
          height: 1,
          prevHash: genesisHash(REGTEST),
          time: REGTEST.genesisHeader.time + 1,
          bits: REGTEST.powLimitBits,
          extranonce: 100 + i,
        }).bytes,
      }),
    );
    expect(await attack(concatBytes(...blocks), true)).toMatch(/^unsolicited-block: .*; banned for 10 min$/);
  });

  it('bans a peer flooding inv past its allowance', async () => {
    const items = Array.from({ length: 1_000 }, (_, i) => ({
      type: MSG_BLOCK,
      hash: new Uint8Array(32).fill(i % 256),
    }));
    const invs = Array.from({ length: 20 }, () => encodeMessage(magic, { command: 'inv', items }));
    expect(await attack(concatBytes(...invs), true)).toMatch(/^inv-flood: .*; banned for 10 min$/);
  });

  it('bans a peer pinging past its rate', async () => {
    const pings = Array.from({ length: 30 }, (_, i) => encodeMessage(magic, { command: 'ping', nonce: BigInt(i) }));
    expect(await attack(concatBytes(...pings), true)).toMatch(/^ping-flood: .*; banned for 10 min$/);
  });

  it('drops a peer sending a block whose merkle root does not match its transactions', async () => {
    const { bytes } = grindBlock({
      height: 1,
      prevHash: genesisHash(REGTEST),
      time: REGTEST.genesisHeader.time + 1,
      bits: REGTEST.powLimitBits,
      extranonce: 7, // not the block the node holds at height 1
    });
    const tampered = bytes.slice();
    tampered[tampered.length - 5] ^= 1; // a byte of the coinbase's output script: the header no longer commits to it
    expect(await attack(encodeMessage(magic, { command: 'block', block: tampered }), true)).toMatch(
      /^bad-block: .*bad-txnmrklroot/,
    );
  });

  /** A peer from a fresh loopback address, through the handshake: counts the blocks it is asked for, pings. */
  async function handshaken() {
    const socket = connect({ host: '127.0.0.1', port, localAddress: `127.0.0.${attackers++}` });
    const me = new PeerSession({ magic, outbound: true, nonce: 6n, startHeight: 0, now: () => 1_700_000_000 });
    let asked = 0;
    let sayReady: () => void;
    const ready = new Promise<void>((resolve) => (sayReady = resolve));
    const pongs: (() => void)[] = [];
    socket.on('data', (data: Buffer) => {
      for (const event of me.receive(new Uint8Array(data))) {
        if (event.type === 'send') socket.write(event.bytes);
        if (event.type === 'ready') sayReady();
        if (event.type === 'message' && event.message.command === 'getdata') asked += event.message.items.length;
        if (event.type === 'message' && event.message.command === 'pong') pongs.shift()?.();
      }
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    for (const event of me.start()) if (event.type === 'send') socket.write(event.bytes);
    await ready;
    /** Ping and wait for the pong: everything sent before it has been handled. */
    const pong = () => {
      const answered = new Promise<void>((resolve) => pongs.push(resolve));
      socket.write(encodeMessage(magic, { command: 'ping', nonce: 77n }));
      return answered;
    };
    return { socket, asked: () => asked, pong };
  }

  /** A command powlab does not speak, with an empty payload (whose checksum any empty message shares). */
  function unknownFrame(name: string): Uint8Array {
    const bytes = encodeMessage(magic, { command: 'verack' });
    bytes.set(new TextEncoder().encode(name.padEnd(12, '\0')), 4);
    return bytes;
  }

  it('lets Core’s unspoken messages pass free, and bans a peer sending a hundred it cannot know', async () => {
    const { socket, pong } = await handshaken();
    socket.write(concatBytes(...Array.from({ length: 200 }, () => unknownFrame('feefilter'))));
    await pong();
    const gone = new Promise<string>((resolve) => waiting.push(resolve));
    socket.write(concatBytes(...Array.from({ length: 100 }, () => unknownFrame('mystery'))));
    expect(await gone).toMatch(/^unknown: mystery; banned for 10 min$/);
  });

  it('asks one peer for at most 2000 blocks at a time, however many headers it announces', async () => {
    const headers: Uint8Array[] = [];
    let prevHash = genesisHash(REGTEST);
    for (let i = 0; i < 4_000; i++) {
      const header = { ...REGTEST.genesisHeader, prevHash, time: REGTEST.genesisHeader.time + 1 + i, nonce: 0 };
      while (!hashMeetsTarget(headerHash(serializeHeader(header)), bitsToTarget(header.bits))) header.nonce++;
      headers.push(serializeHeader(header));
      prevHash = headerHash(headers[i]);
    }
    const { socket, asked, pong } = await handshaken();
    socket.write(encodeMessage(magic, { command: 'headers', headers: headers.slice(0, 2_000) }));
    socket.write(encodeMessage(magic, { command: 'headers', headers: headers.slice(2_000) }));
    await pong(); // messages are handled in order: both headers are behind it
    expect(asked()).toBe(2_000);
    const gone = new Promise<string>((resolve) => waiting.push(resolve));
    socket.destroy();
    expect(await gone).toBe('closed by the peer');
  });

  it('still serves a good peer the whole chain, with a hundred idle connections open', async () => {
    const idle = await Promise.all(
      Array.from({ length: 100 }, () => {
        const socket = connect({ host: '127.0.0.1', port });
        socket.on('error', () => {});
        return new Promise<Socket>((resolve) => socket.once('connect', () => resolve(socket)));
      }),
    );
    stores.push(await storeWith(0));
    const client = new P2PNode(stores[1]);
    const blocks: number[] = [];
    client.on('block', ({ block }) => blocks.push(block.height));
    client.connect('127.0.0.1', port);
    await new Promise<void>((resolve) => client.on('peer', (e) => e.event === 'connect' && resolve()));
    await client.synced();
    expect(blocks).toEqual([1, 2, 3]);
    expect(stores[1].tree.tip.id).toBe(stores[0].tree.tip.id);
    await client.close();
    for (const socket of idle) socket.destroy();
    expect(drops).toHaveLength(13);
  });
});
