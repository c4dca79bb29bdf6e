// A block a node mined but has not announced (a selfish miner's, a double spender's) stays unknown:
// a peer syncing headers gets the chain up to it, and the block itself only once it is announced.
import { afterEach, expect, it } from 'vitest';
import { headerHash } from '../../src/core/header.js';
import { P2PNode } from '../../src/p2p/node.js';
import { grindBlock } from '../helpers/classnet-blocks.js';
import { storeWith } from '../helpers/p2p-store.js';

const nodes: P2PNode[] = [];
afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.close()));
});

it('serves headers up to the first block it holds back, and the block once announced', async () => {
  const minerStore = await storeWith(2);
  const tip = minerStore.tree.tip;
  const { bytes } = grindBlock({ height: 3, prevHash: tip.hash, time: tip.header.time + 1, bits: tip.header.bits });
  const appended = await minerStore.append(bytes);
  expect(minerStore.height).toBe(3);

  const peerStore = await storeWith(0);
  const miner = new P2PNode(minerStore);
  const peer = new P2PNode(peerStore);
  nodes.push(miner, peer);
  const port = await miner.listen('127.0.0.1', 0);
  const met = new Promise<void>((resolve) => peer.on('peer', (e) => e.event === 'connect' && resolve()));
  peer.connect('127.0.0.1', port);
  await met;
  await peer.synced();
  await peer.settle();
  expect(peerStore.height).toBe(2);

  const arrived = new Promise<string>((resolve) => peer.on('block', ({ block }) => resolve(block.id)));
  miner.mined(appended.block, bytes);
  expect(await arrived).toBe(appended.block.id);
  expect(peerStore.tree.tip.hash).toEqual(headerHash(bytes.subarray(0, 80)));
});
