#!/usr/bin/env node
/**
 * How many v128 vectors the wasm core should hash side by side in each pass: the SIMD filter built
 * with 1, 2, 3 and 4 vectors (4 to 16 nonces a pass) from the same generator, each checked against
 * the reference hash of src/core over many nonces before anything is timed, then timed on one
 * thread in alternating rounds (2, 1, 3, 4, 4, 3, 1, 2, …); the median round counts. Needs a built
 * powlab (npm run build).
 *
 *   node bench/interleave.mjs [--widths 1,2,3,4] [--rounds R] [--nonces N]   a Markdown table; --json for one JSON line
 *
 * Each round is timed by this process's CPU time (process.cpuUsage), not the clock: on a machine
 * shared with other work, the time the scheduler gives to others would otherwise count as ours,
 * and it swamps differences of a few tens of percent. What CPU time cannot remove (a sibling
 * hyperthread's load, the clock speed) falls on all widths alike through the alternation.
 */
/* global WebAssembly */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateAssemblyScript, WASM_VECTOR_COUNT } from '../scripts/generate-sha256d.mjs';
import { headerMidstate, headerTailWords, sha256dFromMidstate } from '../dist/core/sha256.js';

const { values } = parseArgs({
  options: {
    widths: { type: 'string', default: '1,2,3,4' },
    rounds: { type: 'string', default: '9' },
    nonces: { type: 'string', default: String(1 << 21) },
    json: { type: 'boolean', default: false },
  },
});
// The shipped width is always among them: every other is compared with it.
const WIDTHS = [...new Set([WASM_VECTOR_COUNT, ...values.widths.split(',').map(Number)])];
const rounds = Number(values.rounds);
const noncesPerRound = Number(values.nonces);

const ASC = fileURLToPath(new URL('../node_modules/.bin/asc', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'powlab-interleave-'));

/** The SIMD filter with `vectors` vectors a pass, compiled as npm run build compiles the shipped one. */
function build(vectors) {
  const source = join(work, `sha256d-x${vectors}.ts`);
  const output = join(work, `sha256d-x${vectors}.wasm`);
  writeFileSync(source, generateAssemblyScript(vectors));
  execFileSync(ASC, [source, '-o', output, '-O3', '--runtime', 'stub', '--noAssert', '--enable', 'simd']);
  return new WebAssembly.Instance(new WebAssembly.Module(readFileSync(output)), {}).exports.filterNonces;
}

/** The first offset of start..start+count-1 whose hash's top 32 bits are at most topLimb, by the reference hash. */
function referenceFirst(midstate, tail, topLimb, start, count) {
  const digest = new Uint32Array(8);
  for (let offset = 0; offset < count; offset++) {
    sha256dFromMidstate(midstate, tail, (start + offset) >>> 0, digest);
    const top =
      ((digest[7] & 0xff) << 24) | ((digest[7] & 0xff00) << 8) | ((digest[7] >>> 8) & 0xff00) | (digest[7] >>> 24);
    if (top >>> 0 <= topLimb >>> 0) return offset;
  }
  return -1;
}

const call = (filter, midstate, tail, topLimb, start, count) =>
  filter(...Array.from(midstate, (w) => w | 0), tail[0] | 0, tail[1] | 0, tail[2] | 0, topLimb | 0, start | 0, count);

/**
 * Random headers at a loose bound (about one nonce in 64 passes), ranges of odd lengths and starts
 * so that lanes past the end are exercised too: the filter must find what the reference finds.
 */
function check(filter, vectors) {
  let nonces = 0;
  for (let job = 0; job < 40; job++) {
    const header = randomBytes(80);
    const midstate = headerMidstate(header);
    const tail = headerTailWords(header);
    const topLimb = 0x03ffffff;
    for (let start = randomBytes(4).readUInt32LE() >>> 8, left = 3000; left > 0;) {
      const count = 1 + (randomBytes(1)[0] % 200);
      const expected = referenceFirst(midstate, tail, topLimb, start, count);
      const got = call(filter, midstate, tail, topLimb, start, count);
      if (got !== expected)
        throw new Error(
          `${vectors} vectors: job ${job}, start ${start}, count ${count}: ${got}, reference ${expected}`,
        );
      nonces += count;
      start += count;
      left -= count;
    }
  }
  return nonces;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

try {
  const filters = new Map(WIDTHS.map((vectors) => [vectors, build(vectors)]));
  const checked = WIDTHS.map((vectors) => check(filters.get(vectors), vectors));
  const header = randomBytes(80);
  const midstate = headerMidstate(header);
  const tail = headerTailWords(header);
  const rates = new Map(WIDTHS.map((vectors) => [vectors, []]));
  // Warm every module up before the first measured round.
  for (const filter of filters.values()) call(filter, midstate, tail, 0, 0, 1 << 18);
  for (let round = 0; round < rounds; round++) {
    for (const vectors of round % 2 === 0 ? WIDTHS : [...WIDTHS].reverse()) {
      const start = round * noncesPerRound;
      const began = process.cpuUsage();
      // A bound no hash meets (top 32 bits zero is one in 2^32): every nonce is hashed.
      call(filters.get(vectors), midstate, tail, 0, start, noncesPerRound);
      const used = process.cpuUsage(began);
      rates.get(vectors).push(noncesPerRound / ((used.user + used.system) / 1e6));
    }
  }
  const shipped = rates.get(WASM_VECTOR_COUNT);
  const rows = WIDTHS.map((vectors, i) => ({
    vectors,
    noncesPerPass: 4 * vectors,
    checkedNonces: checked[i],
    hashrate: median(rates.get(vectors)),
    // Rounds alternate, so round r of each width ran at nearly the same moment: their ratio cancels the load.
    vsShipped: median(rates.get(vectors).map((rate, round) => rate / shipped[round])),
    rounds: rates.get(vectors),
  }));
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ shipped: WASM_VECTOR_COUNT, noncesPerRound, rows })}\n`);
  } else {
    process.stdout.write(
      `| v128 vectors a pass | nonces a pass | MH/s per CPU second (median of ${rounds}) | vs the shipped ${WASM_VECTOR_COUNT}, round by round |\n`,
    );
    process.stdout.write('| ---: | ---: | ---: | ---: |\n');
    for (const row of rows)
      process.stdout.write(
        `| ${row.vectors} | ${row.noncesPerPass} | ${(row.hashrate / 1e6).toFixed(2)} | ${row.vsShipped.toFixed(2)}x |\n`,
      );
    process.stdout.write(
      `\nEach width matched the reference on at least ${Math.min(...checked).toLocaleString('en-US')} nonces of random jobs first.\n`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
