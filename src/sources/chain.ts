/**
 * The built-in chain: blocks that start from the regtest (or classnet) genesis, each with a BIP 34
 * coinbase, mined at a demo target the header's own bits encode (on classnet, the bits the retarget
 * rule gives), kept in the append-only store
 * over whatever storage the platform has (chain-files.ts in Node, IndexedDB in the web app).
 */
import { serializeBlock } from '../core/block.js';
import { hashToDisplayHex, headerHash, serializeHeader, type BlockHeader } from '../core/header.js';
import { blockSubsidy, REGTEST, type ChainParams } from '../core/params.js';
import { bitsToTarget, targetToBits } from '../core/target.js';
import { buildCoinbase, POWLAB_TAG, serializeTx, txid } from '../core/tx.js';
import { bytesToHex, hexToBytes } from '../core/bytes.js';
import { BlockNotStoredError, Errors, PowlabError } from '../errors.js';
import type { BestHash } from '../miner/best.js';
import type { Solution, Work } from '../miner/work.js';
import type { FindOutcome, MiningSource, WorkSink } from '../mining/source.js';
import { minerTime } from '../chain/time-rules.js';
import type { TreeBlock } from '../chain/tree.js';
import { ChainStore, type ChainStorage } from './chain-store.js';

/** BIP 9 version bits with no deployment signalled. */
const BLOCK_VERSION = 0x20000000;
const EXTRANONCE_BYTES = 8;

export interface MinedBlock {
  height: number;
  hash: string;
  header: string;
  nonce: number;
  block: string;
  hashes: number;
  seconds: number;
  hashrate: number;
  extranonce: number;
}

export interface ChainOptions {
  /** REGTEST unless named: classnet's parameters come from its datadir. */
  params?: ChainParams;
  /** Opened only once the target is known to be good, so a bad target leaves no trace. */
  openStorage: () => ChainStorage;
  payoutScript: Uint8Array;
  /** Mining target on a chain that never retargets; the header's bits are its compact form, and blocks are mined at what those bits say. */
  target: bigint;
  warn?: (message: string) => void;
}

export interface ChainWork extends Work {
  readonly height: number;
  readonly template: Omit<BlockHeader, 'merkleRoot' | 'nonce'>;
}

export class BuiltInChain implements MiningSource<ChainWork, MinedBlock> {
  readonly name: string;
  readonly finds = 'block';
  private sink?: WorkSink<ChainWork>;
  /** The block to mine on instead of the tip: a double spender's private branch, which has less work than the tip. */
  private parent?: TreeBlock;

  private constructor(
    readonly store: ChainStore,
    private readonly payoutScript: Uint8Array,
    private readonly fixedBits: number,
  ) {
    this.name = `the built-in ${store.params.name} chain`;
  }

  static open(options: ChainOptions): BuiltInChain {
    const bits = targetToBits(options.target);
    const target = bitsToTarget(bits); // refuses a target that rounds to nothing in compact form
    if (target > bitsToTarget(REGTEST.powLimitBits)) {
      throw Errors.badTarget(
        `easier than regtest allows (its limit is bits ${REGTEST.powLimitBits.toString(16)}, about 1 leading zero bit)`,
      );
    }
    return new BuiltInChain(
      ChainStore.open(options.openStorage(), options.params ?? REGTEST, options.warn),
      options.payoutScript,
      bits,
    );
  }

  get params(): ChainParams {
    return this.store.params;
  }

  /** The bits a block on `parent` carries: the retarget rule's on a chain that has one. */
  bitsAfter(parent: TreeBlock = this.store.tree.tip): number {
    return this.store.tree.requiredWork(parent)?.bits ?? this.fixedBits;
  }

  get bits(): number {
    return this.bitsAfter();
  }

  get target(): bigint {
    return bitsToTarget(this.bits);
  }

  /** Mine on `parent` from the next work on, whatever the tip; undefined: back to the tip. */
  mineOn(parent: TreeBlock | undefined): void {
    this.parent = parent;
  }

  /** Work on top of the stored tip (or the block mineOn named). */
  nextWork(): ChainWork {
    const tip = this.parent ?? this.store.tree.tip;
    const height = tip.height + 1;
    const bits = this.bitsAfter(tip);
    const template = {
      version: BLOCK_VERSION,
      prevHash: tip.hash,
      time: minerTime(Math.floor(Date.now() / 1000), this.store.tree.medianTimePast(tip)),
      bits,
    };
    return {
      id: `${this.params.name}-${height}`,
      height,
      template,
      target: bitsToTarget(bits),
      stopOnFind: true,
      extranonceCount: Number.MAX_SAFE_INTEGER,
      header: (index) => serializeHeader({ ...template, merkleRoot: txid(this.coinbase(height, index)), nonce: 0 }),
    };
  }

