// The doc-commands test puts this behind `powlab` and `block-times` on PATH: it runs the command a
// document shows against the built CLI, shortened where it would mine for long. The rules are general
// (by option, not by document), so a command a new page shows is shortened the same way; each says why.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const BLOCK_TIMES = fileURLToPath(new URL('../../docs/lab/block-times.mjs', import.meta.url));
/** The regtest genesis header: what an elided header (`0100…00000000`) stands for. */
const A_HEADER =
  '0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b27ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4adae5494dffff7f2002000000';

/** Rules: [what they shorten, applies to argv, rewrite]. */
export const RULES = [
  [
    'a file of the repository a page names (a fixture block) is found from anywhere',
    () => true,
    (args) =>
      args.map((a) =>
        !isAbsolute(a) && a.includes('/') && !existsSync(a) && existsSync(join(ROOT, a)) ? join(ROOT, a) : a,
      ),
  ],
  [
    'a header elided with … becomes a whole one, an elided --script pays OP_TRUE (51)',
    () => true,
    (args) => args.map((a, i) => (a.includes('…') ? (args[i - 1] === '--script' ? '51' : A_HEADER) : a)),
  ],
  [
    'targets of more than 12 zero bits take seconds to minutes a block: 12 (a run that only measures, to a --duration, keeps its target)',
    (args) => args[0] === 'grind' || (args[0] === 'mine' && !(has(args, '--duration') && !has(args, '--blocks'))),
    (args) => cap(args, '--zeros', 12),
  ],
  [
    'the built-in chain mines at 12 zero bits unless told',
    (args) => args[0] === 'mine' && !has(args, '--rpc') && !has(args, '--pool'),
    (args) => (has(args, '--zeros') || has(args, '--bits') ? args : [...args, '--zeros', '12']),
  ],
  [
    "a GPU changes the engine's lines machine by machine, and the pages quote a laptop without one: no GPU unless the command chooses",
    (args) =>
      ['mine', 'grind'].includes(args[0]) && !['--backend', '--gpu', '--no-gpu'].some((option) => has(args, option)),
    (args) => [...args, '--no-gpu'],
  ],
  ['at most 3 blocks', (args) => args[0] === 'mine', (args) => cap(args, '--blocks', 3)],
  [
    'at most 2 seconds of --duration (6 for a pool miner: --duration counts the wait for its first job too, slow on a loaded machine)',
    (args) => ['mine', 'pool'].includes(args[0]),
    (args) => cap(args, '--duration', args[0] === 'mine' && has(args, '--pool') ? 6 : 2),
  ],
  [
    'a pool on any free ports, for miners and for its page',
    (args) => args[0] === 'pool',
    (args) => [...without(without(args, '--port'), '--page-port'), '--port', '0', '--page-port', '0'],
  ],
  [
    'a run with no end gets one: a block, or 6 s for a pool',
    (args) => args[0] === 'mine' && !has(args, '--blocks') && !has(args, '--duration'),
    (args) => [...args, ...(has(args, '--pool') ? ['--duration', '6'] : ['--blocks', '1'])],
  ],
  ['a node mines for at most 4 seconds', (args) => args[0] === 'node', (args) => cap(args, '--duration', 4)],
  [
    'the dashboard on any free port',
    (args) => has(args, '--dashboard'),
    (args) => [...without(args, '--port'), '--port', '0'],
  ],
  [
    'a node on its documented address is the test node',
    (args) => has(args, '--rpc'),
    (args) => replace(args, '--rpc', process.env.DOC_RPC_URL),
  ],
  [
    'a pool on its placeholder address is the test pool',
    (args) => has(args, '--pool'),
    (args) => replace(args, '--pool', process.env.DOC_POOL_URL),
  ],
  [
    'measuring this machine: 0.3 s',
    measures,
    (args) => (has(args, '--seconds') ? cap(args, '--seconds', 0.3) : [...args, '--seconds', '0.3']),
  ],
  [
    'a lab: at most 8 blocks found or 4 double spends, a block every 0.1 s at most, links of 200 ms at most',
    (args) => args[0] === 'lab',
    (args) => {
      const spends = args[1] === 'double-spend';
      const capped = cap(cap(args, '--spacing', 0.1, !spends), spends ? '--trials' : '--blocks', spends ? 4 : 8, true);
      const latency = value(capped, '--latency');
      if (latency === undefined) return capped;
      const shorter = latency
        .split(',')
        .map((ms) => String(Math.min(Number(ms), 200)))
        .join(',');
      return [...without(capped, '--latency'), '--latency', shorter];
    },
  ],
  [
    'bench: one round of 0.2 s a case, or of the smallest fixed workload',
    (args) => args[0] === 'bench',
    (args) =>
      cap(
        cap(cap(has(args, '--rounds') ? args : [...args, '--rounds', '1'], '--rounds', 1), '--seconds', 0.2, true),
        '--fixed-work',
        1,
      ),
  ],
];

export const BLOCK_TIMES_RULES = [
  [
    'lab 3: 4 blocks at 8 zero bits on one thread',
    (args) => [
      ...without(without(without(args, '--blocks'), '--zeros'), '--threads'),
      '--blocks',
      '4',
      '--zeros',
      '8',
      '--threads',
      '1',
    ],
  ],
];

/** Whether a command measures this machine's hashrate (explain without --hashrate, economics measuring). */
function measures(args) {
  if (args[0] === 'explain') return !has(args, '--hashrate') && !args.includes('--help');
  if (args[0] === 'economics') return has(args, '--measure') || value(args, '--preset') === 'laptop';
  return false;
}

function has(args, option) {
  return args.some((a) => a === option || a.startsWith(`${option}=`));
}
function value(args, option) {
  const i = args.indexOf(option);
  return i >= 0 ? args[i + 1] : undefined;
}
function without(args, option) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === option) i++;
    else if (!args[i].startsWith(`${option}=`)) out.push(args[i]);
  }
  return out;
}
function replace(args, option, to) {
  if (!to) throw new Error(`no stand-in for ${option} in this document's environment`);
  return [...without(args, option), option, to];
}
/** At most `limit` for a numeric option; `add` puts it in when it is missing. */
function cap(args, option, limit, add = false) {
  const given = value(args, option);
  if (given === undefined) return add ? [...args, option, String(limit)] : args;
  return Number(given) > limit ? [...without(args, option), option, String(limit)] : args;
}

export function shorten(args) {
  return RULES.reduce((out, [, applies, rewrite]) => (applies(out) ? rewrite(out) : out), args);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [tool, ...args] = process.argv.slice(2);
  const argv =
    tool === 'block-times'
      ? [BLOCK_TIMES, ...BLOCK_TIMES_RULES.reduce((out, [, rewrite]) => rewrite(out), args)]
      : [CLI, ...shorten(args)];
  if (process.env.DOC_TRACE) process.stderr.write(`doc command runs: ${argv.slice(1).join(' ')}\n`);
  const result = spawnSync(process.execPath, argv, { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
