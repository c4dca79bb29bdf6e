/** The chain in this browser: its blocks, each taken apart, and the downloads of a block and of blocks.dat. */
import { bytesToHex } from '../../core/bytes.js';
import { hashToDisplayHex } from '../../core/header.js';
import { REGTEST } from '../../core/params.js';
import { explainBlock } from '../../explain/block.js';
import { explainHeader } from '../../explain/header.js';
import { scanStore, storedBlockBytes } from '../../sources/chain-store.js';
import { openChainDb } from './chain-db.js';
import { $, facts, hex, offerDownload, say, show } from './dom.js';

function blockItem(height: number, block: Uint8Array): HTMLLIElement {
  const header = explainHeader(block.subarray(0, 80));
  const parts = explainBlock(block, { layout: 'powlab', params: REGTEST, height });
  const field = (name: string) => String(header.fields.find((f) => f.name === name)?.value ?? '');
  const item = document.createElement('li');
  item.className = 'block';
  // Its number in the list is its height, whatever else the list held or holds.
  item.value = height;
  item.dataset.height = String(height);
  item.dataset.hash = header.hash;
  const title = document.createElement('h3');
  title.textContent = `Block ${height}`;
  const download = document.createElement('a');
  download.className = 'download-block button';
  download.download = `regtest-block-${height}.bin`;
  download.href = '#';
  download.textContent = `Download block ${height} (${block.length} bytes)`;
  offerDownload(download, () => block);
  const wholeHex = document.createElement('details');
  const summary = document.createElement('summary');
  summary.textContent = `The whole block as hex (${block.length} bytes)`;
  const pre = document.createElement('pre');
  pre.className = 'hex block-hex';
  pre.textContent = bytesToHex(block);
  wholeHex.append(summary, pre);
  item.append(
    title,
    facts([
      ['hash', hex(header.hash)],
      ['previous block', hex(field('prevHash'))],
      [
        'merkle root',
        [
          hex(parts.merkleRoot),
          parts.merkleRootMatchesHeader ? ' (matches the coinbase txid: one transaction)' : ' (does NOT match)',
        ],
      ],
      ['time', `${field('time')} (${new Date(Number(field('time')) * 1000).toISOString()})`],
      ['bits', [hex(header.bits.hex), ': target ', hex(header.target)]],
      ['nonce', field('nonce')],
      ['leading zero bits', `${header.leadingZeroBits} (the target asks for ${header.targetLeadingZeroBits})`],
      ['midstate', hex(header.midstate)],
      [
        'coinbase',
        [
          `height ${parts.coinbase.bip34Height} (BIP 34), extranonce ${parts.coinbase.extranonceIndex}, tag ${JSON.stringify(parts.coinbase.tag)}, txid `,
          hex(parts.coinbase.txid),
        ],
      ],
    ]),
    wholeHex,
    download,
  );
  return item;
}

function summarise(height: number, tip: Node | string): void {
  $('chain-summary').dataset.height = String(height);
  show('chain-summary', `${height} block${height === 1 ? '' : 's'} on top of the regtest genesis; tip `, tip);
}

export class ChainView {
  /** blocks.dat as last read, for its download. */
  private storeBytes: Uint8Array = new Uint8Array(0);

  constructor(private readonly warn: (message: string) => void) {
    offerDownload($<HTMLAnchorElement>('download-chain'), () => this.storeBytes);
  }

  /** Read the whole chain from IndexedDB and show it. */
  async refresh(): Promise<void> {
    const storage = await openChainDb(this.warn);
    try {
      const bytes = storage.bytes();
      const scan = scanStore(bytes);
      $('block-list').replaceChildren(
        ...scan.blocks
          .map((stored) => blockItem(stored.height, storedBlockBytes({ bytes, scan }, stored.height)))
          .reverse(),
      );
      const tip = scan.blocks[scan.blocks.length - 1];
      if (scan.problem) {
        $('chain-summary').dataset.height = String(scan.blocks.length);
        say('chain-summary', `The stored chain is damaged at block ${scan.problem.height}: ${scan.problem.reason}.`);
      } else summarise(scan.blocks.length, tip ? hex(hashToDisplayHex(tip.hash)) : 'the genesis block');
      this.storeBytes = storage.storeBytes();
    } finally {
      storage.close();
    }
  }

  /** A block just mined, on top of those shown. */
  added(height: number, block: Uint8Array, hash: string): void {
    $('block-list').prepend(blockItem(height, block));
    summarise(height, hex(hash));
  }
}
