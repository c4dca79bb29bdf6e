import { describe, expect, it } from 'vitest';
import vectors from '../vectors/headers.json' with { type: 'json' };
import { runCli } from '../helpers/run-cli.js';

describe('powlab hash', () => {
  it.each(vectors.valid)('prints the hash of $description', async (v) => {
    const result = await runCli(['hash', v.hex]);
    expect(result).toMatchObject({ code: 0, stdout: `${v.hash}\n`, stderr: '' });
  });

  it('--json decodes the fields', async () => {
    const v = vectors.valid[2];
    const result = await runCli(['hash', '--json', v.hex]);
    expect(result.code).toBe(0);
    const facts = JSON.parse(result.stdout);
    expect(facts).toMatchObject({
      hash: v.hash,
      nonce: v.nonce,
      prevHash: v.prevHash,
      merkleRoot: v.merkleRoot,
      bits: v.bits,
      meetsTarget: true,
    });
    expect(facts.target).toBe('000000000004864c000000000000000000000000000000000000000000000000');
  });

  it.each([
    ['wrong length', '0100', /header must be 80 bytes/],
    ['non-hex digits', 'zz'.repeat(80), /not hexadecimal/],
    ['an invalid compact target', `${'00'.repeat(72)}ffff80ff00000000`, /invalid compact target 0xff80ffff/],
  ])('%s: one line on stderr, exit 2', async (_name, input, message) => {
    const result = await runCli(['hash', input]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });
});
