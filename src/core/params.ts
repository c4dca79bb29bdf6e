/** Chain parameters: what differs between main-net, regtest and classnet for a miner. */
import { hexToBytes } from './bytes.js';
import { BlockHeader, displayHexToHash } from './header.js';
import { pushData } from './encoding.js';
import { concatBytes } from './bytes.js';
import { Transaction, txid } from './tx.js';

/**
 * How a chain's difficulty follows its blocks (Bitcoin Core's Consensus::Params nPowTargetSpacing and
 * DifficultyAdjustmentInterval()); absent on chains that never retarget (regtest's fPowNoRetargeting).
 */
export interface RetargetParams {
  /** Seconds the chain aims for between blocks. */
  spacing: number;
  /** Blocks between two retargets: bits change only at heights that are multiples of it. */
  interval: number;
  /** The bits of the first window (blocks 1 to interval - 1), chosen when the chain is created. */
  startBits: number;
}

export interface ChainParams {
  name: 'main' | 'regtest' | 'classnet';
  genesisHeader: BlockHeader;
  genesisCoinbase: Transaction;
  /** Genesis hash, shown reversed. */
  genesisHashHex: string;
  /** The easiest target allowed, compact form. */
  powLimitBits: number;
  bech32Prefix: string;
  pubkeyHashPrefix: number;
  scriptHashPrefix: number;
  subsidyHalvingInterval: number;
  /** The four bytes that open every P2P message (Core's pchMessageStart). */
  messageStart: Uint8Array;
  retarget?: RetargetParams;
}

const COIN = 100_000_000n;

// The genesis coinbase, the same on every chain: Satoshi's headline and a 50 BTC output.
const GENESIS_HEADLINE = new TextEncoder().encode(
  'The Times 03/Jan/2009 Chancellor on brink of second bailout for banks',
);
const GENESIS_PUBKEY = hexToBytes(
  '04678afdb0fe5548271967f1a67130b7105cd6a828e03909a67962e0ea1f61deb649f6bc3f4cef38c4f35504e51ec112de5c384df7ba0b8d578a4c702b6bf11d5f',
);
const GENESIS_COINBASE: Transaction = {
  version: 1,
  inputs: [
    {
      prevTxid: new Uint8Array(32),
      prevIndex: 0xffffffff,
      // 486604799 (0x1d00ffff) pushed as 4 bytes, then the number 4, then the headline.
      scriptSig: concatBytes(hexToBytes('04ffff001d010445'), GENESIS_HEADLINE),
      sequence: 0xffffffff,
      witness: [],
    },
  ],
  outputs: [{ value: 50n * COIN, script: concatBytes(pushData(GENESIS_PUBKEY), Uint8Array.of(0xac)) }],
  locktime: 0,
};

function genesisHeader(time: number, bits: number, nonce: number): BlockHeader {
  return { version: 1, prevHash: new Uint8Array(32), merkleRoot: txid(GENESIS_COINBASE), time, bits, nonce };
}

export const MAINNET: ChainParams = {
  name: 'main',
  genesisHeader: genesisHeader(1231006505, 0x1d00ffff, 2083236893),
  genesisCoinbase: GENESIS_COINBASE,
  genesisHashHex: '000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f',
  powLimitBits: 0x1d00ffff,
  bech32Prefix: 'bc',
  pubkeyHashPrefix: 0x00,
  scriptHashPrefix: 0x05,
  subsidyHalvingInterval: 210_000,
  messageStart: hexToBytes('f9beb4d9'),
};

export const REGTEST: ChainParams = {
  name: 'regtest',
  genesisHeader: genesisHeader(1296688602, 0x207fffff, 2),
  genesisCoinbase: GENESIS_COINBASE,
  genesisHashHex: '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206',
  powLimitBits: 0x207fffff,
  bech32Prefix: 'bcrt',
  pubkeyHashPrefix: 0x6f,
  scriptHashPrefix: 0xc4,
  subsidyHalvingInterval: 150,
  messageStart: hexToBytes('fabfb5da'),
};

export const CLASSNET_DEFAULTS = { spacing: 10, interval: 20 } as const;

/**
 * classnet: regtest's proof-of-work limit, addresses and subsidy, with a genesis of its own (mined
 * at 2025-12-01T00:00:00Z) and a difficulty that retargets as main-net's does, on a classroom's scale.
 */
export function classnetParams(retarget: RetargetParams): ChainParams {
  return {
    ...REGTEST,
    name: 'classnet',
    genesisHeader: genesisHeader(1764547200, REGTEST.powLimitBits, 2),
    genesisHashHex: '1aa7164b170e4ea714cb12ed015793e702328017510a037b18d40f26c3ff582d',
    messageStart: hexToBytes('c1a55e70'),
    retarget,
  };
}

export function genesisHash(params: ChainParams): Uint8Array {
  return displayHexToHash(params.genesisHashHex);
}

/** The block subsidy at a height: 50 BTC halved every interval, zero after 64 halvings. */
export function blockSubsidy(height: number, params: ChainParams): bigint {
  const halvings = Math.floor(height / params.subsidyHalvingInterval);
  if (halvings >= 64) return 0n;
  return (50n * COIN) >> BigInt(halvings);
}
