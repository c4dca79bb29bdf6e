#!/usr/bin/env node
/**
 * The same double-hash filter as powlab's js and wasm backends, written out in C from the same
 * description (scripts/generate-sha256d.mjs) and compiled by gcc -O3 -march=native: once scalar, once
 * with 8-lane vectors (AVX2 where the CPU has it). It answers "how far is TypeScript from C on
 * this machine, with the same algorithm?" The C is generated into a temporary directory and never
 * committed. It needs gcc (without it the script says so and exits 3) and a built powlab (npm run
 * build): before it times anything it checks that the C finds the same nonces as powlab's js filter.
 *
 *   node bench/c-reference.mjs [--seconds S]      one JSON line: {"scalar": H/s, "vector8": H/s, "compiler": ...}
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { scalarCode, sha256dProgram } from '../scripts/generate-sha256d.mjs';
import { filterNonces } from '../dist/hash/js-rounds.js';

/** Unsigned 32-bit words: `>>` is the logical shift, and constants carry their u. */
const C_DIALECT = { literal: (value) => `0x${value.toString(16).padStart(8, '0')}u`, shr: '>>' };

function cFilter(name, lanes) {
  const program = sha256dProgram();
  const vector = lanes === 1 ? 'uint32_t' : `v${lanes}u`;
  const statement =
    (type) =>
    ({ name: defined, node }) =>
      `${type} ${defined} = ${scalarCode(node, C_DIALECT)};`;
  const laneOffsets = Array.from({ length: lanes }, (_, i) => i).join(', ');
  return `
static int64_t ${name}(const uint32_t *midstate, const uint32_t *tail, uint32_t limit, uint32_t start, uint32_t count) {
  const uint32_t m0 = midstate[0], m1 = midstate[1], m2 = midstate[2], m3 = midstate[3];
  const uint32_t m4 = midstate[4], m5 = midstate[5], m6 = midstate[6], m7 = midstate[7];
  const uint32_t tail0 = tail[0], tail1 = tail[1], tail2 = tail[2];
  ${program.perJob.map(statement('const uint32_t')).join('\n  ')}
  for (uint32_t offset = 0; offset < count; offset += ${lanes}) {
    ${lanes === 1 ? 'const uint32_t nonce = start + offset;' : `const ${vector} nonce = start + offset + (${vector}){${laneOffsets}};`}
    const ${vector} nonceWord = (nonce << 24) | ((nonce & 0xff00u) << 8) | ((nonce >> 8) & 0xff00u) | (nonce >> 24);
    ${program.perNonce.map(statement(`const ${vector}`)).join('\n    ')}
    const ${vector} hashTop = (digestWord7 << 24) | ((digestWord7 & 0xff00u) << 8) | ((digestWord7 >> 8) & 0xff00u) | (digestWord7 >> 24);
    ${lanes === 1 ? 'if (hashTop <= limit) return offset;' : `for (int lane = 0; lane < ${lanes}; lane++) if (hashTop[lane] <= limit && offset + lane < count) return offset + lane;`}
  }
  return -1;
}`;
}

const source = `
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
typedef uint32_t v8u __attribute__((vector_size(32)));
${cFilter('filter1', 1)}
${cFilter('filter8', 8)}
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }
typedef int64_t (*filter_fn)(const uint32_t *, const uint32_t *, uint32_t, uint32_t, uint32_t);
static volatile int64_t sink;
static double rate(filter_fn filter, double seconds) {
  const uint32_t midstate[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  const uint32_t tail[3] = {0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a};
  uint64_t hashes = 0;
  const double began = now();
  while (now() - began < seconds) { sink = filter(midstate, tail, 0, (uint32_t)hashes, 1u << 20); hashes += 1u << 20; }
  return hashes / (now() - began);
}
int main(int argc, char **argv) {
  if (argc == 16) {
    /* check m0..m7 tail0..tail2 limit start count: both filters' answers, to compare with powlab's */
    uint32_t words[14];
    for (int i = 0; i < 14; i++) words[i] = (uint32_t)strtoul(argv[i + 2], 0, 10);
    printf("%lld %lld\\n", (long long)filter1(words, words + 8, words[11], words[12], words[13]), (long long)filter8(words, words + 8, words[11], words[12], words[13]));
    return 0;
  }
  const double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  printf("{\\"scalar\\": %.0f, \\"vector8\\": %.0f}\\n", rate(filter1, seconds), rate(filter8, seconds));
  return 0;
}
`;

const secondsIndex = process.argv.indexOf('--seconds');
const seconds = secondsIndex > 0 ? Number(process.argv[secondsIndex + 1]) : 2;
if (!(seconds > 0)) {
  process.stderr.write('c-reference: --seconds must be a positive number\n');
  process.exit(2);
}
let compiler;
try {
  compiler = execFileSync('gcc', ['--version'], { encoding: 'utf8' }).split('\n')[0];
} catch {
  process.stderr.write('c-reference: gcc is not installed; nothing to compare with\n');
  process.exit(3);
}
const dir = mkdtempSync(join(tmpdir(), 'powlab-c-'));
try {
  writeFileSync(join(dir, 'sha256d.c'), source);
  execFileSync('gcc', ['-O3', '-march=native', '-o', join(dir, 'sha256d'), join(dir, 'sha256d.c')], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  // Before any rate counts, the C must find what powlab's js filter finds, on random jobs.
  for (let round = 0; round < 20; round++) {
    const words = new Uint32Array(randomBytes(4 * 11).buffer);
    const job = [...words, 0x00ffffff, words[0] % 1000, 5000];
    const expected = filterNonces(words.subarray(0, 8), words.subarray(8, 11), job[11], job[12], job[13]);
    const answers = execFileSync(join(dir, 'sha256d'), ['check', ...job.map(String)], { encoding: 'utf8' })
      .trim()
      .split(' ')
      .map(Number);
    if (answers.some((answer) => answer !== expected))
      throw new Error(`the C filters answer ${answers} where powlab's js answers ${expected}: not comparing`);
  }
  const rates = JSON.parse(execFileSync(join(dir, 'sha256d'), [String(seconds)], { encoding: 'utf8' }));
  process.stdout.write(`${JSON.stringify({ ...rates, compiler, flags: '-O3 -march=native' })}\n`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
