import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./check_block.py', import.meta.url));
/** Debian's python3-bitcoinlib is installed for the system Python (.ci/run installs it). */
const PYTHON = '/usr/bin/python3';

export interface Verdict {
  ok: boolean;
  hash?: string;
  prev?: string;
  error?: string;
}

export function checkBlocksWithPythonBitcoinlib(blockHexes: string[]): Verdict[] {
  try {
    execFileSync(PYTHON, ['-c', 'import bitcoin'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      `these tests check blocks with python-bitcoinlib for ${PYTHON}: apt-get install python3-bitcoinlib (.ci/run does)`,
    );
  }
  const output = execFileSync(PYTHON, [SCRIPT], { input: `${blockHexes.join('\n')}\n`, encoding: 'utf8' });
  return output
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Verdict);
}
