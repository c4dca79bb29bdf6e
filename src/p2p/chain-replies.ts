/**
 * What a node answers about its chain, from the block tree alone: the block locator it sends, and
 * the active blocks after the fork point a peer's locator names (for getheaders and getblocks), as
 * the developer reference describes them
 * (https://developer.bitcoin.org/reference/p2p_networking.html#getheaders).
 */
import { hashToDisplayHex } from '../core/header.js';
import type { BlockTree, TreeBlock } from '../chain/tree.js';

/** A block locator (Core's CChain::GetLocator): the tip, back one at a time for ten, then doubling steps, the genesis last. */
export function blockLocator(tree: BlockTree): Uint8Array[] {
  const chain = tree.activeChain();
  const hashes: Uint8Array[] = [];
  let step = 1;
  for (let height = chain.length - 1; height > 0; height -= step) {
    hashes.push(chain[height].hash);
    if (hashes.length >= 10) step *= 2;
  }
  hashes.push(chain[0].hash);
  return hashes;
}

/**
 * The active blocks after the first locator hash this chain has on its active branch (the genesis
 * when none), up to `max` of them or up to `stop` included, and only as far as `shown` allows: a
 * block the node holds back (a selfish miner's, a double spender's) ends the answer.
 */
export function activeAfter(
  tree: BlockTree,
  locator: Uint8Array[],
  stop: Uint8Array,
  max: number,
  shown: (block: TreeBlock) => boolean,
): TreeBlock[] {
  const chain = tree.activeChain();
  let from = 1;
  for (const hash of locator) {
    const known = tree.get(hashToDisplayHex(hash));
    if (known && tree.isActive(known)) {
      from = known.height + 1;
      break;
    }
  }
  const stopId = hashToDisplayHex(stop);
  const blocks: TreeBlock[] = [];
  for (let height = from; height < chain.length && blocks.length < max && shown(chain[height]); height++) {
    blocks.push(chain[height]);
    if (chain[height].id === stopId) break;
  }
  return blocks;
}
