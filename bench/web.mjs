#!/usr/bin/env node
/**
 * The web app's hashrate against `powlab bench`'s, in one run: the page's own benchmark (the wasm
 * core in Web Workers, in Debian's Chromium, headless) and `powlab bench --backends wasm` at the
 * same thread counts, alternated so that whatever else the machine does falls on both alike.
 *
 *   npm run build && node bench/web.mjs [--threads T] [--seconds S] [--pairs P] [--json]
 */
import { execFileSync, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const option = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const threads = Number(option('threads', '2'));
const seconds = Number(option('seconds', '3'));
const pairs = Number(option('pairs', '2'));
const json = process.argv.includes('--json');
const BIN = here('../dist/cli/bin.js');
const counts = Array.from({ length: threads }, (_, i) => i + 1);

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

function cliRun() {
  const report = JSON.parse(
    execFileSync(
      process.execPath,
      [BIN, 'bench', '--backends', 'wasm', '--threads', counts.join(','), '--seconds', String(seconds), '--json'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
    ),
  );
  return { machine: report.machine, rates: Object.fromEntries(report.results.map((r) => [r.threads, r.hashrate])) };
}

async function pageRun(browser, url) {
  const page = await browser.newPage();
  try {
    await page.goto(`${url}?bench=1&threads=${threads}&seconds=${seconds}`);
    await page.waitForSelector('#bench-status[data-done]', { timeout: (seconds * threads + 60) * 1000 });
    const rows = await page.$$eval('#bench-table tbody tr[data-threads]', (trs) =>
      trs.map((tr) => [Number(tr.dataset.threads), Number(tr.dataset.hashrate)]),
    );
    return Object.fromEntries(rows);
  } finally {
    await page.close();
  }
}

const server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const url = await new Promise((resolve, reject) => {
  createInterface({ input: server.stdout }).once('line', (line) => resolve(JSON.parse(line).url));
  server.once('exit', () => reject(new Error('powlab serve exited before it printed its address')));
});
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
const cli = [];
const web = [];
let machine;
try {
  for (let pair = 0; pair < pairs; pair++) {
    // Alternate which goes first, so neither always runs on a machine the other just warmed.
    if (pair % 2 === 0) {
      const run = cliRun();
      machine = run.machine;
      cli.push(run.rates);
      web.push(await pageRun(browser, url));
    } else {
      web.push(await pageRun(browser, url));
      cli.push(cliRun().rates);
    }
  }
} finally {
  await browser.close();
  server.kill('SIGINT');
}

const results = counts.map((count) => {
  const page = median(web.map((rates) => rates[count]));
  const node = median(cli.map((rates) => rates[count]));
  return { threads: count, page, cli: node, ratio: page / node };
});
if (json) {
  process.stdout.write(`${JSON.stringify({ machine, chromium: browser.version(), seconds, pairs, results })}\n`);
} else {
  process.stdout.write(
    `Machine: ${machine.cpu}, ${machine.cores} cores; Node ${machine.node}; Chromium ${browser.version()}.\n`,
  );
  process.stdout.write(
    `Method: ${pairs} alternating pairs of the page's benchmark and powlab bench --backends wasm, ${seconds} s per thread count each; the median pair.\n\n`,
  );
  process.stdout.write('| threads | page MH/s | powlab bench MH/s | page / bench |\n| ---: | ---: | ---: | ---: |\n');
  for (const r of results)
    process.stdout.write(
      `| ${r.threads} | ${(r.page / 1e6).toFixed(2)} | ${(r.cli / 1e6).toFixed(2)} | ${r.ratio.toFixed(2)}x |\n`,
    );
}
