/** `powlab node`: a P2P node over the built-in chain, mining on its tip with --mine. */
import { hexToBytes } from '../core/bytes.js';
import { bitsToTarget } from '../core/target.js';
import { Errors } from '../errors.js';
import { MiningSession, type SessionSummary } from '../mining/session.js';
import { P2PNode } from '../p2p/node.js';
import { startNodePage, type NodePage } from '../p2p/page.js';
import { keptOpen } from '../sources/chain.js';
import { openDatadirChain } from '../sources/chain-network.js';
import { nodeThreads } from '../worker/node-threads.js';
import { chainFromArgs } from './chain-options.js';
import type { NodeArgs } from './node-options.js';
import { payoutScriptFrom } from './mine-chain.js';
import { interruptSignal, say } from './mining.js';
import { printJson } from './output.js';

const DEFAULT_PORT = 18444;
/** After mining stops, peers' last blocks are awaited until none came for this long, and at most the second. */
const QUIET_MS = 1_500;
const MAX_QUIET_WAIT_MS = 10_000;

function peerAddress(text: string): { host: string; port: number } {
  const at = text.lastIndexOf(':');
  const port = Number(text.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 1 || port > 65535)
    throw Errors.badOption('connect', `must be HOST:PORT, got ${JSON.stringify(text)}`);
  return { host: text.slice(0, at), port };
}

