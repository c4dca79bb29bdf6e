/**
 * The built-in chain's block store: one append-only file of records
 *   magic "PWLB" | length (u32 LE) | ~length (u32 LE) | block | first 4 bytes of sha256d(block)
 * so a torn write at the end (a power cut mid-append) can be told from corruption inside: a torn
 * tail is cut off at the next open with a warning; anything else is refused and left untouched.
 * A record that runs past the end of the file is a torn tail unless a whole record (framing and
 * checksum) follows inside it: then bytes went missing in the middle. A mere "PWLB" inside the
 * cut record proves nothing, as a payout script may hold those bytes.
 * Where the bytes live is a seam (ChainStorage): a file in Node (chain-files.ts), IndexedDB in a
 * browser (src/ui/app/chain-db.ts); the format and every check are this module's alone.
 */
import { bytesEqual, concatBytes, readUint32LE, uint32LE } from '../core/bytes.js';
import { checkBlock, parseBlock } from '../core/block.js';
import { BlockHeader, hashToDisplayHex, headerHash, serializeHeader } from '../core/header.js';
import { ChainParams, genesisHash, REGTEST } from '../core/params.js';
import { bitsToTarget } from '../core/target.js';
import { bip34HeightPush } from '../core/tx.js';
import { sha256d } from '../core/sha256.js';
import { Errors, errorMessage } from '../errors.js';
import { countOf } from '../format/numbers.js';
import type { BestHash } from '../miner/best.js';

const MAGIC = Uint8Array.of(0x50, 0x57, 0x4c, 0x42);
const RECORD_HEAD = 12;
const CHECKSUM = 4;

export interface StoredBlock {
  height: number;
  /** Internal byte order. */
  hash: Uint8Array;
  header: BlockHeader;
  offset: number;
  length: number;
}

export interface StoreScan {
  blocks: StoredBlock[];
  /** Where a torn final record starts, if the file ends in one. */
  tornAt?: number;
  /** The first problem that is not a torn tail. */
  problem?: { height: number; offset: number; reason: string };
}

/** Where a store's bytes and its best hash are kept. Reads happen at open; appends must be durable when they resolve. */
export interface ChainStorage {
  /** The store's name in messages: a file's path, a browser database's name. */
  readonly name: string;
  /** Where the store lives, for a person: a datadir, this browser. */
  readonly place: string;
  /** What to run to look at a damaged store, for the message that refuses it. */
  readonly checkHint: string;
  /** Every byte stored, as it was when the storage was opened. */
  bytes(): Uint8Array;
  /** Cut off everything from byte `length` on (a torn tail). */
  truncate(length: number): void;
  /** Add one record at the end; resolves once it is durable. */
  append(record: Uint8Array): void | Promise<void>;
  /** The best hash of all runs kept beside the blocks, if any. */
  readBest(): BestHash | null;
  writeBest(best: BestHash): void;
  /** Keep a copy of a block the store could not take (a full disk) somewhere else; returns where. */
  saveRefusedBlock?(refused: { height: number; hash: string; header: string; block: string }): string;
  close(): void;
}

export function encodeRecord(block: Uint8Array): Uint8Array {
  return concatBytes(
    MAGIC,
    uint32LE(block.length),
    uint32LE(~block.length >>> 0),
    block,
    sha256d(block).subarray(0, CHECKSUM),
  );
}

/** Is there a whole record (magic, matching length pair, block, checksum) anywhere in `bytes` from `from` on? */
function containsWholeRecord(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i + RECORD_HEAD + CHECKSUM <= bytes.length; i++) {
    if (bytes[i] !== MAGIC[0] || bytes[i + 1] !== MAGIC[1] || bytes[i + 2] !== MAGIC[2] || bytes[i + 3] !== MAGIC[3])
      continue;
    const length = readUint32LE(bytes, i + 4);
    if (~length >>> 0 !== readUint32LE(bytes, i + 8) || i + RECORD_HEAD + length + CHECKSUM > bytes.length) continue;
    const block = bytes.subarray(i + RECORD_HEAD, i + RECORD_HEAD + length);
    const checksum = bytes.subarray(i + RECORD_HEAD + length, i + RECORD_HEAD + length + CHECKSUM);
    if (bytesEqual(sha256d(block).subarray(0, CHECKSUM), checksum)) return true;
  }
  return false;
}

