#!/usr/bin/env node
/**
 * Writes the unrolled SHA-256d nonce filters of the fast backends:
 *   src/hash/js-rounds.ts        scalar TypeScript, one nonce per iteration
 *   assembly/sha256d.ts          AssemblyScript with 128-bit SIMD, four nonces per v128, two v128 at a time
 *   assembly/sha256d-scalar.ts   AssemblyScript without SIMD, the wasm backend's fallback
 *   src/hash/webgpu-kernel.ts    a WGSL compute kernel for the webgpu backend, and the host code that
 *                                computes its per-job words once on the CPU
 *
 * All come from one description of the double hash of a block header from its midstate, partially
 * evaluated in three binding times:
 *   - known now (a literal): the padding words, the second hash's initial state, K[t];
 *   - known per job (hoisted out of the nonce loop): the midstate, the header's tail words, and every
 *     value computed only from those: the first three rounds of the second chunk, most of round 3,
 *     the constant parts of the message schedule;
 *   - known per nonce: everything that depends on word 3 of the second chunk, the nonce.
 * The second hash stops after round 60: its last digest word (the hash's most significant 32 bits
 * once byte-swapped) is known there, and a nonce whose top bits exceed the target's is rejected
 * without the last three rounds. Survivors are re-hashed by src/core/sha256.ts, which decides.
 *
 * Every round is written out with names for the two values it creates (SSA style: a round of SHA-256
 * makes a new `a` and a new `e`; the other six are the previous rounds' values), so the engines keep
 * everything in registers and no state is shuffled.
 *
 * Run `node scripts/generate-sha256d.mjs` after changing this file; test/hash/generated.test.ts fails
 * while the committed files differ from what this script writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// FIPS 180-4 sections 4.2.2 and 5.3.3: SHA-256's constants are the first 32 bits of the fractional
// parts of the cube roots of the first 64 primes (K) and of the square roots of the first 8 (IV).
// Derived here in exact integer arithmetic rather than copied: floor(root(p * 2^(32k))) mod 2^32.
const PRIMES = [];
for (let n = 2; PRIMES.length < 64; n++) if (PRIMES.every((p) => n % p !== 0)) PRIMES.push(n);

function integerRoot(value, degree) {
  const k = BigInt(degree);
  let root = 1n << BigInt(Math.ceil(value.toString(2).length / degree)); // above the root: Newton descends to it
  for (;;) {
    const next = ((k - 1n) * root + value / root ** (k - 1n)) / k;
    if (next >= root) return root;
    root = next;
  }
}

const fractionBits = (prime, degree) => Number(integerRoot(BigInt(prime) << BigInt(32 * degree), degree) & 0xffffffffn);
const K = PRIMES.map((prime) => fractionBits(prime, 3));
const IV = PRIMES.slice(0, 8).map((prime) => fractionBits(prime, 2));

// ---------------------------------------------------------------------------------------------
// Expressions over 32-bit words, and their binding times.

const LITERAL = 0;
const PER_JOB = 1;
const PER_NONCE = 2;

const literal = (value) => ({ kind: 'literal', value: value >>> 0 });
const ref = (name, time) => ({ kind: 'ref', name, time });
const add = (...args) => ({ kind: 'add', args });
const xor = (a, b) => ({ kind: 'xor', a, b });
const and = (a, b) => ({ kind: 'and', a, b });
const rotr = (x, n) => ({ kind: 'rotr', x, n });
const shr = (x, n) => ({ kind: 'shr', x, n });

const bigSigma0 = (x) => xor(xor(rotr(x, 2), rotr(x, 13)), rotr(x, 22));
const bigSigma1 = (x) => xor(xor(rotr(x, 6), rotr(x, 11)), rotr(x, 25));
const smallSigma0 = (x) => xor(xor(rotr(x, 7), rotr(x, 18)), shr(x, 3));
const smallSigma1 = (x) => xor(xor(rotr(x, 17), rotr(x, 19)), shr(x, 10));
// Ch(e, f, g) = (e & f) ^ (~e & g), one operation shorter.
const choose = (e, f, g) => xor(g, and(e, xor(f, g)));

function timeOf(node) {
  switch (node.kind) {
    case 'literal':
      return LITERAL;
    case 'ref':
      return node.time;
    case 'add':
      return Math.max(...node.args.map(timeOf));
    case 'rotr':
    case 'shr':
      return timeOf(node.x);
    default:
      return Math.max(timeOf(node.a), timeOf(node.b));
  }
}

function evaluate(node) {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'add':
      return node.args.reduce((sum, arg) => (sum + evaluate(arg)) >>> 0, 0);
    case 'xor':
      return (evaluate(node.a) ^ evaluate(node.b)) >>> 0;
    case 'and':
      return (evaluate(node.a) & evaluate(node.b)) >>> 0;
    case 'rotr': {
      const x = evaluate(node.x);
      return ((x >>> node.n) | (x << (32 - node.n))) >>> 0;
    }
    case 'shr':
      return evaluate(node.x) >>> node.n;
    default:
      throw new Error(`cannot evaluate ${node.kind}`);
  }
}

/** Fold literal subtrees, flatten sums and drop zeros. */
function simplify(node) {
  if (node.kind === 'literal' || node.kind === 'ref') return node;
  if (timeOf(node) === LITERAL) return literal(evaluate(node));
  switch (node.kind) {
    case 'add': {
      const terms = [];
      let constant = 0;
      for (const arg of node.args.map(simplify)) {
        if (arg.kind === 'literal') constant = (constant + arg.value) >>> 0;
        else if (arg.kind === 'add') {
          for (const inner of arg.args) {
            if (inner.kind === 'literal') constant = (constant + inner.value) >>> 0;
            else terms.push(inner);
          }
        } else terms.push(arg);
      }
      if (constant !== 0) terms.push(literal(constant));
      return terms.length === 1 ? terms[0] : { kind: 'add', args: terms };
    }
    case 'xor':
    case 'and': {
      const a = simplify(node.a);
      const b = simplify(node.b);
      if (node.kind === 'xor') {
        if (a.kind === 'literal' && a.value === 0) return b;
        if (b.kind === 'literal' && b.value === 0) return a;
      }
      return { kind: node.kind, a, b };
    }
    default:
      return { ...node, x: simplify(node.x) };
  }
}

