#!/usr/bin/env node
// Lab 3: mine many blocks with `powlab mine --json`, then compare their times with the prediction.
// Block times should be exponentially distributed around expected hashes / hashrate; this prints the
// numbers that say whether they are and draws a histogram with the predicted curve over it, as SVG.
//
//   node docs/lab/block-times.mjs --blocks 100 --zeros 20 --out block-times.svg [--threads N]
//
// It mines in a fresh temporary datadir (your own chain is not touched) and needs the built CLI
// (npm install builds it). Without --out the histogram goes to a temporary file, whose name it prints.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));
const { formatHashrate } = await import(new URL('../../dist/format/numbers.js', import.meta.url).href);

let values;
try {
  ({ values } = parseArgs({
    options: {
      blocks: { type: 'string', default: '100' },
      zeros: { type: 'string', default: '20' },
      threads: { type: 'string' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }));
} catch (error) {
  fail(error.message);
}
if (values.help) {
  process.stdout.write(`Usage: node docs/lab/block-times.mjs [--blocks N] [--zeros Z] [--threads N] [--out FILE]

Mines N blocks (default 100) at a target of Z zero bits (default 20) with powlab mine --json, in a
fresh temporary datadir, then compares their times with the exponential distribution the hashrate
predicts, and draws a histogram with the predicted curve over it as SVG.

  --blocks N    how many blocks to mine (at least 2)
  --zeros Z     leading zero bits of the target, 1 to 40 (each one more doubles the time per block)
  --threads N   worker threads for powlab mine (default: every core)
  --out FILE    where to write the SVG (default: a file in the temporary directory, named when written)
  -h, --help    this text
`);
  process.exit(0);
}
const blocks = Number(values.blocks);
const zeros = Number(values.zeros);
if (!Number.isInteger(blocks) || blocks < 2)
  fail(`--blocks must be a whole number of at least 2, got ${values.blocks}`);
if (!Number.isInteger(zeros) || zeros < 1 || zeros > 40)
  fail(`--zeros must be a whole number from 1 to 40, got ${values.zeros}`);

function fail(message) {
  process.stderr.write(`block-times: ${message}\n`);
  process.exit(2);
}

/** Run powlab mine --json and collect one object per block. */
function mine() {
  const datadir = mkdtempSync(join(tmpdir(), 'powlab-block-times-'));
  const args = [CLI, 'mine', '--json', '--blocks', String(blocks), '--zeros', String(zeros), '--datadir', datadir];
  if (values.threads) args.push('--threads', values.threads);
  return new Promise((resolve, reject) => {
    // Mine's own stderr is kept apart (it is only shown when mine fails), so that this script's counter is the only live line.
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let mineErrors = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => {
      if (mineErrors.length < 64 * 1024) mineErrors += chunk;
    });
    const found = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines.filter(Boolean)) {
        const result = JSON.parse(line);
        // One object per block, then a summary: only the blocks count.
        if (result.type === 'summary') continue;
        found.push(result);
        if (process.stderr.isTTY) process.stderr.write(`\r\x1b[2Kmined ${found.length} of ${blocks} blocks`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (process.stderr.isTTY) process.stderr.write('\n');
      rmSync(datadir, { recursive: true, force: true });
      if (code !== 0)
        reject(
          new Error(
            `powlab mine exited with status ${code}${mineErrors ? `: ${mineErrors.trim().split('\n').pop()}` : ''}`,
          ),
        );
      else resolve(found);
    });
  });
}

const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const median = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const sd = (xs) => {
  const m = mean(xs);
  return Math.sqrt(xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1));
};

/** A tick step of 1, 2 or 5 times a power of ten, giving about `count` ticks up to `max`. */
function niceStep(max, count) {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= raw);
  return step;
}

/** A number as a tick label: no more decimals than the step has. */
function tickLabel(value, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value === 0 ? '0' : value.toFixed(decimals);
}

