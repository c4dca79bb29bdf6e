#!/usr/bin/env node
// Lab 3: mine many blocks with `powlab mine --json`, then compare their times with the prediction.
// Block times should be exponentially distributed around expected hashes / hashrate; this prints the
// numbers that say whether they are and draws a histogram with the predicted curve over it, as SVG.
//
//   node docs/lab/block-times.mjs --blocks 100 --zeros 20 --out block-times.svg [--threads N]
//
// It mines in a fresh temporary datadir (your own chain is not touched) and needs the built CLI
// (npm install builds it).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLI = fileURLToPath(new URL('../../dist/cli/bin.js', import.meta.url));

let values;
try {
  ({ values } = parseArgs({
    options: {
      blocks: { type: 'string', default: '100' },
      zeros: { type: 'string', default: '20' },
      threads: { type: 'string' },
      out: { type: 'string', default: 'block-times.svg' },
    },
  }));
} catch (error) {
  fail(error.message);
}
const blocks = Number(values.blocks);
const zeros = Number(values.zeros);
if (!Number.isInteger(blocks) || blocks < 2) fail(`--blocks must be a whole number of at least 2, got ${values.blocks}`);
if (!Number.isInteger(zeros) || zeros < 1 || zeros > 40) fail(`--zeros must be a whole number from 1 to 40, got ${values.zeros}`);

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
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    const found = [];
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines.filter(Boolean)) {
        const result = JSON.parse(line);
        if (result.type === 'summary') continue;
        found.push(result);
        if (process.stderr.isTTY) process.stderr.write(`\rblock ${found.length}/${blocks}`);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (process.stderr.isTTY) process.stderr.write('\n');
      rmSync(datadir, { recursive: true, force: true });
      if (code !== 0) reject(new Error(`powlab mine exited with status ${code}`));
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

/** A histogram of `times` with the exponential density of mean `predicted` drawn over it. */
function histogramSvg(times, predicted, title) {
  const width = 720, height = 420, left = 60, right = 20, top = 50, bottom = 60;
  const plotW = width - left - right, plotH = height - top - bottom;
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
    .map((count, i) => `<rect x="${x(i * binWidth).toFixed(1)}" y="${y(count).toFixed(1)}" width="${(plotW / binCount - 1).toFixed(1)}" height="${(top + plotH - y(count)).toFixed(1)}" fill="#7aa6d6"/>`)
    .join('\n  ');
  const curve = Array.from({ length: 121 }, (_, i) => {
    const t = (i / 120) * maxTime;
    return `${x(t).toFixed(1)},${y(perBin(t)).toFixed(1)}`;
  }).join(' ');
  // Enough decimals that the ticks differ, from milliseconds to minutes.
  const decimals = Math.max(0, 2 - Math.floor(Math.log10(maxTime)));
  const ticks = Array.from({ length: 6 }, (_, i) => (i / 5) * maxTime)
    .map((t) => `<line x1="${x(t).toFixed(1)}" y1="${top + plotH}" x2="${x(t).toFixed(1)}" y2="${top + plotH + 5}" stroke="#333"/><text x="${x(t).toFixed(1)}" y="${top + plotH + 20}" text-anchor="middle">${t.toFixed(decimals)}</text>`)
    .join('\n  ');
  const countTicks = Array.from({ length: 5 }, (_, i) => Math.round((i / 4) * peak))
    .map((c) => `<text x="${left - 8}" y="${(y(c) + 4).toFixed(1)}" text-anchor="end">${c}</text>`)
    .join('\n  ');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">
  <title>${title}</title>
  <rect width="100%" height="100%" fill="white"/>
  <text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${title}</text>
  ${bars}
  <polyline points="${curve}" fill="none" stroke="#c0392b" stroke-width="2"/>
  <line x1="${x(predicted).toFixed(1)}" y1="${top}" x2="${x(predicted).toFixed(1)}" y2="${top + plotH}" stroke="#c0392b" stroke-dasharray="4 3"/>
  <text x="${(x(predicted) + 4).toFixed(1)}" y="${top + 12}" fill="#c0392b">predicted mean ${predicted.toPrecision(3)} s</text>
  <line x1="${left}" y1="${top + plotH}" x2="${left + plotW}" y2="${top + plotH}" stroke="#333"/>
  <line x1="${left}" y1="${top}" x2="${left}" y2="${top + plotH}" stroke="#333"/>
  ${ticks}
  ${countTicks}
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
  `${found.length} blocks at ${zeros} zero bits; hashrate over all of them ${(hashrate / 1e6).toFixed(3)} MH/s`,
  `expected hashes per block 2^${zeros} = ${expectedHashes}; mean hashes per block ${Math.round(mean(hashes))} (${(mean(hashes) / expectedHashes).toFixed(2)} x expected)`,
  `predicted mean time ${predicted.toPrecision(3)} s; measured mean ${mean(times).toPrecision(3)} s, median ${median(times).toPrecision(3)} s (an exponential's median is ln 2 = 0.69 x its mean: ${(median(times) / mean(times)).toFixed(2)} here)`,
  `standard deviation / mean ${(sd(times) / mean(times)).toFixed(2)} (1 for an exponential); blocks slower than the predicted mean ${(100 * slower).toFixed(0)}% (e^-1 = 37% expected)`,
];
process.stdout.write(`${lines.join('\n')}\n`);
writeFileSync(values.out, histogramSvg(times, predicted, `${found.length} blocks at ${zeros} zero bits, ${(hashrate / 1e6).toFixed(2)} MH/s: times against the exponential`));
process.stdout.write(`histogram written to ${values.out}\n`);