/**
 * Straight-line code in two sections: `perJob` runs once per call before the nonce loop, `perNonce`
 * inside it. Each statement defines one name from one expression.
 */
class Program {
  perJob = [];
  perNonce = [];
  names = new Set();

  define(name, expression) {
    const node = simplify(expression);
    const time = timeOf(node);
    if (time === LITERAL || node.kind === 'ref') return node;
    if (this.names.has(name)) throw new Error(`${name} defined twice`);
    this.names.add(name);
    if (time === PER_JOB) {
      this.perJob.push({ name, node });
      return ref(name, PER_JOB);
    }
    let hoisted = 0;
    const hoist = (sub) => {
      if (timeOf(sub) === PER_JOB && sub.kind !== 'ref') {
        hoisted++;
        return this.define(`${name}Fixed${hoisted === 1 ? '' : hoisted}`, sub);
      }
      if (timeOf(sub) !== PER_NONCE || sub.kind === 'ref') return sub;
      if (sub.kind === 'add') {
        // Per-job terms of a per-nonce sum become one hoisted term.
        const fixed = sub.args.filter((arg) => timeOf(arg) !== PER_NONCE);
        const varying = sub.args.filter((arg) => timeOf(arg) === PER_NONCE).map(hoist);
        if (fixed.length > 1 && fixed.some((arg) => timeOf(arg) === PER_JOB))
          return { kind: 'add', args: [...varying, hoist(add(...fixed))] };
        return { kind: 'add', args: [...varying, ...fixed.map(hoist)] };
      }
      if (sub.kind === 'rotr' || sub.kind === 'shr') return { ...sub, x: hoist(sub.x) };
      return { ...sub, a: hoist(sub.a), b: hoist(sub.b) };
    };
    this.perNonce.push({ name, node: hoist(node) });
    return ref(name, PER_NONCE);
  }

