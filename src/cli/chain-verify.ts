/** `powlab chain verify`: read the store without changing it and judge every block in it (none, before any is mined). */
import { hashToDisplayHex } from '../core/header.js';
import { readStore } from '../sources/chain-files.js';
import { countOf } from '../format/numbers.js';
import { printJson } from './output.js';

export function verifyChain(args: { datadir: string; json: boolean }): void {
  const { file, scan } = readStore(args.datadir);
  const tip = scan.blocks[scan.blocks.length - 1];
  const result = {
    ok: !scan.problem && scan.tornAt === undefined,
    blocks: scan.blocks.length,
    tip: tip ? hashToDisplayHex(tip.hash) : null,
    ...(scan.problem
      ? { badHeight: scan.problem.height, badOffset: scan.problem.offset, reason: scan.problem.reason }
      : {}),
    ...(scan.tornAt !== undefined
      ? { tornAt: scan.tornAt, reason: 'the store ends in a torn write (the next powlab mine cuts it off)' }
      : {}),
  };
  if (args.json) printJson(result);
  else if (result.ok && result.blocks === 0)
    // What chain list shows too: a chain not mined yet is the regtest genesis alone, which is fixed.
    process.stdout.write(`ok: 0 blocks after the genesis in ${args.datadir}: nothing to check yet\n`);
  else if (result.ok) process.stdout.write(`ok: ${countOf(result.blocks, 'block')} in ${file}, tip ${result.tip}\n`);
  if (scan.problem) {
    process.stderr.write(
      `powlab: block ${scan.problem.height} is bad (byte ${scan.problem.offset} of ${file}): ${scan.problem.reason}\n`,
    );
    process.exitCode = 1;
  } else if (scan.tornAt !== undefined) {
    process.stderr.write(
      `powlab: ${file} ends in a torn write at byte ${scan.tornAt} after ${scan.blocks.length} good blocks (the next powlab mine cuts it off)\n`,
    );
    process.exitCode = 1;
  }
}
