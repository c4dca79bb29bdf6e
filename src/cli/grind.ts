/** `powlab grind`: one header, one target, a range of nonces; exit 0 with the nonce, 1 when there is none. */
import { bytesToHex } from '../core/bytes.js';
import { headerBytesFromHex, hashToDisplayHex, NONCE_SPACE, parseHeader } from '../core/header.js';
import { bitsToTarget } from '../core/target.js';
import { Errors } from '../errors.js';
import type { BackendName } from '../hash/backend.js';
import { Miner } from '../miner/miner.js';
import type { Solution } from '../miner/work.js';
import type { GrindArgs } from './commands/grind.js';
import { checkEngineArgs, MiningStatus, nextEvent, say, stopSignal } from './mining.js';
import { formatCount, formatDuration, formatHashrate } from '../format/numbers.js';
import { printJson } from './output.js';
import { targetFromArgs } from './targets.js';


export async function grind(args: GrindArgs): Promise<void> {
  checkEngineArgs(args);
  const header = headerBytesFromHex(String(args.header));
  const target = targetFromArgs(args) ?? bitsToTarget(parseHeader(header).bits);
  const start = args.start;
  if (!Number.isInteger(start) || start < 0 || start >= NONCE_SPACE) throw Errors.badOption('start', `must be a nonce from 0 to 4294967295, got ${start}`);
  const count = args.count ?? NONCE_SPACE - start;
  if (!Number.isInteger(count) || count < 1 || start + count > NONCE_SPACE) throw Errors.badOption('count', `must be 1 to ${NONCE_SPACE - start} from nonce ${start}, got ${count}`);

  const miner = await Miner.start({ threads: args.threads, backend: args.backend as BackendName | 'auto', throttle: args.throttle });
  const stop = stopSignal();
  const status = new MiningStatus(miner, () => 'grind');
  try {
    status.start();
    miner.setWork({ id: 'grind', target, stopOnFind: true, extranonceCount: 1, header: () => header, nonceStart: start, nonceCount: count });
    const outcome = await nextEvent<Solution | 'exhausted'>((resolve) => {
      const onExhausted = () => resolve('exhausted');
      miner.on('found', resolve);
      miner.on('exhausted', onExhausted);
      return () => {
        miner.off('found', resolve);
        miner.off('exhausted', onExhausted);
      };
    }, stop.signal);
    status.stop();
    const stats = miner.stats();
    if (outcome === undefined) {
      say(`stopped: ${formatCount(stats.workHashes)} nonces tried`, args.json);
      process.exitCode = 130;
      return;
    }
    if (outcome === 'exhausted') {
      if (args.json) printJson({ found: false, hashes: stats.workHashes, seconds: stats.elapsedSeconds, hashrate: stats.meanHashrate });
      process.stderr.write(`powlab: no nonce in ${start}..${start + count - 1} meets the target\n`);
      process.exitCode = 1;
      return;
    }
    const result = {
      nonce: outcome.nonce,
      hash: hashToDisplayHex(outcome.hash),
      header: bytesToHex(outcome.header),
      hashes: outcome.hashes,
      seconds: outcome.seconds,
      hashrate: outcome.seconds > 0 ? outcome.hashes / outcome.seconds : 0,
    };
    if (args.json) printJson(result);
    else {
      process.stdout.write(`${result.header}\n`);
      say(`nonce ${result.nonce} gives ${result.hash} after ${formatCount(result.hashes)} hashes in ${formatDuration(result.seconds)} (${formatHashrate(result.hashrate)})`, true);
    }
  } finally {
    stop.dispose();
    status.stop();
    await miner.close();
  }
}