  /** Drop every statement no output needs, such as the `a` values that the early stop never reads. */
  keepOnly(outputs) {
    const live = new Set(outputs);
    const markRefs = (node) => {
      if (node.kind === 'ref') live.add(node.name);
      else if (node.kind === 'add') node.args.forEach(markRefs);
      else if (node.kind === 'rotr' || node.kind === 'shr') markRefs(node.x);
      else if (node.kind !== 'literal') [node.a, node.b].forEach(markRefs);
    };
    const needed = (statements) =>
      statements
        .slice()
        .reverse()
        .filter(({ name, node }) => live.has(name) && (markRefs(node), true))
        .reverse();
    this.perNonce = needed(this.perNonce);
    this.perJob = needed(this.perJob);
  }
}

/**
 * One SHA-256 compression of `words` (16 expressions) into `state` (8 expressions). Round t makes
 * T1, a new `a` (A[t]) and a new `e` (E[t]); before round t, b..d are A[t-2..t-4] and f..h are
 * E[t-2..t-4]. With `stopAfterE60`, only the hash's last digest word is produced.
 */
function compress(program, prefix, state, words, { stopAfterE60 = false } = {}) {
  const name = (base, t) => `${prefix}${base}${t}`;
  const a = new Map([
    [-1, state[0]],
    [-2, state[1]],
    [-3, state[2]],
    [-4, state[3]],
  ]);
  const e = new Map([
    [-1, state[4]],
    [-2, state[5]],
    [-3, state[6]],
    [-4, state[7]],
  ]);
  const w = [...words];
  // Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)); a ^ b of one round is b ^ c of the next.
  const aXor = new Map();
  const aXorAt = (t) => {
    if (!aXor.has(t)) aXor.set(t, program.define(name('x', t < 0 ? `_${-t}` : t), xor(a.get(t), a.get(t - 1))));
    return aXor.get(t);
  };
  const lastRound = stopAfterE60 ? 60 : 63;
  for (let t = 0; t <= lastRound; t++) {
    if (t >= 16)
      w[t] = program.define(name('w', t), add(smallSigma1(w[t - 2]), w[t - 7], smallSigma0(w[t - 15]), w[t - 16]));
    const t1 = program.define(
      name('t', t),
      add(e.get(t - 4), bigSigma1(e.get(t - 1)), choose(e.get(t - 1), e.get(t - 2), e.get(t - 3)), literal(K[t]), w[t]),
    );
    e.set(t, program.define(name('e', t), add(a.get(t - 4), t1)));
    if (stopAfterE60 && t === 60) break;
    const majority = xor(a.get(t - 2), and(aXorAt(t - 1), aXorAt(t - 2)));
    a.set(t, program.define(name('a', t), add(t1, bigSigma0(a.get(t - 1)), majority)));
  }
  if (stopAfterE60) return [program.define('digestWord7', add(state[7], e.get(60)))];
  const final = [a.get(63), a.get(62), a.get(61), a.get(60), e.get(63), e.get(62), e.get(61), e.get(60)];
  return final.map((value, i) => program.define(`${prefix}digest${i}`, add(state[i], value)));
}

/** The first hash of one header from its midstate: its eight digest words, per nonce. */
function firstHash(program) {
  const midstate = Array.from({ length: 8 }, (_, i) => ref(`m${i}`, PER_JOB));
  // The header's second chunk: tail words, the nonce word, then padding for an 80-byte message.
  const chunk = [
    ref('tail0', PER_JOB),
    ref('tail1', PER_JOB),
    ref('tail2', PER_JOB),
    ref('nonceWord', PER_NONCE),
    literal(0x80000000),
  ];
  while (chunk.length < 15) chunk.push(literal(0));
  chunk.push(literal(640));
  return compress(program, '', midstate, chunk);
}

/** The second hash, of a 32-byte first digest, up to its last digest word. */
function secondHash(program, firstDigest) {
  const digestChunk = [...firstDigest, literal(0x80000000)];
  while (digestChunk.length < 15) digestChunk.push(literal(0));
  digestChunk.push(literal(256));
  compress(program, 's', IV.map(literal), digestChunk, { stopAfterE60: true });
  program.keepOnly(['digestWord7']);
}

/** Both hashes in one program: the wasm core, where function size costs nothing. */
export function sha256dProgram() {
  const program = new Program();
  secondHash(program, firstHash(program));
  return program;
}

