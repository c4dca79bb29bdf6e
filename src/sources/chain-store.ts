/**
 * The built-in chain's block store: one append-only file of records, one per block in the order the
 * blocks arrived, side branches included (the block tree is src/chain/tree.ts's):
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
import { parseBlock } from '../core/block.js';
import { BlockHeader, hashToDisplayHex, headerHash, serializeHeader } from '../core/header.js';
import { ChainParams, REGTEST } from '../core/params.js';
import { sha256d } from '../core/sha256.js';
import { BlockRefusedError, blockViolation } from '../chain/rules.js';
import { BlockTree, type Reorg, type TreeBlock } from '../chain/tree.js';
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

/** Where each block's bytes are in the store, by block id (display hex). */
type Locations = Map<string, { offset: number; length: number }>;

export interface StoreScan {
  /** The active chain after the genesis, by height. */
  blocks: StoredBlock[];
  /** Every block read, side branches included. */
  tree: BlockTree;
  locations: Locations;
  /** Where a torn final record starts, if the file ends in one. */
  tornAt?: number;
  /** The first problem that is not a torn tail; `height` counts records (the block's height on a chain without branches). */
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

/** The active chain after the genesis as stored blocks. */
function activeBlocks(tree: BlockTree, locations: Locations): StoredBlock[] {
  return tree
    .activeChain()
    .slice(1)
    .map((block) => ({ height: block.height, hash: block.hash, header: block.header, ...locations.get(block.id)! }));
}

/**
 * Read every record and judge every block against the tree before it (src/chain/rules.ts): its
 * parent stored before it, proof of work, merkle root, BIP 34 height, and on a retargeting chain its
 * bits and time. A block's time is not judged against today's clock again: it was when it came.
 */
export function scanStore(bytes: Uint8Array, params: ChainParams = REGTEST): StoreScan {
  const tree = new BlockTree(params);
  const locations: Locations = new Map();
  let records = 0;
  let offset = 0;
  const result = (extra: Partial<StoreScan> = {}): StoreScan => ({
    blocks: activeBlocks(tree, locations),
    tree,
    locations,
    ...extra,
  });
  while (offset < bytes.length) {
    const record = records + 1;
    const rest = bytes.subarray(offset);
    const fail = (reason: string): StoreScan => result({ problem: { height: record, offset, reason } });
    const torn = (): StoreScan => result({ tornAt: offset });
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
    const id = hashToDisplayHex(headerHash(serializeHeader(parsed.header)));
    if (tree.get(id)) return fail(`block ${id} is stored twice`);
    const violation = blockViolation(tree, parsed, Number.POSITIVE_INFINITY);
    if (violation) {
      const parent = tree.get(hashToDisplayHex(parsed.header.prevHash));
      return fail(
        violation.rule === 'prev-blk-not-found'
          ? `block ${record} (${id}) does not link to a block stored before it`
          : `block ${parent ? parent.height + 1 : record} (${id}): ${violation.rule}: ${violation.why}`,
      );
    }
    tree.add(parsed.header);
    locations.set(id, { offset: offset + RECORD_HEAD, length });
    records = record;
    offset += RECORD_HEAD + length + CHECKSUM;
  }
  return result();
}

/** A block the store took (or held already), where it is, and how the tip moved. */
export interface Appended extends StoredBlock {
  block: TreeBlock;
  /** Now on the active chain. */
  active: boolean;
  /** It was in the store before: nothing was written. */
  duplicate: boolean;
  reorg?: Reorg;
}

export class ChainStore {
  private readonly reorgListeners = new Set<(reorg: Reorg) => void>();

  private constructor(
    readonly storage: ChainStorage,
    readonly params: ChainParams,
    readonly tree: BlockTree,
    private readonly locations: Locations,
    /** Where the next record goes. */
    private end: number,
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
          `store ${storage.name} ended in a torn write (${countOf(bytes.length - scan.tornAt, 'byte')} at byte ${scan.tornAt}): cut off; ${countOf(scan.tree.blocks().length, 'block')} kept`,
        );
        storage.truncate(scan.tornAt);
      }
      return new ChainStore(storage, params, scan.tree, scan.locations, scan.tornAt ?? bytes.length);
    } catch (error) {
      storage.close();
      throw error;
    }
  }

  /** The active chain after the genesis. */
  get blocks(): StoredBlock[] {
    return activeBlocks(this.tree, this.locations);
  }

  get height(): number {
    return this.tree.tip.height;
  }

  tip(): { height: number; hash: Uint8Array; header: BlockHeader } {
    return this.tree.tip;
  }

  /**
   * Add a valid block to the tree, durable before this resolves; `now` (seconds) is the clock its
   * time is judged against. A block that breaks a rule throws BlockRefusedError; one already stored
   * is answered as a duplicate, unwritten. When the write fails (a full disk) the storage throws a
   * WriteError and is as it was: the block is not in the store.
   */
  async append(block: Uint8Array, now = Math.floor(Date.now() / 1000)): Promise<Appended> {
    const parsed = parseBlock(block);
    const id = hashToDisplayHex(headerHash(serializeHeader(parsed.header)));
    const known = this.tree.get(id);
    if (known) return this.appended(known, true);
    const violation = blockViolation(this.tree, parsed, now);
    if (violation) throw new BlockRefusedError(violation.rule, violation.why, id);
    const record = encodeRecord(block);
    await this.storage.append(record);
    this.locations.set(id, { offset: this.end + RECORD_HEAD, length: block.length });
    this.end += record.length;
    const { block: added, reorg } = this.tree.add(parsed.header);
    if (reorg) for (const listener of this.reorgListeners) listener(reorg);
    return { ...this.appended(added, false), ...(reorg ? { reorg } : {}) };
  }

  /** Calls `listener` with each reorg an append makes from now on (whoever appended); returns what stops it. */
  onReorg(listener: (reorg: Reorg) => void): () => void {
    this.reorgListeners.add(listener);
    return () => this.reorgListeners.delete(listener);
  }

  private appended(block: TreeBlock, duplicate: boolean): Appended {
    const location = this.locations.get(block.id)!;
    return {
      height: block.height,
      hash: block.hash,
      header: block.header,
      ...location,
      block,
      active: this.tree.isActive(block),
      duplicate,
    };
  }

  close(): void {
    this.storage.close();
  }
}

/** The bytes of block `height` of the active chain in a scanned store. */
export function storedBlockBytes(store: { bytes: Uint8Array; scan: StoreScan }, height: number): Uint8Array {
  const stored = store.scan.blocks[height - 1];
  if (!stored)
    throw Errors.store(
      `no block at height ${height} (the store holds ${store.scan.blocks.length ? `1..${store.scan.blocks.length}` : 'no blocks'})`,
    );
  return store.bytes.subarray(stored.offset, stored.offset + stored.length);
}

/** The bytes of any stored block, side branches included, by its id. */
export function blockBytesById(store: { bytes: Uint8Array; scan: StoreScan }, id: string): Uint8Array | undefined {
  const location = store.scan.locations.get(id);
  return location && store.bytes.subarray(location.offset, location.offset + location.length);
}
