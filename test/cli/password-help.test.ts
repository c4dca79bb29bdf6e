/** `mine --help` warns that a password given as a flag is visible to others, and says what to use instead. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('mine --help on passwords', () => {
  it('says flags show in the process list and points to the environment and the cookie', async () => {
    const help = await runCli(['mine', '--help']);
    expect(help.code).toBe(0);
    const text = help.stdout.replace(/\s+/g, ' ');
    expect(text).toContain(
      '--rpc-password RPC password; other users see flags in the process list (ps): prefer POWLAB_RPC_PASSWORD or --rpc-cookie',
    );
    expect(text).toContain(
      '--password pool password (default x); other users see flags in the process list (ps): prefer POWLAB_POOL_PASSWORD',
    );
  });
});
