/** The yargs parser: global options, one module per command, and one way to fail. */
import yargs, { type Argv } from 'yargs';
import { PowlabError } from '../errors.js';
import { commands } from './commands/index.js';
import { version } from './version.js';

export function buildCli(argv: string[]): Argv {
  let cli = yargs(argv)
    .scriptName('powlab')
    .usage('$0 <command> [options]\n\nA proof-of-work lab: a real Bitcoin SHA-256d miner to read, run and measure.')
    .version(version)
    .strict()
    // An option given twice keeps its last value, as most command lines do, rather than becoming a list.
    .parserConfiguration({ 'duplicate-arguments-array': false })
    .demandCommand(1, 'name a command (powlab --help lists them)')
    .recommendCommands()
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs' own complaints about the command line (YError) are usage errors like any other.
      if (error && error.name !== 'YError') throw error;
      const complaint = message ?? error?.message ?? 'bad usage';
      // recommendCommands says only "Did you mean mine?": name what was not understood, too.
      throw new PowlabError(
        /^Did you mean/.test(complaint)
          ? `unknown command ${argv[0]}: did you mean${complaint.slice('Did you mean'.length)}`
          : complaint,
        'ERR_USAGE',
        2,
      );
    });
  for (const command of commands) cli = cli.command(command);
  return cli;
}
