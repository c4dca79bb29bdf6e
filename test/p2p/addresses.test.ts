/**
 * getaddr/addr: a node answers getaddr with the peers it knows, asks the peers it dials once, and
 * lists what it learned; the book a peer can fill is bounded.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { AddressBook } from '../../src/p2p/addresses.js';
import { P2PNode } from '../../src/p2p/node.js';
import { ipv4Mapped, MAX_ADDR } from '../../src/p2p/wire.js';
import type { ChainStore } from '../../src/sources/chain-store.js';
import { storeWith } from '../helpers/p2p-store.js';

const connected = (node: P2PNode) =>
  new Promise<void>((resolve) => node.on('peer', (e) => e.event === 'connect' && resolve()));

describe('addresses between peers', () => {
  const stores: ChainStore[] = [];
  const nodes: P2PNode[] = [];

  afterAll(async () => {
    for (const node of nodes) await node.close();
    for (const store of stores) store.close();
  });

  it('a dialling node learns from its peer the address that peer dialled', async () => {
    for (let i = 0; i < 3; i++) stores.push(await storeWith(1));
    const [far, middle, asker] = stores.map((store) => new P2PNode(store));
    nodes.push(asker, middle, far);
    const farPort = await far.listen('127.0.0.1', 0);
    const middlePort = await middle.listen('127.0.0.1', 0);
    const middleUp = connected(middle);
    middle.connect('127.0.0.1', farPort);
    await middleUp;
    const askerUp = connected(asker);
    asker.connect('127.0.0.1', middlePort);
    await askerUp;
    await asker.synced();
    await asker.settle();
    expect(asker.learnedAddresses).toEqual([`127.0.0.1:${farPort}`]);
    expect(middle.learnedAddresses).toEqual([]);
  });
});

describe('the address book', () => {
  it('keeps at most a thousand addresses, and answers getaddr with at most addr’s limit', () => {
    const book = new AddressBook();
    const flood = Array.from({ length: 1_500 }, (_, i) => ({
      time: 0,
      services: 1n,
      ip: ipv4Mapped(`10.0.${i >> 8}.${i & 255}`),
      port: 8333,
    }));
    book.learn(flood);
    expect(book.learned).toHaveLength(1_000);
    expect(book.learned[0]).toBe('10.0.1.244:8333'); // the oldest 500 made room
    expect(book.forPeer('nobody').length).toBeLessThanOrEqual(MAX_ADDR);
  });
});