  label(): string {
    return `block ${this.store.height + 1}`;
  }

  open(sink: WorkSink<ChainWork>): void {
    this.sink = sink;
    sink.work(this.nextWork());
  }

  async solve(solution: Solution<ChainWork>): Promise<MinedBlock> {
    return this.accept(solution);
  }

  outcome(block: MinedBlock): FindOutcome {
    return {
      kind: 'block',
      block: true,
      height: block.height,
      counts: true,
      // Whose addresses the block's outputs are written in: classnet's are regtest's.
      wholeBlock: { bytes: hexToBytes(block.block), chain: 'regtest' },
    };
  }

  next(): void {
    this.sink?.work(this.nextWork());
  }

  /** The tip moved (a peer's block): new work on it, unless mineOn holds the miner on a block of its own. */
  tipMoved(): void {
    if (!this.parent) this.next();
  }

  /**
   * Turn a solution into a block, store it durably, and describe it. A block the store cannot take
   * (a full disk) throws BlockNotStoredError, after the storage keeps a copy elsewhere if it can: it
   * must not be reported as mined.
   */
  async accept(solution: Solution<ChainWork>): Promise<MinedBlock> {
    const work = solution.work;
    const coinbase = this.coinbase(work.height, solution.extranonceIndex);
    const block = serializeBlock(solution.header, [serializeTx(coinbase)]);
    let stored;
    try {
      stored = await this.store.append(block);
    } catch (error) {
      if (error instanceof PowlabError && error.code === 'ERR_WRITE')
        throw this.notStored(error, work.height, solution.header, block);
      throw error;
    }
    return {
      height: stored.height,
      hash: hashToDisplayHex(stored.hash),
      header: bytesToHex(solution.header),
      nonce: solution.nonce,
      block: bytesToHex(block),
      hashes: solution.hashes,
      seconds: solution.seconds,
      hashrate: solution.seconds > 0 ? solution.hashes / solution.seconds : 0,
      extranonce: solution.extranonceIndex,
    };
  }

  /** The store refused the block: keep a copy elsewhere if the storage can (found/ in Node), and say where the block is. */
  private notStored(error: PowlabError, height: number, header: Uint8Array, block: Uint8Array): BlockNotStoredError {
    const hash = hashToDisplayHex(headerHash(header));
    const blockHex = bytesToHex(block);
    let savedTo: string | null = null;
    try {
      savedTo =
        this.store.storage.saveRefusedBlock?.({ height, hash, header: bytesToHex(header), block: blockHex }) ?? null;
    } catch {
      // The same full disk, most likely: the block goes into the message instead.
    }
    const kept = `the store still ends at block ${this.store.height}`;
    const where = savedTo ? `a copy is in ${savedTo}` : `it could not be saved anywhere; the block: ${blockHex}`;
    return new BlockNotStoredError(
      `block ${height} (${hash}) was found but not stored: ${error.message}; ${kept}; ${where}`,
      height,
      hash,
      blockHex,
      savedTo,
    );
  }

  /** The best hash of all runs on this store. */
  knownBest(): BestHash | null {
    return this.store.storage.readBest();
  }

  saveBest(best: BestHash): void {
    this.store.storage.writeBest(best);
  }

  close(): void {
    this.store.close();
  }

  private coinbase(height: number, extranonceIndex: number) {
    const extranonce = new Uint8Array(EXTRANONCE_BYTES);
    new DataView(extranonce.buffer).setBigUint64(0, BigInt(extranonceIndex), true);
    return buildCoinbase({
      height,
      extranonce,
      value: blockSubsidy(height, this.params),
      payoutScript: this.payoutScript,
      tag: POWLAB_TAG,
    });
  }
}

/** The chain as a mining source that leaves its store open when mining ends: a P2P node still serves it. */
export function keptOpen(chain: BuiltInChain): MiningSource<ChainWork, MinedBlock> {
  return {
    name: chain.name,
    finds: chain.finds,
    label: () => chain.label(),
    open: (sink) => chain.open(sink),
    solve: (solution) => chain.solve(solution),
    outcome: (block) => chain.outcome(block),
    next: () => chain.next(),
    close: () => {},
  };
}