/**
 * The same, cut in two for V8: TurboFan will not optimise a function whose bytecode passes 60 KiB,
 * and both hashes written out together pass it. The first hash stays in the nonce loop; the second
 * takes the first digest as eight arguments, so nothing is allocated or stored between them.
 */
function splitSha256dPrograms() {
  const first = new Program();
  const digest = firstHash(first);
  const second = new Program();
  secondHash(
    second,
    digest.map((_, i) => ref(`d${i}`, PER_NONCE)),
  );
  return { first, second, digest };
}

// ---------------------------------------------------------------------------------------------
// Emitters.

const hex = (value) => `0x${value.toString(16).padStart(8, '0')}`;
const indent = (lines, spaces) => lines.map((line) => `${' '.repeat(spaces)}${line}`).join('\n');

/**
 * An expression in a C-like language. The defaults write TypeScript; `literal` decorates a constant
 * (a cast, a suffix), `rotr` writes a rotation where the language has one, `shr` names the logical
 * right shift.
 */
export function scalarCode(node, dialect = {}) {
  const { literal = hex, rotr, shr = '>>>' } = dialect;
  const code = (n) => scalarCode(n, dialect);
  switch (node.kind) {
    case 'literal':
      return literal(node.value);
    case 'ref':
      return node.name;
    case 'add':
      return `(${node.args.map(code).join(' + ')})`;
    case 'xor':
      return `(${code(node.a)} ^ ${code(node.b)})`;
    case 'and':
      return `(${code(node.a)} & ${code(node.b)})`;
    case 'rotr':
      return rotr
        ? rotr(code(node.x), node.n)
        : `(${code(node.x)} ${shr} ${node.n} | ${code(node.x)} << ${32 - node.n})`;
    case 'shr':
      return `(${code(node.x)} ${shr} ${node.n})`;
    default:
      throw new Error(node.kind);
  }
}

function jsStatement({ name, node }) {
  const code = scalarCode(node);
  // `| 0` keeps every sum a 32-bit integer, so V8 compiles the adds to machine adds.
  return `const ${name} = ${node.kind === 'add' ? `${code.slice(1, -1)} | 0` : stripParens(code)};`;
}

const stripParens = (code) =>
  code.startsWith('(') && code.endsWith(')') && balanced(code.slice(1, -1)) ? code.slice(1, -1) : code;

