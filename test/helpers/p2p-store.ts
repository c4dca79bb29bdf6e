/** A chain store in a fresh datadir holding blocks ground by hand, for the P2P tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headerHash } from '../../src/core/header.js';
import { genesisHash, REGTEST } from '../../src/core/params.js';
import { openChainFiles } from '../../src/sources/chain-files.js';
import { ChainStore } from '../../src/sources/chain-store.js';
import { grindBlock } from './classnet-blocks.js';

/** A regtest store holding `blocks` blocks on the genesis, reopened so that its storage holds their bytes. */
export async function storeWith(blocks: number): Promise<ChainStore> {
  const dir = mkdtempSync(join(tmpdir(), 'powlab-p2p-'));
  const filling = ChainStore.open(openChainFiles(dir));
  let prevHash = genesisHash(REGTEST);
  for (let height = 1; height <= blocks; height++) {
    const { bytes } = grindBlock({
      height,
      prevHash,
      time: REGTEST.genesisHeader.time + height,
      bits: REGTEST.powLimitBits,
    });
    await filling.append(bytes);
    prevHash = headerHash(bytes.subarray(0, 80));
  }
  filling.close();
  return ChainStore.open(openChainFiles(dir));
}
