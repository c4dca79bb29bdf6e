/**
 * A real bcoin regtest full node inside the test process (BIP 34 from height 1, RPC on a free
 * 127.0.0.1 port behind a password), with a key the tests hold so they can spend what they mine.
 */
import { randomBytes } from 'node:crypto';
// @ts-expect-error: a plain ES module without type declarations
import { bcoin, startRegtestNode } from './bcoin-regtest.mjs';

/* eslint-disable @typescript-eslint/no-explicit-any -- bcoin ships no types */
export interface BcoinNode {
  /** The bcoin FullNode itself, for what the RPC does not show. */
  node: any;
  port: number;
  url: string;
  apiKey: string;
  /** Pays to a P2WPKH key this helper holds: give it to `powlab mine --script`. */
  payoutScriptHex: string;
  height(): number;
  /** Best block hash, display order. */
  tip(): string;
  /** The block at a height on the main chain, as bcoin parsed it. */
  blockAt(height: number): Promise<any>;
  /** Spend output 0 of the coinbase at `height` (paid to payoutScriptHex) back to the same key; returns the txid. */
  spendCoinbase(height: number): Promise<string>;
  close(): Promise<void>;
}

export async function startBcoinNode(options: { port?: number; apiKey?: string } = {}): Promise<BcoinNode> {
  const apiKey = options.apiKey ?? randomBytes(12).toString('hex');
  const { node, port, url, close } = await startRegtestNode({ port: options.port ?? 0, apiKey });
  const ring = bcoin.KeyRing.generate();
  ring.witness = true;
  const address = ring.getAddress();
  const payoutScriptHex: string = bcoin.Script.fromAddress(address).toRaw().toString('hex');

  const blockAt = async (height: number) => {
    const entry = await node.chain.getEntryByHeight(height);
    if (!entry) throw new Error(`no block at height ${height}`);
    return node.chain.getBlock(entry.hash);
  };

  return {
    node,
    port,
    url,
    apiKey,
    payoutScriptHex,
    height: () => node.chain.height,
    tip: () => node.chain.tip.rhash(),
    blockAt,
    async spendCoinbase(height) {
      const block = await blockAt(height);
      const coinbase = block.txs[0];
      const coin = bcoin.Coin.fromTX(coinbase, 0, height);
      if (coin.script.toRaw().toString('hex') !== payoutScriptHex)
        throw new Error(`the coinbase at height ${height} does not pay this helper's key`);
      const mtx = new bcoin.MTX();
      mtx.addCoin(coin);
      mtx.addOutput(address, coin.value - 10_000);
      mtx.sign(ring);
      const tx = mtx.toTX();
      await node.mempool.addTX(tx);
      return tx.txid();
    },
    close,
  };
}
