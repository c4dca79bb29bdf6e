/**
 * Replays recorded sessions through powlab's session parser: the pool's lines go in as recorded,
 * and powlab must send the same requests, the same answers and, for each recorded share, the same
 * submit, rebuilt from the job as powlab decoded it, with a hash under the share target.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withNonce } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import { hashMeetsTarget } from '../../src/core/target.js';
import { StratumSession, type SessionEvent } from '../../src/stratum/session.js';
import type { ShareWork } from '../../src/stratum/work.js';

interface Row {
  from: 'client' | 'pool';
  line: string;
}

interface Message {
  id?: number | string | null;
  method?: string;
  params?: unknown[];
  result?: unknown;
  error?: unknown;
}

const FIXTURES = new URL('./fixtures/', import.meta.url);
const sessions = readdirSync(FIXTURES).filter((name) => name.endsWith('.jsonl'));

function load(name: string): Row[] {
  return readFileSync(new URL(name, FIXTURES), 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

/** The extranonce index of a work that gives this extranonce2 and these version bits. */
function indexFor(work: ShareWork, extranonce2: string, versionBits: string | undefined): number {
  const versions = work.terms.versionMask === null ? 1 : 2 ** 16;
  const counter = parseInt(extranonce2 || '0', 16);
  for (let slot = 0; slot < versions; slot++) {
    const index = counter * versions + slot;
    if (
      versionBits === undefined ||
      (work.version(index) & work.terms.versionMask!) >>> 0 === parseInt(versionBits, 16)
    )
      return index;
  }
  throw new Error(`no index gives extranonce2 ${extranonce2} with version bits ${versionBits}`);
}

describe.each(sessions)('replaying %s', (name) => {
  it('gives the same requests, answers and shares, each share under its target', () => {
    const rows = load(name);
    const clientMessages = rows.filter((row) => row.from === 'client').map((row) => JSON.parse(row.line) as Message);
    const authorize = clientMessages.find((m) => m.method === 'mining.authorize')!;
    const suggest = clientMessages.find((m) => m.method === 'mining.suggest_difficulty');
    const subscribe = clientMessages.find((m) => m.method === 'mining.subscribe')!;
    const [user, password] = authorize.params as [string, string];
    const sent: Message[] = [];
    const session = new StratumSession(
      {
        user,
        password,
        userAgent: (subscribe.params?.[0] as string | undefined) ?? 'powlab/replay',
        versionRolling: clientMessages.some((m) => m.method === 'mining.configure'),
        suggestDifficulty: suggest?.params?.[0] as number | undefined,
        connection: 1,
      },
      (line) => sent.push(JSON.parse(line)),
    );
    session.start();

    // The recording's request ids, mapped to the ones this replay's session chose.
    const ids = new Map<unknown, unknown>();
    const events: SessionEvent[] = [];
    const works = new Map<string, ShareWork>();
    let consumed = 0;
    const nextSent = (): Message => {
      expect(consumed, 'powlab should have sent this by now').toBeLessThan(sent.length);
      return sent[consumed++];
    };
    let submits = 0;

    for (const row of rows) {
      const message = JSON.parse(row.line.startsWith('{') ? row.line : 'null') as Message | null;
      if (row.from === 'pool') {
        // A response to one of our requests goes back under the id this session used for it.
        const line =
          message && message.method === undefined && ids.has(message.id)
            ? JSON.stringify({ ...message, id: ids.get(message.id) })
            : row.line;
        for (const event of session.receive(line)) {
          events.push(event);
          if (event.type === 'work') works.set(event.work.job.jobId, event.work);
        }
        continue;
      }
      expect(message, 'powlab sends JSON').not.toBeNull();
      if (message!.method === 'mining.submit') {
        const [, jobId, extranonce2, ntime, nonce, versionBits] = message!.params as string[];
        const work = works.get(jobId)!;
        expect(work, `a job ${jobId} powlab decoded`).toBeDefined();
        const index = indexFor(work, extranonce2, versionBits);
        const header = withNonce(work.header(index), parseInt(nonce, 16));
        // The slush example rolled ntime; powlab does not, so its header takes the share's ntime.
        new DataView(header.buffer).setUint32(68, parseInt(ntime, 16), true);
        const hash = sha256d(header);
        expect(hashMeetsTarget(hash, work.target), `share ${nonce} of job ${jobId} meets its target`).toBe(true);
        const solution = {
          work,
          extranonceIndex: index,
          nonce: parseInt(nonce, 16),
          header,
          hash,
          hashes: 1,
          seconds: 0,
        };
        const id = session.submit(work.share(solution));
        const ours = nextSent();
        expect(ours.params).toEqual(message!.params);
        ids.set(message!.id, id);
        submits++;
        continue;
      }
      if (message!.method !== undefined) {
        // A request of ours: same method, same params (bar the user agent, which names the version).
        const ours = nextSent();
        expect(ours.method).toBe(message!.method);
        if (message!.method !== 'mining.subscribe') expect(ours.params).toEqual(message!.params);
        ids.set(message!.id, ours.id);
        continue;
      }
      // An answer to the pool's request: same id and result (the version string may differ).
      const ours = nextSent();
      expect(ours.id).toBe(message!.id);
      if (typeof message!.result === 'string' && message!.result.startsWith('powlab/'))
        expect(ours.result).toMatch(/^powlab\//);
      else expect(ours.result).toEqual(message!.result);
      expect(ours.error ?? null).toEqual(message!.error ?? null);
    }

    expect(consumed).toBe(sent.length);
    expect(submits).toBeGreaterThan(0);
    const verdicts = events.filter((e) => e.type === 'shareResult');
    expect(verdicts).toHaveLength(submits);
    expect(verdicts.every((e) => e.type === 'shareResult' && e.verdict.status === 'accepted')).toBe(true);
    expect(session.authorized).toBe(true);
  });
});
