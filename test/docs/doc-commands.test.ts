// Every powlab command README.md and docs/ show, run as a reader would run it: in document order, with
// a fresh HOME (so a fresh ~/.powlab) per document, against the built CLI, each code block in one
// shell. Commands that would mine for long are shortened by the general rules in test/docs/shortened.mjs;
// a node or a pool a page points at is a real stand-in here (bcoin, the test pool). Each must exit 0,
// and the output a page quotes for a command (test/docs/doc-blocks.ts says how a quote reads) must be
// in what the command printed, stdout and stderr together as a terminal shows them.
import { execFile } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBcoinNode, type BcoinNode } from '../helpers/bcoin-node.js';
import { TestPool } from '../stratum/pool-server.js';
import { blocksIn, isRun, quoteMismatch, type DocCommand } from './doc-blocks.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SHORTENED = fileURLToPath(new URL('./shortened.mjs', import.meta.url));

function pages(): string[] {
  const docs = readdirSync(join(ROOT, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.md'))
    .map((name) => join('docs', name));
  return ['README.md', ...docs.sort()];
}

/** A marker line the block's script prints before each command, to tell their outputs apart. */
const MARK = '@@powlab-doc-command';

/** A block's commands in one bash, stdout and stderr on one pipe (so in the order they were written). */
function runBlock(
  commands: DocCommand[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ code: number; outputs: string[]; all: string }> {
  const script = [
    'exec 2>&1',
    ...commands.flatMap((command, i) => [`printf '\\n${MARK} ${i}\\n'`, asRun(command.text)]),
  ].join('\n');
  const timeout = 120_000 * commands.length;
  return new Promise((resolve) => {
    execFile(
      'bash',
      ['-eo', 'pipefail', '-c', script],
      { env, cwd, timeout, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        const outputs = stdout
          .split(new RegExp(`\\n${MARK} \\d+\\n`))
          .slice(1)
          .map((output, i, all) => (i < all.length - 1 ? output.replace(/\n$/, '') : output));
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, outputs, all: stdout });
      },
    );
  });
}

/** The page's form of the command, for the shims: `npx powlab` is `powlab` here (npx would only find the same link). */
const asRun = (text: string) =>
  text.replace(/\bnpx powlab\b/g, 'powlab').replace(/\bnode docs\/lab\/block-times\.mjs\b/g, 'block-times');

describe('the extraction', () => {
  it('finds every page with commands: README, the guides and the labs', () => {
    const files = new Set(
      pages().flatMap((file) => blocksIn(file, readFileSync(join(ROOT, file), 'utf8')).map((b) => b.file)),
    );
    for (const file of [
      'README.md',
      'docs/lab/0-first-block.md',
      'docs/lab/3-block-times.md',
      'docs/lab/4-extranonce.md',
      'docs/mining-on-a-node.md',
    ])
      expect(files).toContain(file);
  });

  it('finds no quoted output that nothing checks: every command with a quote is run', () => {
    const unchecked = pages().flatMap((file) =>
      blocksIn(file, readFileSync(join(ROOT, file), 'utf8')).flatMap((block) =>
        block.commands.filter((c) => c.quote.length > 0 && !isRun(c)).map((c) => `${file}:${c.line}`),
      ),
    );
    expect(unchecked).toEqual([]);
  });
});

for (const file of pages()) {
  const blocks = blocksIn(file, readFileSync(join(ROOT, file), 'utf8'));
  if (blocks.length === 0) continue;
  const texts = blocks.flatMap((block) => block.commands.map((c) => c.text));
  const needsNode = texts.some((text) => /--rpc\b/.test(text));
  const needsPool = texts.some((text) => /--pool\b/.test(text));

  describe(`the commands of ${file}`, () => {
    const home = mkdtempSync(join(tmpdir(), 'powlab-doc-home-'));
    const work = join(home, 'work');
    const bin = join(home, 'bin');
    let node: BcoinNode | undefined;
    let pool: TestPool | undefined;
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, NO_COLOR: '1', PATH: `${bin}:${process.env.PATH}` };

    beforeAll(async () => {
      mkdirSync(work);
      mkdirSync(bin);
      for (const tool of ['powlab', 'block-times']) {
        writeFileSync(join(bin, tool), `#!/bin/sh\nexec "${process.execPath}" "${SHORTENED}" ${tool} "$@"\n`);
        chmodSync(join(bin, tool), 0o755);
      }
      if (needsNode) {
        // The page's password is "secret", and Bitcoin Core's cookie sits in ~/.bitcoin/regtest.
        node = await startBcoinNode({ apiKey: 'secret' });
        env.DOC_RPC_URL = node.url;
        mkdirSync(join(home, '.bitcoin', 'regtest'), { recursive: true });
        writeFileSync(join(home, '.bitcoin', 'regtest', '.cookie'), '__cookie__:secret');
      }
      if (needsPool) {
        pool = await TestPool.start();
        env.DOC_POOL_URL = pool.url;
      }
    }, 60_000);

    afterAll(async () => {
      await node?.close();
      await pool?.close();
      rmSync(home, { recursive: true, force: true });
    });

    for (const block of blocks) {
      const commands = block.commands.filter(isRun);
      const more = commands.length > 1 ? ` (and ${commands.length - 1} more)` : '';
      it(
        `${file}:${commands[0].line}: ${commands[0].text.split('\n')[0].slice(0, 90)}${more}`,
        async () => {
          const result = await runBlock(commands, env, work);
          // The page's reader is "you": their home is /home/you in a quote.
          const outputs = result.outputs.map((output) => output.replaceAll(home, '/home/you'));
          const last = commands[Math.max(outputs.length - 1, 0)];
          expect(result.all, `${last.text}\n${result.all}`).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
          expect(result.code, `${last.text}\nexited ${result.code}: ${outputs.at(-1)}`).toBe(0);
          commands.forEach((command, i) => {
            if (command.quote.length === 0) return;
            const why = quoteMismatch(command.quote, outputs[i]);
            expect(why, `${file}:${command.line}: ${command.text}\n${why}\n--- the output:\n${outputs[i]}`).toBeNull();
          });
        },
        120_000 * commands.length,
      );
    }
  });
}
