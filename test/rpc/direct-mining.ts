/**
 * Mining on a node without the engine: the same template -> work -> block -> submitblock path as
 * `powlab mine --rpc`, with the nonces tried here one by one. At regtest's target (half of all
 * hashes) that takes a hash or two, so tests can build hundreds of blocks in seconds.
 */
import { withNonce } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import { hashMeetsTarget } from '../../src/core/target.js';
import type { Solution } from '../../src/miner/work.js';
import { RpcClient } from '../../src/sources/rpc/client.js';
import { NodeSource, type NodeBlock } from '../../src/sources/rpc/node.js';
import type { TemplateWork } from '../../src/sources/rpc/work.js';
import { hexToBytes } from '../../src/core/bytes.js';

/** Try nonces from 0 on the work's first header until one meets its target. */
export function solve(work: TemplateWork): Solution<TemplateWork> {
  const header = work.header(0);
  for (let nonce = 0; nonce < 2 ** 32; nonce++) {
    const candidate = withNonce(header, nonce);
    const hash = sha256d(candidate);
    if (hashMeetsTarget(hash, work.target))
      return { work, extranonceIndex: 0, nonce, header: candidate, hash, hashes: nonce + 1, seconds: 0 };
  }
  throw new Error(`no nonce meets the target of work ${work.id}`);
}

export interface DirectMiner {
  source: NodeSource;
  warnings: string[];
  /** Mine `count` blocks; every one must be accepted. */
  mine(count: number): Promise<NodeBlock[]>;
  close(): void;
}

export async function directMiner(options: {
  url: string;
  password: string;
  payoutScriptHex: string;
  datadir: string;
}): Promise<DirectMiner> {
  const client = new RpcClient({ url: options.url, credentials: { user: 'test', password: options.password } });
  const warnings: string[] = [];
  const source = await NodeSource.connect({
    client,
    payoutScript: () => hexToBytes(options.payoutScriptHex),
    datadir: options.datadir,
    warn: (message) => warnings.push(message),
    signal: new AbortController().signal,
  });
  if (!source) throw new Error('the node did not answer');
  return {
    source,
    warnings,
    async mine(count) {
      const blocks: NodeBlock[] = [];
      for (let i = 0; i < count; i++) {
        const work = await source.nextWork();
        if (!work) throw new Error('no work from the node');
        const block = await source.submit(solve(work));
        if (!block.accepted) throw new Error(`the node rejected block ${block.height}: ${block.reason}`);
        blocks.push(block);
      }
      return blocks;
    },
    close: () => client.close(),
  };
}
