/**
 * `powlab pool`'s defaults are shown in its --help, so pool-options.ts spells them out rather than
 * import the pool's server to parse a command line; they must stay the pool's own.
 */
import { describe, expect, it } from 'vitest';
import { poolOptions } from '../../src/cli/pool-options.js';
import { DEFAULT_RULES } from '../../src/pool/connection.js';
import { DEFAULT_LIMITS } from '../../src/pool/server.js';

describe('powlab pool options', () => {
  it("default to the pool's own rules and limits", () => {
    expect({
      shareSeconds: poolOptions['share-seconds'].default,
      startDifficulty: poolOptions['start-difficulty'].default,
      minDifficulty: poolOptions['min-difficulty'].default,
      maxDifficulty: poolOptions['max-difficulty'].default,
    }).toEqual(DEFAULT_RULES.vardiff);
    expect(poolOptions['max-messages-per-second'].default).toBe(DEFAULT_RULES.maxMessagesPerSecond);
    expect(poolOptions['max-connections'].default).toBe(DEFAULT_LIMITS.maxConnections);
    expect(poolOptions['max-per-address'].default).toBe(DEFAULT_LIMITS.maxConnectionsPerAddress);
  });
});