/** Read every record and check every block against the chain: links, proof of work, merkle root, height. */
export function scanStore(bytes: Uint8Array, params: ChainParams = REGTEST): StoreScan {
  const blocks: StoredBlock[] = [];
  const powLimit = bitsToTarget(params.powLimitBits);
  let previous = genesisHash(params);
  let offset = 0;
  while (offset < bytes.length) {
    const height = blocks.length + 1;
    const rest = bytes.subarray(offset);
    const fail = (reason: string): StoreScan => ({ blocks, problem: { height, offset, reason } });
    const torn = (): StoreScan => ({ blocks, tornAt: offset });
    if (rest.length < RECORD_HEAD)
      return rest.every((b) => b === 0) ||
        bytesEqual(rest.subarray(0, Math.min(4, rest.length)), MAGIC.subarray(0, Math.min(4, rest.length)))
        ? torn()
        : fail('record header damaged');
    if (!bytesEqual(rest.subarray(0, 4), MAGIC))
      return rest.every((b) => b === 0) ? torn() : fail('record magic damaged');
    const length = readUint32LE(rest, 4);
    if (~length >>> 0 !== readUint32LE(rest, 8)) return fail('record length damaged');
    if (RECORD_HEAD + length + CHECKSUM > rest.length)
      return containsWholeRecord(rest, RECORD_HEAD) ? fail('record cut short inside the store') : torn();
    const block = rest.subarray(RECORD_HEAD, RECORD_HEAD + length);
    if (
      !bytesEqual(
        sha256d(block).subarray(0, CHECKSUM),
        rest.subarray(RECORD_HEAD + length, RECORD_HEAD + length + CHECKSUM),
      )
    )
      return fail('checksum mismatch (the block bytes changed on disk)');
    let parsed;
    try {
      parsed = parseBlock(block);
    } catch (error) {
      return fail(errorMessage(error));
    }
    const hash = headerHash(serializeHeader(parsed.header));
    const where = `block ${height} (${hashToDisplayHex(hash)})`;
    if (!bytesEqual(parsed.header.prevHash, previous)) return fail(`${where} does not link to the block before it`);
    const reason = checkBlock(parsed);
    if (reason) return fail(`${where}: ${reason}`);
    if (bitsToTarget(parsed.header.bits) > powLimit)
      return fail(`${where}: target above the chain's proof-of-work limit`);
    const expectedHeight = bip34HeightPush(height);
    if (!bytesEqual(parsed.transactions[0].inputs[0].scriptSig.subarray(0, expectedHeight.length), expectedHeight))
      return fail(`${where}: coinbase does not start with height ${height} (BIP 34)`);
    blocks.push({ height, hash, header: parsed.header, offset: offset + RECORD_HEAD, length });
    previous = hash;
    offset += RECORD_HEAD + length + CHECKSUM;
  }
  return { blocks };
}

export class ChainStore {
  private constructor(
    readonly storage: ChainStorage,
    readonly params: ChainParams,
    readonly blocks: StoredBlock[],
  ) {}

  /** Open a store over `storage`, cutting off a torn tail. A store with any other damage is refused untouched (and its storage closed). */
  static open(
    storage: ChainStorage,
    params: ChainParams = REGTEST,
    warn: (message: string) => void = () => {},
  ): ChainStore {
    try {
      const bytes = storage.bytes();
      const scan = scanStore(bytes, params);
      if (scan.problem)
        throw Errors.store(
          `store ${storage.name} is damaged at block ${scan.problem.height} (byte ${scan.problem.offset}): ${scan.problem.reason}; left untouched (${storage.checkHint})`,
        );
      if (scan.tornAt !== undefined) {
        warn(
          `store ${storage.name} ended in a torn write (${countOf(bytes.length - scan.tornAt, 'byte')} at byte ${scan.tornAt}): cut off; ${countOf(scan.blocks.length, 'block')} kept`,
        );
        storage.truncate(scan.tornAt);
      }
      return new ChainStore(storage, params, scan.blocks);
    } catch (error) {
      storage.close();
      throw error;
    }
  }

  get height(): number {
    return this.blocks.length;
  }

  tip(): { height: number; hash: Uint8Array; header: BlockHeader } {
    const last = this.blocks[this.blocks.length - 1];
    return last ?? { height: 0, hash: genesisHash(this.params), header: this.params.genesisHeader };
  }

  /** Times of the last `count` blocks, newest last (genesis included), for median-time-past. */
  recentTimes(count = 11): number[] {
    const times = [this.params.genesisHeader.time, ...this.blocks.map((b) => b.header.time)];
    return times.slice(-count);
  }

  /**
   * Append a block that extends the tip, durable before this resolves. When the write fails (a full
   * disk) the storage throws a WriteError and is as it was: the block is not in the store.
   */
  async append(block: Uint8Array): Promise<StoredBlock> {
    const parsed = parseBlock(block);
    const hash = headerHash(serializeHeader(parsed.header));
    if (!bytesEqual(parsed.header.prevHash, this.tip().hash))
      throw Errors.store('block does not extend the stored tip');
    const record = encodeRecord(block);
    const offset =
      this.blocks.length === 0
        ? 0
        : this.blocks[this.blocks.length - 1].offset + this.blocks[this.blocks.length - 1].length + CHECKSUM;
    await this.storage.append(record);
    const stored = {
      height: this.blocks.length + 1,
      hash,
      header: parsed.header,
      offset: offset + RECORD_HEAD,
      length: block.length,
    };
    this.blocks.push(stored);
    return stored;
  }

  close(): void {
    this.storage.close();
  }
}

/** The bytes of block `height` in a scanned store. */
export function storedBlockBytes(store: { bytes: Uint8Array; scan: StoreScan }, height: number): Uint8Array {
  const stored = store.scan.blocks[height - 1];
  if (!stored)
    throw Errors.store(
      `no block at height ${height} (the store holds ${store.scan.blocks.length ? `1..${store.scan.blocks.length}` : 'no blocks'})`,
    );
  return store.bytes.subarray(stored.offset, stored.offset + stored.length);
}
