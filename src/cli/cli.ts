/** The yargs parser: global options, one module per command, and one way to fail. */
import yargs, { type Argv } from 'yargs';
import { PowlabError } from '../errors.js';
import { commandNames, commands } from './commands/index.js';
import { version } from './version.js';

const forHelp = '(--help lists what this command takes)';
const NOT_UNDERSTOOD = 'not understood: ';

/**
 * yargs' own complaints, in words a student reads without knowing yargs. Every %s is used (y18n
 * appends any left over); a count-dependent message takes { one, other }, which y18n reads though
 * yargs' type for updateStrings allows strings only.
 */
const plainWords = {
  'Not enough arguments following: %s': '--%s needs a value',
  'Arguments %s and %s are mutually exclusive': 'give --%s or --%s, not both',
  'Missing required argument: %s': { one: `missing --%s ${forHelp}`, other: `missing %s ${forHelp}` },
  'Unknown argument: %s': { one: `${NOT_UNDERSTOOD}%s ${forHelp}`, other: `${NOT_UNDERSTOOD}%s ${forHelp}` },
} as unknown as Record<string, string>;

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
    .updateStrings(plainWords)
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((message, error) => {
      // yargs' own complaints about the command line (YError) are usage errors like any other.
      if (error && error.name !== 'YError') throw error;
      const complaint = message ?? error?.message ?? 'bad usage';
      // recommendCommands says only "Did you mean mine?": name what was not understood, too.
      throw new PowlabError(
        /^Did you mean/.test(complaint)
          ? `unknown command ${unknownCommand(argv)}: did you mean${complaint.slice('Did you mean'.length)}`
          : complaint.startsWith(NOT_UNDERSTOOD)
            ? notUnderstood(complaint, argv)
            : complaint,
        'ERR_USAGE',
        2,
      );
    });
  for (const command of commands) cli = cli.command(command);
  return cli;
}

/** yargs names an unknown option without its dashes (`foo` for `--foo`, `such` for `--no-such`): name it as typed. */
function notUnderstood(complaint: string, argv: string[]): string {
  const names = complaint.slice(NOT_UNDERSTOOD.length, -` ${forHelp}`.length).split(', ');
  const options = argv.filter((word) => word.startsWith('-')).map((word) => word.replace(/=.*$/, ''));
  // yargs names --no-such-option twice, the second time as suchOption.
  const kebab = (name: string) => name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
  const typed = names.map((name) => options.find((option) => option.replace(/^-+(no-)?/, '') === kebab(name)) ?? name);
  return `${NOT_UNDERSTOOD}${[...new Set(typed)].join(', ')} ${forHelp}`;
}

/** The word yargs could not place: the first that is no command name (`foo` in `powlab chain foo`). */
function unknownCommand(argv: string[]): string {
  const words = argv.filter((word) => !word.startsWith('-'));
  return words.find((word) => !commandNames.has(word)) ?? words[0] ?? '';
}
