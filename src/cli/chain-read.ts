/** The built-in chain as the read-only chain commands and explain see it: the datadir's network, its tree and its bytes. */
import { serializeBlock } from '../core/block.js';
import type { ChainParams } from '../core/params.js';
import { serializeTx } from '../core/tx.js';
import type { TreeBlock } from '../chain/tree.js';
import { readStore } from '../sources/chain-files.js';
import { blockBytesById, type StoreScan } from '../sources/chain-store.js';
import { chainFromArgs, type NetworkArgs } from './chain-options.js';

export interface ReadChain {
  datadir: string;
  params: ChainParams;
  file: string;
  bytes: Uint8Array;
  scan: StoreScan;
  /** The whole bytes of any block in the tree, the genesis included. */
  blockBytes(block: TreeBlock): Uint8Array;
}

/** Read the chain without locking or changing it; a damaged store is read up to the damage, with a warning (`warnOnDamage`). */
export function readChain(args: NetworkArgs, warnOnDamage = true): ReadChain {
  const { datadir, params } = chainFromArgs(args);
  const store = readStore(datadir, params);
  if (warnOnDamage && store.scan.problem) {
    process.stderr.write(
      `powlab: warning: the store is damaged from block ${store.scan.problem.height} on (powlab chain verify --datadir ${datadir}); reading the blocks before it\n`,
    );
  }
  const genesis = serializeBlock(params.genesisHeader, [serializeTx(params.genesisCoinbase)]);
  return {
    datadir,
    params,
    ...store,
    blockBytes: (block) => (block.height === 0 ? genesis : blockBytesById(store, block.id)!),
  };
}
