/**
 * `powlab chain verify`: read the store without changing it and judge every block in it (none,
 * before any is mined) by the chain's rules: on classnet the retarget and time rules too.
 */
import { countOf } from '../format/numbers.js';
import type { NetworkArgs } from './chain-options.js';
import { readChain } from './chain-read.js';
import { printJson } from './output.js';

export function verifyChain(args: NetworkArgs & { json: boolean }): void {
  const { datadir, file, params, scan } = readChain(args, false);
  const { tree } = scan;
  const stored = tree.blocks().length;
  const stale = stored - tree.tip.height;
  const result = {
    ok: !scan.problem && scan.tornAt === undefined,
    network: params.name,
    blocks: stored,
    height: tree.tip.height,
    stale,
    tip: stored > 0 ? tree.tip.id : null,
    ...(scan.problem
      ? { badHeight: scan.problem.height, badOffset: scan.problem.offset, reason: scan.problem.reason }
      : {}),
    ...(scan.tornAt !== undefined
      ? { tornAt: scan.tornAt, reason: 'the store ends in a torn write (the next powlab mine cuts it off)' }
      : {}),
  };
  const rules = params.retarget ? ' (retarget and time rules included)' : '';
  const beside = stale > 0 ? `, ${countOf(stale, 'stale block')} on side branches` : '';
  if (args.json) printJson(result);
  else if (result.ok && stored === 0)
    // What chain list shows too: a chain not mined yet is the genesis alone, which is fixed.
    process.stdout.write(`ok: 0 blocks after the genesis in ${datadir}: nothing to check yet\n`);
  else if (result.ok)
    process.stdout.write(
      `ok: ${countOf(stored, 'block')} in ${file}${rules}, tip ${result.tip} at height ${result.height}${beside}\n`,
    );
  if (scan.problem) {
    process.stderr.write(
      `powlab: block ${scan.problem.height} is bad (byte ${scan.problem.offset} of ${file}): ${scan.problem.reason}\n`,
    );
    process.exitCode = 1;
  } else if (scan.tornAt !== undefined) {
    process.stderr.write(
      `powlab: ${file} ends in a torn write at byte ${scan.tornAt} after ${countOf(stored, 'good block')} (the next powlab mine cuts it off)\n`,
    );
    process.exitCode = 1;
  }
}