export async function runNode(args: NodeArgs): Promise<void> {
  const peers = (args.connect ?? []).map(peerAddress);
  const named = chainFromArgs(args);
  const { datadir, params } = named;
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const chain = openDatadirChain(named, {
    payoutScript: payoutScriptFrom(args),
    // On regtest, Core's own rules: every block at the proof-of-work limit, so a real regtest node takes them.
    target: bitsToTarget(params.retarget?.startBits ?? params.powLimitBits),
    warn,
  });
  const node = new P2PNode(chain.store);
  const tell = (event: Record<string, unknown>, line: string) => (args.json ? printJson(event) : say(line, false));
  const ownBlocks = new Set<string>();
  let received = 0;
  let reorgs = 0;
  /** Milliseconds from a peer's block arriving whole to the workers being given work on it. */
  const switches: number[] = [];
  /** Milliseconds each worker hashed on after a peer's block had made its work stale, in all and at worst. */
  const staleWork = { totalMs: [] as number[], maxMs: 0 };
  node.on('peer', (e) =>
    tell(
      { type: 'peer', ...e },
      `peer ${e.peer} ${e.event === 'connect' ? 'connected' : `${e.event === 'refused' ? 'refused' : 'gone'}: ${e.reason}`}`,
    ),
  );
  node.on('block', ({ from, block }) => {
    if (from === 'self') ownBlocks.add(block.id);
    else received++;
    tell(
      { type: 'block', from, height: block.height, hash: block.id },
      `block ${block.height} ${block.id} from ${from}`,
    );
  });
  node.on('reorg', (reorg) => {
    reorgs++;
    tell(
      { type: 'reorg', depth: reorg.depth, oldTip: reorg.oldTip.id, newTip: reorg.newTip.id, fork: reorg.fork.height },
      `reorg: ${reorg.depth} block(s) left the active chain, new tip ${reorg.newTip.height} ${reorg.newTip.id}`,
    );
  });
  const interrupt = interruptSignal();
  let summary: SessionSummary | undefined;
  let page: NodePage | undefined;
  try {
    if (args['page-port'] !== undefined) {
      page = await startNodePage({
        host: args.host,
        port: args['page-port'],
        node,
        tree: chain.store.tree,
        network: params.name,
        // The node names a peer it dialled by the HOST:PORT it was given.
        dialled: new Set(peers.map((peer) => `${peer.host}:${peer.port}`)),
        warn,
      });
      tell({ type: 'page', url: page.url }, `the node's page: ${page.url}`);
    }
    const port = await node.listen(args.host, args.port ?? DEFAULT_PORT).catch((error: NodeJS.ErrnoException) => {
      throw Errors.network(
        `cannot listen on ${args.host}:${args.port ?? DEFAULT_PORT}: ${error.code ?? error.message}`,
      );
    });
    tell(
      { type: 'listening', host: args.host, port, network: params.name, tip: chain.store.height },
      `listening on ${args.host}:${port} (${params.name}, tip ${chain.store.height}, datadir ${datadir})`,
    );
    for (const peer of peers) node.connect(peer.host, peer.port);
    await Promise.race([node.synced(), aborted(interrupt.signal)]);
    if (args.mine && !interrupt.signal.aborted) {
      // The node keeps serving and storing blocks after mining stops: the store is closed by the node, not the session.
      const session = await MiningSession.start(keptOpen(chain), {
        host: nodeThreads(),
        threads: args.threads,
        blocks: args.blocks,
        duration: args.duration,
        signal: interrupt.signal,
      });
      session.on('found', ({ result }) => {
        const block = chain.store.tree.get(result.hash);
        if (block) node.mined(block, hexToBytes(result.block));
      });
      session.on('warning', warn);
      // A peer's block moved the tip: the workers move with it.
      /** Milliseconds from the last peer's block to new work, until the workers have switched to it. */
      let givenMs: number | undefined;
      const move = (_tip: unknown, receivedAt: number) => {
        // Set before the new work: workers already idle take it at once, and say so within chain.next().
        givenMs = performance.now() - receivedAt;
        switches.push(givenMs);
        chain.next();
      };
      // Each worker's stale time: from the block's bytes whole until that worker has a range of the new work.
      session.on('switched', (delaysMs) => {
        if (givenMs === undefined) return;
        for (const [worker, delay] of delaysMs.entries()) {
          staleWork.totalMs[worker] = (staleWork.totalMs[worker] ?? 0) + givenMs + delay;
          staleWork.maxMs = Math.max(staleWork.maxMs, givenMs + delay);
        }
        givenMs = undefined;
      });
      node.on('tip', move);
      summary = await session.run();
      node.off('tip', move);
    } else if (!interrupt.signal.aborted) {
      await aborted(
        args.duration
          ? AbortSignal.any([interrupt.signal, AbortSignal.timeout(args.duration * 1000)])
          : interrupt.signal,
      );
    }
    await node.settle();
    if (args.mine) await node.quiet(QUIET_MS, MAX_QUIET_WAIT_MS);
  } finally {
    await page?.close();
    await node.close();
    interrupt.dispose();
    chain.close();
  }
  const tree = chain.store.tree;
  const orphaned = [...ownBlocks].filter((id) => !tree.isActive(tree.get(id)!)).length;
  const result = {
    type: 'summary',
    found: ownBlocks.size,
    orphaned,
    received,
    reorgs,
    tip: { height: tree.tip.height, hash: tree.tip.id },
    learned: node.learnedAddresses,
    ...(summary ? { reason: summary.reason } : {}),
    ...(switches.length
      ? {
          switchMs: {
            count: switches.length,
            max: Math.round(Math.max(...switches)),
            mean: Math.round(switches.reduce((a, b) => a + b) / switches.length),
          },
        }
      : {}),
    ...(staleWork.totalMs.length
      ? { staleWorkMs: { workers: staleWork.totalMs.map(Math.round), max: Math.round(staleWork.maxMs) } }
      : {}),
  };
  tell(
    result,
    `stopped: ${ownBlocks.size} found (${orphaned} orphaned), ${received} received, ${reorgs} reorg(s), ${result.learned.length} address(es) learned; tip ${tree.tip.height} ${tree.tip.id}${result.switchMs ? `; moved to a peer's block within ${result.switchMs.max} ms (mean ${result.switchMs.mean})` : ''}${result.staleWorkMs ? `; each worker hashed stale work ${result.staleWorkMs.workers.join(', ')} ms in all, ${result.staleWorkMs.max} ms at worst` : ''}`,
  );
  if (summary?.error) throw summary.error;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve())));
}
