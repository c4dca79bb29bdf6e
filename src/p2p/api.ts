/**
 * The JSON `powlab node`'s page reads (GET /api/node, and each `snapshot` event on /api/events): the
 * block tree's last heights with who found each block, and the peers. Node-free, so the page imports it.
 */

/** Who found a block: this node (`self`), a peer by its address, or `before` (already in the datadir when the node started). */
export type Finder = string;

export interface PageBlock {
  /** Display order, as `chain list` prints it. */
  hash: string;
  /** The parent's hash; the oldest shown block's parent may be outside the snapshot. */
  prev: string;
  height: number;
  /** On the active chain (false: a stale branch). */
  active: boolean;
  from: Finder;
}

export interface PagePeer {
  address: string;
  direction: 'inbound' | 'outbound';
  /** When the handshake finished, ms since 1970. */
  since: number;
  /** Blocks this node did not have, received from the peer. */
  blocksReceived: number;
}

export interface NodeSnapshot {
  network: string;
  tip: { height: number; hash: string };
  /** Every block at the last SHOWN_HEIGHTS heights, lowest first, side branches included. */
  blocks: PageBlock[];
  peers: PagePeer[];
  /** Every finder seen so far, in order of first block: a finder's colour is its place here. */
  finders: Finder[];
  /** The node has stopped: the last snapshot. */
  ended: boolean;
}