/** A histogram of `times` with the exponential density of mean `predicted` drawn over it. */
function histogramSvg(times, predicted, title) {
  const width = 720,
    height = 420,
    left = 60,
    right = 20,
    top = 70,
    bottom = 60;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const maxTime = Math.max(...times, 3 * predicted);
  const binCount = Math.min(30, Math.max(8, Math.ceil(Math.sqrt(times.length) * 1.5)));
  const binWidth = maxTime / binCount;
  const counts = new Array(binCount).fill(0);
  for (const t of times) counts[Math.min(binCount - 1, Math.floor(t / binWidth))]++;
  // Expected count in a bin: n x (F(b) - F(a)) for the exponential CDF F(t) = 1 - e^(-t/mean).
  // The curve is the density scaled to blocks per bin; it is highest at t = 0.
  const perBin = (t) => ((times.length * binWidth) / predicted) * Math.exp(-t / predicted);
  const peak = Math.max(...counts, perBin(0)) * 1.1;
  const x = (t) => left + (t / maxTime) * plotW;
  const y = (count) => top + plotH - (count / peak) * plotH;
  const bars = counts
    .map(
      (count, i) =>
        `<rect x="${x(i * binWidth).toFixed(1)}" y="${y(count).toFixed(1)}" width="${(plotW / binCount - 1).toFixed(1)}" height="${(top + plotH - y(count)).toFixed(1)}" fill="#7aa6d6"/>`,
    )
    .join('\n  ');
  const curve = Array.from({ length: 121 }, (_, i) => {
    const t = (i / 120) * maxTime;
    return `${x(t).toFixed(1)},${y(perBin(t)).toFixed(1)}`;
  }).join(' ');
  // Round ticks (0, 0.5, 1, 1.5 or 0, 10, 20), however long the blocks took.
  const timeStep = niceStep(maxTime, 6);
  const ticks = Array.from({ length: Math.floor(maxTime / timeStep + 1e-9) + 1 }, (_, i) => i * timeStep)
    .map(
      (t) =>
        `<line x1="${x(t).toFixed(1)}" y1="${top + plotH}" x2="${x(t).toFixed(1)}" y2="${top + plotH + 5}" stroke="#333"/><text x="${x(t).toFixed(1)}" y="${top + plotH + 20}" text-anchor="middle">${tickLabel(t, timeStep)}</text>`,
    )
    .join('\n  ');
  const countStep = Math.max(1, niceStep(peak, 5));
  const countTicks = Array.from({ length: Math.floor(peak / countStep) + 1 }, (_, i) => i * countStep)
    .map(
      (c) => `<text x="${left - 8}" y="${(y(c) + 4).toFixed(1)}" text-anchor="end">${tickLabel(c, countStep)}</text>`,
    )
    .join('\n  ');
  // The legend has a row of its own between the title and the plot, so bars and curve never hide it
  // and it never runs off the right edge, whatever the data.
  const legendY = 46;
  const secondItemX = left + 250;
  const legend = [
    `<rect x="${left}" y="${legendY - 9}" width="14" height="10" fill="#7aa6d6"/><text x="${left + 20}" y="${legendY}">blocks mined, per bin of ${binWidth.toPrecision(2)} s</text>`,
    `<line x1="${secondItemX}" y1="${legendY - 4}" x2="${secondItemX + 14}" y2="${legendY - 4}" stroke="#c0392b" stroke-width="2"/><text x="${secondItemX + 20}" y="${legendY}">predicted: exponential, mean hashes / hashrate</text>`,
  ].join('\n  ');
  // The predicted mean's label sits on the side of its line that has room for it.
  const meanX = x(predicted);
  const meanLabel =
    meanX > left + plotW / 2
      ? `<text x="${(meanX - 4).toFixed(1)}" y="${top + 12}" text-anchor="end" fill="#c0392b">`
      : `<text x="${(meanX + 4).toFixed(1)}" y="${top + 12}" fill="#c0392b">`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <title>${title}</title>
  <rect width="100%" height="100%" fill="white"/>
  <text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${title}</text>
  ${bars}
  <polyline points="${curve}" fill="none" stroke="#c0392b" stroke-width="2"/>
  <line x1="${x(predicted).toFixed(1)}" y1="${top}" x2="${x(predicted).toFixed(1)}" y2="${top + plotH}" stroke="#c0392b" stroke-dasharray="4 3"/>
  ${meanLabel}predicted mean ${predicted.toPrecision(3)} s</text>
  <line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>
  <line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>
  ${ticks}
  ${countTicks}
  ${legend}
  <text x="${left + plotW / 2}" y="${height - 18}" text-anchor="middle">seconds to a block</text>
  <text x="16" y="${top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${top + plotH / 2})">blocks</text>
</svg>
`;
}

const found = await mine().catch((error) => fail(error.message));
const times = found.map((b) => b.seconds);
const hashes = found.map((b) => b.hashes);
const hashrate = hashes.reduce((a, b) => a + b, 0) / times.reduce((a, b) => a + b, 0);
const expectedHashes = 2 ** zeros;
const predicted = expectedHashes / hashrate;
const slower = times.filter((t) => t > predicted).length / times.length;

const lines = [
  `${found.length} blocks at ${zeros} zero bits; hashrate over all of them ${formatHashrate(hashrate)}`,
  `expected hashes per block 2^${zeros} = ${expectedHashes}; mean hashes per block ${Math.round(mean(hashes))} (${(mean(hashes) / expectedHashes).toFixed(2)} x expected)`,
  `predicted mean time ${predicted.toPrecision(3)} s; measured mean ${mean(times).toPrecision(3)} s, median ${median(times).toPrecision(3)} s (an exponential's median is ln 2 = 0.69 x its mean: ${(median(times) / mean(times)).toFixed(2)} here)`,
  `standard deviation / mean ${(sd(times) / mean(times)).toFixed(2)} (1 for an exponential); blocks slower than the predicted mean ${(100 * slower).toFixed(0)}% (e^-1 = 37% expected)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
const out = resolve(values.out ?? join(mkdtempSync(join(tmpdir(), 'powlab-lab3-')), 'block-times.svg'));
writeFileSync(
  out,
  histogramSvg(
    times,
    predicted,
    `${found.length} blocks at ${zeros} zero bits, ${formatHashrate(hashrate)}: times against the exponential`,
  ),
);
process.stdout.write(`histogram written to ${out}\n`);
