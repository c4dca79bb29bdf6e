/** A block template for pool tests that feed the connection by hand: height 7, difficulty 1, no transactions. */
import { difficultyToTarget } from '../../src/core/target.js';
import type { PoolTemplate } from '../../src/pool/jobs.js';

export function template(overrides: Partial<PoolTemplate> = {}): PoolTemplate {
  return {
    height: 7,
    prevHash: new Uint8Array(32).fill(7),
    version: 0x20000000,
    bits: 0x1d00ffff,
    target: difficultyToTarget(1),
    time: 1_700_000_000,
    reward: 5_000_000_000n,
    transactions: [],
    segwit: false,
    ...overrides,
  };
}