function balanced(code) {
  let depth = 0;
  for (const ch of code) {
    if (ch === '(') depth++;
    if (ch === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

function generateJs() {
  const { first, second, digest } = splitSha256dPrograms();
  const digestArgs = digest.map((word) => word.name).join(', ');
  return `// Generated by scripts/generate-sha256d.mjs: edit that script, not this file.
/**
 * The js backend's inner loop: the double SHA-256 of one header for each nonce of a range, written
 * out round by round (a name per new value; see the script for the scheme), stopping after round 60
 * of the second hash to test its top 32 bits against the target's.
 */

/**
 * Hash nonces start .. start+count-1 (count <= 2^30) of the header whose first chunk left
 * \`midstate\` and whose second chunk begins with \`tail\`. Returns the offset from \`start\` of the
 * first nonce whose hash, read as a number, has its top 32 bits at most \`topLimb\` (such a hash may
 * meet the target; no other can), or -1.
 */
export function filterNonces(midstate: Uint32Array, tail: Uint32Array, topLimb: number, start: number, count: number): number {
  const m0 = midstate[0] | 0, m1 = midstate[1] | 0, m2 = midstate[2] | 0, m3 = midstate[3] | 0;
  const m4 = midstate[4] | 0, m5 = midstate[5] | 0, m6 = midstate[6] | 0, m7 = midstate[7] | 0;
  const tail0 = tail[0] | 0, tail1 = tail[1] | 0, tail2 = tail[2] | 0;
  const limit = topLimb >>> 0;
${indent(first.perJob.map(jsStatement), 2)}
  for (let offset = 0; offset < count; offset++) {
    const nonce = (start + offset) | 0;
    // The header stores the nonce little-endian; SHA-256 reads big-endian words.
    const nonceWord = (nonce << 24) | ((nonce & 0xff00) << 8) | ((nonce >>> 8) & 0xff00) | (nonce >>> 24);
${indent(first.perNonce.map(jsStatement), 4)}
    const digestWord7 = secondHashLastWord(${digestArgs});
    const hashTop = ((digestWord7 << 24) | ((digestWord7 & 0xff00) << 8) | ((digestWord7 >>> 8) & 0xff00) | (digestWord7 >>> 24)) >>> 0;
    if (hashTop <= limit) return offset;
  }
  return -1;
}

/** The second SHA-256, of the first digest d0..d7, as far as its last digest word. */
function secondHashLastWord(${digest.map((_, i) => `d${i}: number`).join(', ')}): number {
${indent(second.perNonce.map(jsStatement), 2)}
  return digestWord7;
}
`;
}

// AssemblyScript: per-job values are scalars; the nonce loop works on four lanes, so every per-job
// value or literal it uses is splatted once, before the loop.
function vectorCode(node, splats, group = '') {
  const code = (n) => vectorCode(n, splats, group);
  switch (node.kind) {
    case 'literal': {
      const name = `c${node.value.toString(16).padStart(8, '0')}`;
      splats.set(name, `<i32>${hex(node.value)}`);
      return name;
    }
    case 'ref':
      if (node.time === PER_JOB) {
        splats.set(`${node.name}x4`, node.name);
        return `${node.name}x4`;
      }
      return `${node.name}${group}`;
    case 'add':
      return node.args.map(code).reduce((sum, term) => `i32x4.add(${sum}, ${term})`);
    case 'xor':
      return `v128.xor(${code(node.a)}, ${code(node.b)})`;
    case 'and':
      return `v128.and(${code(node.a)}, ${code(node.b)})`;
    case 'rotr':
      return `v128.or(i32x4.shr_u(${code(node.x)}, ${node.n}), i32x4.shl(${code(node.x)}, ${32 - node.n}))`;
    case 'shr':
      return `i32x4.shr_u(${code(node.x)}, ${node.n})`;
    default:
      throw new Error(node.kind);
  }
}

const assemblyScriptDialect = { literal: (value) => `<i32>${hex(value)}`, rotr: (x, n) => `rotr<i32>(${x}, ${n})` };
const asScalarCode = (node) => scalarCode(node, assemblyScriptDialect);

/**
 * Vectors of four nonces hashed side by side in each pass of the loop. One vector's rounds form a
 * single dependency chain; a second, independent one gives the processor work while it waits.
 * bench/interleave.mjs measures 1 to 4 side by side (bench/README.md has the figures).
 */
export const WASM_VECTOR_COUNT = 2;

/** The SIMD filter with `vectorCount` vectors a pass (bench/interleave.mjs builds the other widths). */
export function generateAssemblyScript(vectorCount = WASM_VECTOR_COUNT) {
  const WASM_VECTORS = 'ABCDEFGH'.slice(0, vectorCount).split('');
  const program = sha256dProgram();
  const splats = new Map();
  const perNonce = program.perNonce.flatMap(({ name, node }) =>
    WASM_VECTORS.map((group) => `const ${name}${group} = ${vectorCode(node, splats, group)};`),
  );
  const perJob = program.perJob.map(({ name, node }) => `const ${name}: i32 = ${stripParens(asScalarCode(node))};`);
  const splatLines = [...splats].map(([name, value]) => `const ${name} = i32x4.splat(${value});`);
  const noncesPerPass = 4 * WASM_VECTORS.length;
  const perVector = (lines) =>
    indent(
      WASM_VECTORS.flatMap((group, i) => lines(group, 4 * i)),
      4,
    );
  return `// Generated by scripts/generate-sha256d.mjs: edit that script, not this file.
/**
 * The wasm backend's core: the double SHA-256 of one header for ${noncesPerPass} nonces at once, one per 32-bit
 * lane of ${WASM_VECTORS.length} v128 vectors, stopping after round 60 of the second hash to test each lane's top
 * 32 bits against the target's. Compiled by \`npm run build\` (asc --enable simd) to
 * dist/hash/sha256d-simd.wasm.
 */

/**
 * Hash nonces start .. start+count-1 (count <= 2^30) of the header whose first chunk left midstate
 * m0..m7 and whose second chunk begins with tail0..tail2. Returns the offset from \`start\` of the
 * first nonce whose hash has its top 32 bits at most \`topLimb\` (unsigned), or -1.
 */
export function filterNonces(
  m0: i32, m1: i32, m2: i32, m3: i32, m4: i32, m5: i32, m6: i32, m7: i32,
  tail0: i32, tail1: i32, tail2: i32, topLimb: i32, start: i32, count: i32,
): i32 {
${indent(perJob, 2)}
${indent(splatLines, 2)}
  const limit = i32x4.splat(topLimb);
  const laneOffsets = i32x4(0, 1, 2, 3);
  for (let offset = 0; offset < count; offset += ${noncesPerPass}) {
    // The header stores the nonce little-endian; SHA-256 reads big-endian words.
${perVector((group, first) => [
  `const nonces${group} = i32x4.add(i32x4.splat(start + offset + ${first}), laneOffsets);`,
  `const nonceWord${group} = i8x16.shuffle(nonces${group}, nonces${group}, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);`,
])}
${indent(perNonce, 4)}
${perVector((group, first) => [
  `const hashTop${group} = i8x16.shuffle(digestWord7${group}, digestWord7${group}, 3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);`,
  `const candidates${group} = i32x4.le_u(hashTop${group}, limit);`,
  `if (v128.any_true(candidates${group})) {`,
  `  const lane = offset + ${first} + ctz(i32x4.bitmask(candidates${group}));`,
  '  // Lanes past the end of the range hash nonces nobody asked for.',
  '  return lane < count ? lane : -1;',
  '}',
])}
  }
  return -1;
}
`;
}

/** The same filter one nonce at a time in plain wasm, for an engine without 128-bit SIMD. */
function generateScalarAssemblyScript() {
  const program = sha256dProgram();
  const statement = ({ name, node }) => `const ${name}: i32 = ${stripParens(asScalarCode(node))};`;
  return `// Generated by scripts/generate-sha256d.mjs: edit that script, not this file.
/**
 * The wasm backend's fallback where WebAssembly SIMD is missing: the same double SHA-256 filter as
 * sha256d.ts, one nonce per pass. Compiled by \`npm run build\` to dist/hash/sha256d-scalar.wasm.
 */

/** As filterNonces in sha256d.ts. */
export function filterNonces(
  m0: i32, m1: i32, m2: i32, m3: i32, m4: i32, m5: i32, m6: i32, m7: i32,
  tail0: i32, tail1: i32, tail2: i32, topLimb: i32, start: i32, count: i32,
): i32 {
${indent(program.perJob.map(statement), 2)}
  for (let offset = 0; offset < count; offset++) {
    const nonce = start + offset;
    // The header stores the nonce little-endian; SHA-256 reads big-endian words.
    const nonceWord = bswap<i32>(nonce);
${indent(program.perNonce.map(statement), 4)}
    if (<u32>bswap<i32>(digestWord7) <= <u32>topLimb) return offset;
  }
  return -1;
}
`;
}

// WGSL: u32 arithmetic wraps as SHA-256 wants, but the language has no rotate and no byte swap, and
// it will not mix `|` with shifts without parentheses.
const wgslDialect = {
  literal: (value) => `${hex(value)}u`,
  rotr: (x, n) => `((${x} >> ${n}u) | (${x} << ${32 - n}u))`,
  shr: '>>',
};
const wgslStatement = ({ name, node }) => `let ${name} = ${stripParens(scalarCode(node, wgslDialect))};`;

/** The per-job values the nonce loop reads, in the order of first use: the kernel's job words. */
function perJobInputs(program) {
  const inputs = new Set();
  const visit = (node) => {
    if (node.kind === 'ref' && node.time === PER_JOB) inputs.add(node.name);
    else if (node.kind === 'add') node.args.forEach(visit);
    else if (node.kind === 'rotr' || node.kind === 'shr') visit(node.x);
    else if (node.kind === 'xor' || node.kind === 'and') [node.a, node.b].forEach(visit);
  };
  program.perNonce.forEach(({ node }) => visit(node));
  return [...inputs];
}

/**
 * The webgpu backend's kernel. The binding times become places: literals are in the shader text,
 * per-job values are computed once on the CPU (writeKernelJob) and read from a uniform buffer, and
 * only the per-nonce rounds run on the GPU, NONCES_PER_INVOCATION nonces per invocation.
 */
function generateWgsl() {
  const program = sha256dProgram();
  const inputs = perJobInputs(program);
  const dispatchWords = ['start', 'count', 'topLimb'];
  const uniformVectors = Math.ceil((inputs.length + dispatchWords.length) / 4);
  const lane = (i) => `params.words[${i >> 2}].${'xyzw'[i & 3]}`;
  const readWord = (name, i) => `let ${name} = ${lane(i)};`;
  const kernel = `// Generated by scripts/generate-sha256d.mjs: edit that script, not this file.
// Words 0..${inputs.length - 1}: the job's values, computed on the CPU; then start, count, topLimb of this dispatch.
struct Params { words: array<vec4<u32>, ${uniformVectors}> }

@group(0) @binding(0) var<uniform> params: Params;
// found[0] counts the candidates; found[1..] holds as many as fit, in no order.
@group(0) @binding(1) var<storage, read_write> found: array<atomic<u32>>;

override WORKGROUP_SIZE: u32 = 256u;
override NONCES_PER_INVOCATION: u32 = 1u;

fn byteSwap(x: u32) -> u32 {
  return (x << 24u) | ((x & 0xff00u) << 8u) | ((x >> 8u) & 0xff00u) | (x >> 24u);
}

@compute @workgroup_size(WORKGROUP_SIZE)
fn main(@builtin(global_invocation_id) id: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
${indent(inputs.map(readWord), 2)}
${indent(
  dispatchWords.map((name, i) => readWord(name, inputs.length + i)),
  2,
)}
  // Dispatches are two-dimensional: one dimension holds at most 65,535 workgroups.
  let invocation = id.y * groups.x * WORKGROUP_SIZE + id.x;
  for (var i = 0u; i < NONCES_PER_INVOCATION; i++) {
    let offset = invocation * NONCES_PER_INVOCATION + i;
    if (offset >= count) {
      return;
    }
    // The header stores the nonce little-endian; SHA-256 reads big-endian words.
    let nonceWord = byteSwap(start + offset);
${indent(program.perNonce.map(wgslStatement), 4)}
    if (byteSwap(digestWord7) <= topLimb) {
      let slot = atomicAdd(&found[0], 1u);
      if (slot + 1u < arrayLength(&found)) {
        atomicStore(&found[slot + 1u], start + offset);
      }
    }
  }
}
`;
  return `// Generated by scripts/generate-sha256d.mjs: edit that script, not this file.
/**
 * The webgpu backend's kernel (WGSL) and the host half of it: the double SHA-256 of one header per
 * nonce, stopping after round 60 of the second hash, with every nonce whose hash's top 32 bits are
 * at most topLimb appended to an output buffer. What depends only on the job is computed here, once.
 */

/** Job words, then the dispatch's start, count and topLimb. */
export const KERNEL_PARAM_WORDS = ${4 * uniformVectors};
export const KERNEL_START_WORD = ${inputs.length};

/** The job's words of the kernel's parameters, from the midstate and the header's tail words. */
export function writeKernelJob(midstate: Uint32Array, tail: Uint32Array, params: Uint32Array): void {
  const m0 = midstate[0] | 0, m1 = midstate[1] | 0, m2 = midstate[2] | 0, m3 = midstate[3] | 0;
  const m4 = midstate[4] | 0, m5 = midstate[5] | 0, m6 = midstate[6] | 0, m7 = midstate[7] | 0;
  const tail0 = tail[0] | 0, tail1 = tail[1] | 0, tail2 = tail[2] | 0;
${indent(program.perJob.map(jsStatement), 2)}
${indent(
  inputs.map((name, i) => `params[${i}] = ${name};`),
  2,
)}
}

export const KERNEL_WGSL = \`${kernel}\`;
`;
}

export function generatedFiles() {
  return {
    'src/hash/js-rounds.ts': generateJs(),
    'assembly/sha256d.ts': generateAssemblyScript(),
    'assembly/sha256d-scalar.ts': generateScalarAssemblyScript(),
    'src/hash/webgpu-kernel.ts': generateWgsl(),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = fileURLToPath(new URL('..', import.meta.url));
  for (const [path, text] of Object.entries(generatedFiles())) {
    writeFileSync(`${root}${path}`, text);
    process.stdout.write(`wrote ${path}\n`);
  }
}
