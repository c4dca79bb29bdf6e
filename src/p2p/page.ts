/**
 * `powlab node --page-port`: a web page of the node, on node:http like the dashboard: the page
 * (src/ui/node, built into dist/node/page/), GET /api/node with the snapshot, and Server-Sent Events on
 * /api/events carrying a new snapshot whenever a block, a reorg or a peer changes it.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { BlockTree } from '../chain/tree.js';
import {
  answeringErrors,
  eventFrame,
  EventStreams,
  hostCheck,
  isLoopbackHost,
  listen,
  loadPage,
  refusedMethod,
  send,
  sendJson,
  urlHost,
} from '../web/http.js';
import type { Finder, NodeSnapshot, PagePeer } from './api.js';
import type { Emitter } from '../events.js';
import type { NodeEvents } from './node.js';

/** The page draws this many heights below and up to the tip: enough to see a race and its stale branch. */
const SHOWN_HEIGHTS = 30;
/** Events in a burst (a sync of many blocks) go out as one snapshot. */
const COALESCE_MS = 100;
/** The same path from dist/p2p (the CLI) and src/p2p (the tests): both two folders below the package. */
const PAGE_DIR = fileURLToPath(new URL('../../dist/node/page/', import.meta.url));

export interface NodePageOptions {
  host: string;
  port: number;
  /** The node's events: its blocks by finder, its peers coming and going, its reorgs. */
  node: Emitter<NodeEvents>;
  tree: BlockTree;
  network: string;
  /** The peers this node dialled (`--connect`), by the address the node names them with; the rest came in. */
  dialled: ReadonlySet<string>;
  warn: (message: string) => void;
}

export interface NodePage {
  url: string;
  snapshot(): NodeSnapshot;
  close(): Promise<void>;
}

export async function startNodePage(options: NodePageOptions): Promise<NodePage> {
  const assets = loadPage(PAGE_DIR, 'the node page');
  const { node, tree } = options;
  const finderOf = new Map<string, Finder>();
  const finders: Finder[] = [];
  const peers = new Map<string, PagePeer>();
  let ended = false;

  const snapshot = (): NodeSnapshot => {
    const lowest = tree.tip.height - SHOWN_HEIGHTS + 1;
    const shown = [tree.genesis, ...tree.blocks()]
      .filter((block) => block.height >= lowest)
      .sort((a, b) => a.height - b.height || a.seq - b.seq);
    return {
      network: options.network,
      tip: { height: tree.tip.height, hash: tree.tip.id },
      blocks: shown.map((block) => ({
        hash: block.id,
        prev: block.parent?.id ?? '',
        height: block.height,
        active: tree.isActive(block),
        from: finderOf.get(block.id) ?? 'before',
      })),
      peers: [...peers.values()],
      finders: [...finders],
      ended,
    };
  };

  const streams = new EventStreams();
  let pending: NodeJS.Timeout | undefined;
  const changed = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      streams.broadcast(eventFrame('snapshot', snapshot()));
    }, COALESCE_MS);
  };
  const onBlock = ({ from, block }: { from: string; block: { id: string } }) => {
    finderOf.set(block.id, from);
    if (!finders.includes(from)) finders.push(from);
    const peer = peers.get(from);
    if (peer) peer.blocksReceived++;
    changed();
  };
  // A refused peer (a banned address) never joined, so it changes nothing here.
  const onPeer = ({ event, peer }: { event: 'connect' | 'disconnect' | 'refused'; peer: string }) => {
    if (event === 'refused') return;
    if (event === 'connect')
      peers.set(peer, {
        address: peer,
        direction: options.dialled.has(peer) ? 'outbound' : 'inbound',
        since: Date.now(),
        blocksReceived: 0,
      });
    else peers.delete(peer);
    changed();
  };
  node.on('block', onBlock);
  node.on('peer', onPeer);
  node.on('reorg', changed);

  const addressedHere = hostCheck(options.host);
  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (!addressedHere(request.headers.host))
      return sendJson(response, 403, { error: 'this page answers only requests addressed to this machine' });
    if (refusedMethod(request, response)) return;
    const path = (request.url ?? '/').split('?')[0];
    if (path === '/api/node') return sendJson(response, 200, snapshot());
    if (path === '/api/events')
      return streams.add(response, eventFrame('snapshot', snapshot()), request.method === 'HEAD');
    const asset = assets.get(path);
    if (asset) return send(response, 200, asset.type, asset.body, undefined, request.method === 'HEAD');
    sendJson(response, 404, { error: `no such page: ${path}` });
  };
  const server = createServer(answeringErrors(handle));
  const port = await listen(server, options.host, options.port, 'the node page', 'page-port');
  // The node goes on whatever befalls its page.
  server.on('error', (error) => options.warn(`the node page: ${error.message}`));
  if (!isLoopbackHost(options.host))
    options.warn(`the node page listens on ${options.host}: anyone who can reach port ${port} can read it`);

  return {
    url: `http://${urlHost(options.host)}:${port}/`,
    snapshot,
    close: async () => {
      node.off('block', onBlock);
      node.off('peer', onPeer);
      node.off('reorg', changed);
      clearTimeout(pending);
      ended = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await streams.endAll(eventFrame('snapshot', snapshot()));
      server.closeAllConnections();
      await closed;
    },
  };
}
