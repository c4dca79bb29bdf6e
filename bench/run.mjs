#!/usr/bin/env node
/**
 * The benchmark harness: `powlab bench` and the C reference (bench/c-reference.mjs) in one run,
 * so every ratio compares numbers measured minutes apart on the same machine. Prints a Markdown
 * report for bench/README.md and, with --json, the raw figures.
 *
 *   npm run build && node bench/run.mjs [--seconds S] [--json]
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const secondsIndex = process.argv.indexOf('--seconds');
const seconds = secondsIndex > 0 ? process.argv[secondsIndex + 1] : '5';
const json = process.argv.includes('--json');

const bench = JSON.parse(
  execFileSync(
    process.execPath,
    [
      here('../dist/cli/bin.js'),
      'bench',
      '--backends',
      'noble,js,wasm',
      '--threads',
      '1,2',
      '--seconds',
      seconds,
      '--json',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  ),
);
let c = null;
try {
  c = JSON.parse(
    execFileSync(process.execPath, [here('c-reference.mjs'), '--seconds', String(Number(seconds) / 2)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  );
} catch {
  process.stderr.write('run: no C reference on this machine (see above); reporting powlab alone\n');
}

const rate = (backend, threads) => bench.results.find((r) => r.backend === backend && r.threads === threads)?.hashrate;
const mh = (value) => (value === undefined || value === null ? '-' : (value / 1e6).toFixed(2));
const ratio = (a, b) => (a && b ? `${(a / b).toFixed(2)}x` : '-');

if (json) {
  process.stdout.write(`${JSON.stringify({ ...bench, c })}\n`);
} else {
  const m = bench.machine;
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.platform}/${m.arch}, Node ${m.node} (V8 ${m.v8}), wasm ${m.wasm}${c ? `; ${c.compiler} ${c.flags}` : ''}.`,
    `Method: ${bench.rounds} interleaved rounds of ${(bench.seconds / bench.rounds).toFixed(2)} s per row through the mining engine; the median round.`,
    '',
    '| backend | threads | MH/s | MH/s per thread | scaling | vs noble |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...bench.results.map(
      (r) =>
        `| ${r.backend} | ${r.threads} | ${mh(r.hashrate)} | ${mh(r.perThread)} | ${r.scaling === null ? '-' : `${(r.scaling * 100).toFixed(0)}%`} | ${ratio(r.hashrate, rate('noble', r.threads))} |`,
    ),
    ...(c
      ? [
          `| C reference, scalar | 1 | ${mh(c.scalar)} | ${mh(c.scalar)} | | ${ratio(c.scalar, rate('noble', 1))} |`,
          `| C reference, 8 lanes | 1 | ${mh(c.vector8)} | ${mh(c.vector8)} | | ${ratio(c.vector8, rate('noble', 1))} |`,
        ]
      : []),
    '',
    'The speed goals, one thread unless said:',
    `- js / noble: ${ratio(rate('js', 1), rate('noble', 1))} (goal 6x)`,
    `- wasm / js: ${ratio(rate('wasm', 1), rate('js', 1))} (goal 2x)`,
    `- wasm, 2 threads / 1 thread: ${ratio(rate('wasm', 2), rate('wasm', 1))} (goal 1.85x)`,
    ...(c
      ? [
          `- wasm / the same algorithm in C with 8-lane vectors: ${ratio(rate('wasm', 1), c.vector8)}`,
          `- js / the same algorithm in scalar C: ${ratio(rate('js', 1), c.scalar)}`,
        ]
      : []),
    `- wasm / cpuminer's 12.5 MH/s per core on this class of machine (the figure the goals were set against; cpuminer is not packaged for Debian, so not measured here): ${ratio(rate('wasm', 1), 12.5e6)} (moonshot 0.5x)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
