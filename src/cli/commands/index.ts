import type { CommandModule } from 'yargs';
import { benchCommand } from './bench.js';
import { chainCommand, chainSubcommands } from './chain.js';
import { economicsCommand } from './economics.js';
import { explainCommand } from './explain.js';
import { grindCommand } from './grind.js';
import { hashCommand } from './hash.js';
import { labCommand, labSubcommands } from './lab.js';
import { mineCommand } from './mine.js';
import { nodeCommand } from './node.js';
import { poolCommand } from './pool.js';
import { serveCommand } from './serve.js';

// Each command's argv differs; yargs takes them all as modules over the empty global argv.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<object, any>[] = [
  hashCommand,
  mineCommand,
  grindCommand,
  chainCommand,
  benchCommand,
  explainCommand,
  economicsCommand,
  poolCommand,
  nodeCommand,
  labCommand,
  serveCommand,
];

/** Every command's name, the chain's own commands too, so an unknown word can be told from a known one. */
export const commandNames = new Set(
  [...commands, ...chainSubcommands, ...labSubcommands].flatMap(({ command }) =>
    [command ?? []].flat().map((usage) => usage.split(' ')[0]),
  ),
);
