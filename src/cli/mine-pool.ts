/** `powlab mine --pool stratum+tcp://HOST:PORT`: mine shares for a Stratum v1 pool; prints the session. */
import { HASHES_PER_DIFFICULTY } from '../core/target.js';
import { Errors } from '../errors.js';
import { parsePoolUrl } from '../sources/stratum/client.js';
import { PoolMining, type ShareReport } from '../sources/stratum/mining.js';
import { DEFAULT_DATADIR, type MineArgs } from './mine-options.js';
import {
  adapterJson,
  throttleSummary,
  checkDashboardArgs,
  oddsSummary,
  runMining,
  say,
  stoppedPrefix,
  summaryJson,
} from './mining.js';
import { paint, printJson } from './output.js';
import { formatCount, formatDifficulty, formatDuration, formatHashrate } from '../format/numbers.js';
import { version } from './version.js';

/** Keeps the password off the command line, where `ps` shows it. */
const PASSWORD_ENV = 'POWLAB_POOL_PASSWORD';
/** What most pools expect when they ignore the password. */
const DEFAULT_PASSWORD = 'x';

function checkPoolArgs(args: MineArgs) {
  checkDashboardArgs(args);
  const address = parsePoolUrl(args.pool!);
  const notWithPool = ['zeros', 'bits', 'address', 'script', 'rpc'] as const;
  for (const option of notWithPool) {
    if (args[option] !== undefined)
      throw Errors.badOption(
        option,
        'does not apply with --pool: the pool sets the work, the payout and the share difficulty',
      );
  }
  if (args.blocks !== 0) throw Errors.badOption('blocks', 'does not apply with --pool (use --duration, or Ctrl-C)');
  if (args.user === undefined || args.user.trim() === '')
    throw Errors.badOption('user', 'name the pool user with --user (pools often take ADDRESS.WORKER)');
  return { address, user: args.user, password: args.password ?? process.env[PASSWORD_ENV] ?? DEFAULT_PASSWORD };
}

export async function mineInPool(args: MineArgs): Promise<void> {
  const { address, user, password } = checkPoolArgs(args);
  const pool = new PoolMining({
    address,
    user,
    password,
    userAgent: `powlab/${version}`,
    versionRolling: args.versionRolling,
    suggestDifficulty: args.suggestDifficulty,
    datadir: args.datadir ?? DEFAULT_DATADIR,
  });
  const { tally, client, where } = pool;
  await runMining({
    args,
    source: pool,
    headline: (session) => `mining for the pool at ${where} as ${user}: ${session.threads} × ${session.backend}`,
    found: ({ result, adapter }) => report({ ...result, ...adapterJson(adapter) }, args.json),
    summary: (summary) => {
      const { stats } = summary;
      // What the pool can tell of our hashrate: each accepted share stands for difficulty × 2^32 hashes on average.
      const shareHashrate =
        summary.seconds > 0 ? (tally.acceptedDifficulty * HASHES_PER_DIFFICULTY) / summary.seconds : 0;
      if (args.json) {
        printJson({
          ...summaryJson(summary),
          pool: where,
          user,
          ...tally.counts,
          rejectReasons: tally.reasons,
          blocks: tally.blocks,
          difficulty: client.difficulty ?? null,
          versionMask: client.versionMask === null ? null : client.versionMask.toString(16).padStart(8, '0'),
          bestShareDifficulty: tally.best?.difficulty ?? null,
          bestShareHash: tally.best?.hash ?? null,
          shareHashrate,
          connections: client.counts.connections,
          ignoredLines: client.counts.ignoredLines,
          invalidMessages: client.counts.invalidMessages,
        });
        return;
      }
      const { accepted, rejected, stale, lost } = tally.counts;
      say(
        `${stoppedPrefix(summary)}${accepted} share${accepted === 1 ? '' : 's'} accepted, ${rejected} rejected, ${stale} stale, ${lost} lost${tally.blocks ? `, ${tally.blocks} block${tally.blocks === 1 ? '' : 's'}` : ''}; ` +
          `best hash difficulty ${tally.best ? formatDifficulty(tally.best.difficulty) : '-'}; ${formatCount(stats.hashes)} hashes in ${formatDuration(summary.seconds)} at ${formatHashrate(stats.meanHashrate)} (${formatHashrate(shareHashrate)} as the pool sees it from accepted shares)${oddsSummary(stats, 'share')}${throttleSummary(stats)}` +
          `${
            Object.keys(tally.reasons).length
              ? `; reasons: ${Object.entries(tally.reasons)
                  .map(([reason, n]) => `${reason} ×${n}`)
                  .join(', ')}`
              : ''
          }`,
        false,
      );
    },
    after: (summary) => {
      // A run that never got in (a wrong host or port, a pool that is down) is a failure, not a quiet zero.
      if (summary.reason !== 'failed' && !pool.authorized)
        throw Errors.network(`never got work from the pool at ${where} (${pool.trouble})`);
    },
  });
}

function report(line: ShareReport, json: boolean): void {
  if (line.block) {
    if (json)
      printJson({ type: 'block', hash: line.hash, header: line.header, jobId: line.jobId, file: line.file ?? null });
    else
      say(
        `${paint('block!', 'green')} ${line.hash} also meets the network target; ${line.file ? `saved to ${line.file}` : 'not saved'}`,
        false,
      );
  }
  if (json) {
    const { file: _file, header: _header, ...share } = line;
    return printJson(share);
  }
  const verdict =
    line.status === 'accepted'
      ? paint('accepted', 'green')
      : line.status === 'rejected'
        ? `${paint('rejected', 'red')}: ${line.reason}`
        : `${paint(line.status, 'yellow')}: ${line.reason}`;
  say(
    `share ${verdict}; hash difficulty ${formatDifficulty(line.hashDifficulty)} (share difficulty ${formatDifficulty(line.difficulty)}), job ${line.jobId}, nonce ${line.nonce}, hash ${line.hash}`,
    false,
  );
}
