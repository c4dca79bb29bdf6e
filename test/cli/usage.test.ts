import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('the command line as a whole', () => {
  it.each([
    [['mien'], /^powlab: unknown command mien: did you mean mine\?$/],
    [[], /^powlab: name a command/],
    [['hash'], /^powlab: hash: name a header: 160 hex digits \(80 bytes\)$/],
    [
      ['mine', '--no-such-option'],
      /^powlab: not understood: --no-such-option \(--help lists what this command takes\)$/,
    ],
    [['mine', '--zeros'], /^powlab: --zeros needs a value$/],
    [['mine', '--address', 'x', '--script', '51'], /^powlab: give --address or --script, not both$/],
    [['grind'], /^powlab: missing --header \(--help lists what this command takes\)$/],
    // Every option is checked as it is parsed, the same way: a number is quoted back as typed.
    [['pool', '--max-connections', 'many'], /^powlab: --max-connections: must be a number, got "many"$/],
    [['pool', '--page-port', '0x10'], /^powlab: --page-port: must be a number, got "0x10"$/],
    [['explain', '--height', '1e0'], /^powlab: --height: must be a height in decimal digits/],
  ])('%j: one line on stderr, exit 2', async (args, message) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });

  it('--version prints the package version and --help lists every command', async () => {
    expect((await runCli(['--version'])).stdout.trim()).toBe(version);
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['hash', 'mine', 'grind', 'chain', 'bench', 'explain', 'economics', 'pool'])
      expect(help.stdout).toMatch(new RegExp(`powlab ${command}\\b`));
  });
});
