/**
 * The economics of mining in closed form. A hash meets a difficulty-D target with probability
 * 1 / (D * 2^32), so blocks arrive as a Poisson process of rate hashrate / (D * 2^32); everything
 * else is that rate multiplied by a reward, a price, or a power draw.
 */

import { chanceOfFindWithin, expectedSecondsToFind } from '../core/odds.js';
import { HASHES_PER_DIFFICULTY } from '../core/target.js';

/** The block interval the difficulty retargets towards. */
export const TARGET_BLOCK_SECONDS = 600;
const SECONDS_PER_DAY = 86_400;
const JOULES_PER_KWH = 3.6e6;

export interface EconomicsInputs {
  /** Hashes per second. */
  hashrate: number;
  watts: number;
  difficulty: number;
  /** BTC per block: subsidy plus fees. */
  reward: number;
  /** USD per BTC. */
  btcPrice: number;
  /** USD per kWh. */
  kwhPrice: number;
  /** The period `probabilityAtLeastOneBlock` covers. */
  hours: number;
}

export interface EconomicsResult {
  expectedHashesPerBlock: number;
  expectedSecondsPerBlock: number;
  blocksPerDay: number;
  btcPerDay: number;
  probabilityAtLeastOneBlock: number;
  kwhPerBlock: number;
  costPerDay: number;
  revenuePerDay: number;
  profitPerDay: number;
  breakEvenKwhPrice: number;
  networkShare: number;
}

/** The hashrate at which the network finds a block every ten minutes on average. */
export function networkHashrateFromDifficulty(difficulty: number): number {
  return (difficulty * HASHES_PER_DIFFICULTY) / TARGET_BLOCK_SECONDS;
}

export function difficultyFromNetworkHashrate(networkHashrate: number): number {
  return (networkHashrate * TARGET_BLOCK_SECONDS) / HASHES_PER_DIFFICULTY;
}

export function economics(inputs: EconomicsInputs): EconomicsResult {
  const { hashrate, watts, difficulty, reward, btcPrice, kwhPrice, hours } = inputs;
  const expectedHashesPerBlock = difficulty * HASHES_PER_DIFFICULTY;
  const expectedSecondsPerBlock = expectedSecondsToFind(expectedHashesPerBlock, hashrate);
  const blocksPerDay = SECONDS_PER_DAY / expectedSecondsPerBlock;
  const btcPerDay = blocksPerDay * reward;
  const probabilityAtLeastOneBlock = chanceOfFindWithin(hours * 3600, expectedHashesPerBlock, hashrate);
  const kwhPerBlock = (watts * expectedSecondsPerBlock) / JOULES_PER_KWH;
  const kwhPerDay = (watts * SECONDS_PER_DAY) / JOULES_PER_KWH;
  const costPerDay = kwhPerDay * kwhPrice;
  const revenuePerDay = btcPerDay * btcPrice;
  return {
    expectedHashesPerBlock,
    expectedSecondsPerBlock,
    blocksPerDay,
    btcPerDay,
    probabilityAtLeastOneBlock,
    kwhPerBlock,
    costPerDay,
    revenuePerDay,
    profitPerDay: revenuePerDay - costPerDay,
    breakEvenKwhPrice: (reward * btcPrice) / kwhPerBlock,
    networkShare: hashrate / networkHashrateFromDifficulty(difficulty),
  };
}
