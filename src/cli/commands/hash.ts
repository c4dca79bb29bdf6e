import type { Argv, CommandModule } from 'yargs';

const describe = 'Print the block hash of an 80-byte header given as 160 hex digits';

const builder = (y: Argv) =>
  y
    // Its own help names the header as needed, which it is: the handler answers its absence.
    .usage(`$0 hash <header>\n\n${describe}`)
    .positional('header', { type: 'string', describe: 'the header, 160 hex digits' })
    .option('json', {
      type: 'boolean',
      default: false,
      describe: 'print the decoded fields, target and difficulty as JSON',
    })
    .example('$0 hash 0100000000000000…', 'hash a header');

/** The argv the builder gives. */
type HashArgs = ReturnType<typeof builder> extends Argv<infer Args> ? Args : never;

export const hashCommand: CommandModule<object, HashArgs> = {
  // Optional to yargs, so that a missing header gets the same answer as a bad one.
  command: 'hash [header]',
  describe,
  builder,
  handler: async (argv) => {
    const { describeHeader } = await import('../../core/describe.js');
    const { headerBytesFromHex } = await import('../../core/header.js');
    const { printJson } = await import('../output.js');
    const { Errors } = await import('../../errors.js');
    if (argv.header === undefined) throw Errors.badData('hash', 'name a header: 160 hex digits (80 bytes)');
    const facts = describeHeader(headerBytesFromHex(argv.header));
    if (argv.json) printJson(facts);
    else process.stdout.write(`${facts.hash}\n`);
  },
};
