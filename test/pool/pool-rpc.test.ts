// `powlab pool --rpc` over a real bcoin regtest node: the node, not powlab, judges the pool's blocks.
import { describe, expect, it } from 'vitest';
import { startBcoinNode } from '../helpers/bcoin-node.js';
import { cleanupsAfterEach, run, startPool, tempDatadir } from './pool-run.js';

const cleanups = cleanupsAfterEach();
const datadir = () => tempDatadir(cleanups, 'powlab-pool-rpc-');

describe('powlab pool --rpc', () => {
  it("makes the blocks its miners find the node's tip", async () => {
    const node = await startBcoinNode();
    cleanups.push(() => node.close());
    const pool = await startPool(
      ['--rpc', node.url, '--rpc-password', node.apiKey, '--script', node.payoutScriptHex, '--datadir', datadir()],
      cleanups,
    );
    const miner = run(
      ['mine', '--pool', pool.stratum, '--user', 'alice', '--threads', '1', '--json', '--datadir', datadir()],
      cleanups,
    );
    const accepted = () => pool.lines.filter((line) => line.type === 'block' && line.accepted === true);
    await pool.waitFor(() => accepted().length >= 3);
    miner.child.kill('SIGINT');
    await miner.exited;
    pool.child.kill('SIGINT');
    expect(await pool.exited).toBe(130);
    const blocks = accepted();
    for (const block of blocks) {
      const onChain = await node.blockAt(block.height as number);
      expect(onChain.rhash()).toBe(block.hash);
      // The coinbase pays where the pool said.
      expect(onChain.txs[0].outputs[0].script.toRaw().toString('hex')).toBe(node.payoutScriptHex);
    }
    const last = pool.lines.filter((line) => line.type === 'block').at(-1)!;
    expect(node.tip()).toBe(last.accepted ? last.hash : blocks.at(-1)!.hash);
    expect(node.height()).toBe(blocks.at(-1)!.height);
  }, 120_000);
});
