/** `powlab grind`: one header, one target, a range of nonces; exit 0 with the header, 1 when there is none. */
import { bytesToHex } from '../core/bytes.js';
import { headerBytesFromHex, hashToDisplayHex, NONCE_SPACE, parseHeader } from '../core/header.js';
import { bitsToTarget } from '../core/target.js';
import { nonceWindow } from '../miner/ranges.js';
import { HeaderGrind } from '../sources/grind.js';
import type { GrindArgs } from './grind-options.js';
import { runMining } from './mining.js';
import { countOf, formatCount, formatDuration, formatHashrate } from '../format/numbers.js';
import { printJson } from './output.js';
import { targetFromArgs } from './targets.js';

export async function grind(args: GrindArgs): Promise<void> {
  const header = headerBytesFromHex(args.header);
  const target = targetFromArgs(args) ?? bitsToTarget(parseHeader(header).bits);
  const start = args.start;
  const count = args.count ?? NONCE_SPACE - start;
  const work = {
    id: 'grind',
    target,
    stopOnFind: true,
    extranonceCount: 1,
    header: () => header,
    nonceStart: start,
    nonceCount: count,
  };
  nonceWindow(work);
  await runMining({
    args: { ...args, blocks: 1 },
    source: new HeaderGrind(work),
    resultsOnlyOnStdout: true,
    found: ({ solution }) => {
      const result = {
        nonce: solution.nonce,
        hash: hashToDisplayHex(solution.hash),
        header: bytesToHex(solution.header),
        hashes: solution.hashes,
        seconds: solution.seconds,
        hashrate: solution.seconds > 0 ? solution.hashes / solution.seconds : 0,
      };
      if (args.json) return printJson(result);
      // The header is the result for a pipe; the nonce and hash are the result for the person, on a terminal or not.
      process.stdout.write(`${result.header}\n`);
      process.stderr.write(
        `nonce ${result.nonce} gives ${result.hash} after ${countOf(result.hashes, 'hash', 'hashes', formatCount)} in ${formatDuration(result.seconds)} (${formatHashrate(result.hashrate)})\n`,
      );
    },
    summary: ({ reason, stats }) => {
      if (reason === 'interrupted')
        process.stderr.write(`stopped: ${countOf(stats.workHashes, 'nonce', 'nonces', formatCount)} tried\n`);
      if (reason !== 'exhausted') return;
      if (args.json)
        printJson({
          found: false,
          hashes: stats.workHashes,
          seconds: stats.elapsedSeconds,
          hashrate: stats.meanHashrate,
        });
      process.stderr.write(`powlab: no nonce in ${start}..${start + count - 1} meets the target\n`);
      process.exitCode = 1;
    },
  });
}
