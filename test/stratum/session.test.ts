import { describe, expect, it } from 'vitest';
import { withNonce } from '../../src/core/header.js';
import { sha256d } from '../../src/core/sha256.js';
import { StratumSession, type SessionEvent, type SessionOptions } from '../../src/stratum/session.js';
import type { ShareWork } from '../../src/stratum/work.js';

const COINB1 = '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff0d03a0860108';
const COINB2 = 'ffffffff0100f2052a01000000015100000000';
const PREV = '00'.repeat(28) + '00000000';

function notify(jobId: string, clean: boolean, version = '20000000'): string {
  return JSON.stringify({
    id: null,
    method: 'mining.notify',
    params: [jobId, PREV, COINB1, COINB2, [], version, '1d00ffff', '65000000', clean],
  });
}

function open(options: Partial<SessionOptions> = {}) {
  const sent: Record<string, unknown>[] = [];
  const session = new StratumSession(
    { user: 'alice.rig', password: 'pw', userAgent: 'powlab/9.9.9', versionRolling: false, connection: 1, ...options },
    (line) => sent.push(JSON.parse(line)),
  );
  session.start();
  const feed = (message: unknown): SessionEvent[] =>
    session.receive(typeof message === 'string' ? message : JSON.stringify(message));
  return { session, sent, feed };
}

/** Subscribe and authorise with extranonce1 08000002 and a 4-byte extranonce2. */
function ready(options: Partial<SessionOptions> = {}) {
  const opened = open(options);
  const { sent, feed } = opened;
  const subscribe = sent.find((m) => m.method === 'mining.subscribe')!;
  feed({ id: subscribe.id, result: [[], '08000002', 4], error: null });
  const authorize = sent.find((m) => m.method === 'mining.authorize')!;
  feed({ id: authorize.id, result: true, error: null });
  return opened;
}

const works = (events: SessionEvent[]) => events.flatMap((e) => (e.type === 'work' ? [e.work] : []));

describe('a Stratum session', () => {
  it('subscribes with its user agent, then authorises, then suggests a difficulty', () => {
    const { sent, feed, session } = open({ suggestDifficulty: 512 });
    expect(sent).toEqual([{ id: 1, method: 'mining.subscribe', params: ['powlab/9.9.9'] }]);
    expect(feed({ id: 1, result: [[['mining.notify', 'ae68']], '08000002', 4], error: null })).toEqual([]);
    expect(sent[1]).toEqual({ id: 2, method: 'mining.authorize', params: ['alice.rig', 'pw'] });
    expect(session.authorized).toBe(false);
    expect(feed({ id: 2, result: true, error: null })).toEqual([{ type: 'authorized' }]);
    // Whole numbers go out as whole numbers, for pools that take no others.
    expect(sent[2]).toEqual({ id: 3, method: 'mining.suggest_difficulty', params: [512] });
    expect(session.authorized).toBe(true);
  });

  it('configures version rolling (BIP 310) before subscribing when asked', () => {
    const { sent, feed, session } = open({ versionRolling: true });
    expect(sent).toEqual([
      {
        id: 1,
        method: 'mining.configure',
        params: [['version-rolling'], { 'version-rolling.mask': '1fffe000', 'version-rolling.min-bit-count': 2 }],
      },
    ]);
    expect(
      feed({ id: 1, result: { 'version-rolling': true, 'version-rolling.mask': '00ffe000' }, error: null }),
    ).toEqual([{ type: 'configured', versionMask: 0x00ffe000 }]);
    expect(sent[1].method).toBe('mining.subscribe');
    expect(session.versionMask).toBe(0x00ffe000);
  });

  it('goes on without version rolling when the pool refuses or does not know mining.configure', () => {
    const refused = open({ versionRolling: true });
    const [event] = refused.feed({ id: 1, result: null, error: [20, 'Unknown method', null] });
    expect(event).toEqual({
      type: 'configured',
      versionMask: null,
      note: 'the pool refused mining.configure: Unknown method (20)',
    });
    expect(refused.sent[1].method).toBe('mining.subscribe');
    const garbled = open({ versionRolling: true });
    expect(
      garbled.feed({ id: 1, result: { 'version-rolling': true, 'version-rolling.mask': 42 }, error: null })[0],
    ).toMatchObject({ type: 'configured', versionMask: null });
    expect(garbled.sent[1].method).toBe('mining.subscribe');
  });

  it('reports a refused login, and a subscription it cannot use', () => {
    const { feed } = open();
    feed({ id: 1, result: [[], '08000002', 4], error: null });
    expect(feed({ id: 2, result: false, error: [24, 'Unauthorized worker', null] })).toEqual([
      { type: 'unauthorized', reason: 'Unauthorized worker (24)' },
    ]);
    expect(open().feed({ id: 1, result: [[], 'nothex', 4], error: null })).toEqual([
      { type: 'failed', reason: 'mining.subscribe result extranonce1: must be whole bytes of hex' },
    ]);
    expect(open().feed({ id: 1, result: null, error: [25, 'Not subscribed', null] })[0]).toMatchObject({
      type: 'failed',
    });
  });

  it('holds jobs until authorised, then mines the latest', () => {
    const { sent, feed } = open();
    feed({ id: 1, result: [[], '08000002', 4], error: null });
    expect(feed(notify('a', true))).toEqual([]);
    expect(feed(notify('b', false))).toEqual([]);
    const events = feed({ id: sent[1].id, result: true, error: null });
    expect(works(events).map((w) => w.job.jobId)).toEqual(['b']);
    // The subscription's extranonce1, then extranonce2 0.
    expect(Buffer.from(works(events)[0].coinbase(0)).toString('hex')).toContain('0800000200000000');
  });

  it('applies a new difficulty to the job it mines at once, the same headers at a new target; a new extranonce waits for the next job', () => {
    const { feed } = ready();
    const [first] = works(feed(notify('a', true)));
    expect(first.terms.difficulty).toBe(1);
    expect(feed({ id: null, method: 'mining.set_extranonce', params: ['0a0b0c0d', 4] })).toEqual([]);
    const events = feed({ id: null, method: 'mining.set_difficulty', params: [0.0002] });
    expect(events[0]).toEqual({ type: 'difficulty', difficulty: 0.0002 });
    const retargeted = events.flatMap((e) => (e.type === 'retarget' ? [e.work] : []));
    expect(retargeted).toHaveLength(1);
    const [again] = retargeted;
    expect(again.job.jobId).toBe('a');
    expect(again.terms.difficulty).toBe(0.0002);
    expect(again.header(5)).toEqual(first.header(5));
    expect(first.terms.difficulty).toBe(1);
    // The same difficulty again changes nothing.
    expect(feed({ id: null, method: 'mining.set_difficulty', params: [0.0002] })).toEqual([
      { type: 'difficulty', difficulty: 0.0002 },
    ]);
    const [second] = works(feed(notify('b', false)));
    expect(second.terms.difficulty).toBe(0.0002);
    expect(Buffer.from(second.coinbase(0)).toString('hex')).toContain('0a0b0c0d00000000');
    expect(new Set([first.id, again.id, second.id]).size).toBe(3);
  });

  it('keeps the difficulty it had when the pool sends one no share could meet', () => {
    const { feed, session } = ready();
    feed({ id: null, method: 'mining.set_difficulty', params: [0.5] });
    expect(feed({ id: null, method: 'mining.set_difficulty', params: [1e300] })).toEqual([
      { type: 'invalid', why: 'mining.set_difficulty: difficulty must be at most 2^64, got 1e+300' },
    ]);
    expect(session.difficulty).toBe(0.5);
    const [work] = works(feed(notify('a', true)));
    expect(work.terms.difficulty).toBe(0.5);
  });

  it('keeps earlier jobs live until clean_jobs, and tells stale solutions apart', () => {
    const { feed, session } = ready();
    const [a] = works(feed(notify('a', true)));
    const [b] = works(feed(notify('b', false)));
    const solution = (work: ShareWork) => {
      const header = withNonce(work.header(0), 1);
      return { work, extranonceIndex: 0, nonce: 1, header, hash: sha256d(header), hashes: 1, seconds: 0 };
    };
    expect(session.staleReason(a, solution(a))).toBeUndefined();
    expect(session.staleReason(b, solution(b))).toBeUndefined();
    works(feed(notify('c', true)));
    expect(session.staleReason(a, solution(a))).toBe('job a was replaced');
    expect(session.staleReason(b, solution(b))).toBe('job b was replaced');
    // The same job id on a new connection is not the same job.
    const other = ready();
    works(other.feed(notify('c', true)));
    const [c] = works(feed(notify('c', true)));
    expect(other.session.staleReason(c, solution(c))).toBe('job c came on an earlier connection');
  });

  it('submits [user, job_id, extranonce2, ntime, nonce] and reads the verdicts', () => {
    const { feed, session, sent } = ready();
    const id = session.submit({ jobId: 'a', extranonce2: '00000001', ntime: '65000000', nonce: '0000abcd' });
    expect(sent.at(-1)).toEqual({
      id,
      method: 'mining.submit',
      params: ['alice.rig', 'a', '00000001', '65000000', '0000abcd'],
    });
    expect(feed({ id, result: true, error: null })).toEqual([
      { type: 'shareResult', requestId: id, verdict: { status: 'accepted' } },
    ]);
    const second = session.submit({ jobId: 'a', extranonce2: '00000001', ntime: '65000000', nonce: '0000abcd' });
    expect(feed({ id: second, result: null, error: [22, 'Duplicate share', null] })).toEqual([
      { type: 'shareResult', requestId: second, verdict: { status: 'rejected', reason: 'Duplicate share (22)' } },
    ]);
    const third = session.submit({ jobId: 'a', extranonce2: '00000002', ntime: '65000000', nonce: '0000abcd' });
    expect(feed({ id: third, result: false, error: null })[0]).toMatchObject({
      verdict: { status: 'rejected', reason: 'the pool said no' },
    });
    const fourth = session.submit({ jobId: 'a', extranonce2: '00000003', ntime: '65000000', nonce: '0000abcd' });
    expect(feed({ id: String(fourth), result: true, error: null })).toEqual([
      { type: 'shareResult', requestId: fourth, verdict: { status: 'accepted' } },
    ]);
  });

  it('forgets the oldest of more than 1000 shares the pool has not answered', () => {
    const { feed, session } = ready();
    const share = (n: number) => ({
      jobId: 'a',
      extranonce2: n.toString(16).padStart(8, '0'),
      ntime: '65000000',
      nonce: '00000000',
    });
    const ids = Array.from({ length: 1001 }, (_, n) => session.submit(share(n)));
    expect(feed({ id: ids[0], result: true, error: null })).toEqual([
      { type: 'ignored', why: `an answer to no request of ours (id ${ids[0]})` },
    ]);
    expect(feed({ id: ids[1], result: true, error: null })).toEqual([
      { type: 'shareResult', requestId: ids[1], verdict: { status: 'accepted' } },
    ]);
    expect(feed({ id: ids[1000], result: true, error: null })).toEqual([
      { type: 'shareResult', requestId: ids[1000], verdict: { status: 'accepted' } },
    ]);
  });

  it('adds the version bits to each submit once version rolling is on, and drops shares the new mask forbids', () => {
    const { feed, session, sent } = open({ versionRolling: true });
    feed({ id: 1, result: { 'version-rolling': true, 'version-rolling.mask': '1fffe000' }, error: null });
    feed({ id: 2, result: [[], '08000002', 4], error: null });
    feed({ id: 3, result: true, error: null });
    const [work] = works(feed(notify('a', true)));
    const index = 5; // a rolled version
    const header = withNonce(work.header(index), 9);
    const solution = { work, extranonceIndex: index, nonce: 9, header, hash: sha256d(header), hashes: 1, seconds: 0 };
    const share = work.share(solution);
    expect(share.versionBits).toBe(((0x20000000 ^ work.version(index)) & 0x1fffe000).toString(16).padStart(8, '0'));
    session.submit(share);
    expect((sent.at(-1)!.params as string[]).length).toBe(6);
    expect(session.staleReason(work, solution)).toBeUndefined();
    const events = feed({ id: null, method: 'mining.set_version_mask', params: ['00006000'] });
    expect(events[0]).toEqual({ type: 'versionMask', mask: 0x6000 });
    expect(session.staleReason(work, solution)).toBe('the pool changed the version mask');
    // The job goes on under the new mask, so the miner is not left with work whose shares would all be thrown away.
    const [again] = works(events);
    expect(again.job.jobId).toBe('a');
    expect(again.terms.versionMask).toBe(0x6000);
    const rolled = withNonce(again.header(3), 9);
    expect(
      session.staleReason(again, {
        work: again,
        extranonceIndex: 3,
        nonce: 9,
        header: rolled,
        hash: sha256d(rolled),
        hashes: 1,
        seconds: 0,
      }),
    ).toBeUndefined();
  });

  it('keeps a new version mask within the bits it offered (BIP 310)', () => {
    const { feed, session } = open({ versionRolling: true });
    feed({ id: 1, result: { 'version-rolling': true, 'version-rolling.mask': '00ffe000' }, error: null });
    feed({ id: 2, result: [[], '08000002', 4], error: null });
    feed({ id: 3, result: true, error: null });
    works(feed(notify('a', true)));
    const events = feed({ id: null, method: 'mining.set_version_mask', params: ['ffffffff'] });
    expect(events[0]).toEqual({ type: 'versionMask', mask: 0x1fffe000 });
    expect(session.versionMask).toBe(0x1fffe000);
    const [work] = works(events);
    for (const index of [1, 255, 65_535]) expect((work.version(index) ^ 0x20000000) & ~0x1fffe000).toBe(0);
    // The same mask again changes nothing: no new work.
    expect(feed({ id: null, method: 'mining.set_version_mask', params: ['1fffe000'] })).toEqual([
      { type: 'versionMask', mask: 0x1fffe000 },
    ]);
  });

  it('answers mining.ping and client.get_version, and passes on reconnects and messages', () => {
    const { feed, sent } = ready();
    expect(feed({ id: 7, method: 'mining.ping', params: [] })).toEqual([]);
    expect(sent.at(-1)).toEqual({ id: 7, result: 'pong', error: null });
    expect(feed({ id: 'v', method: 'client.get_version', params: [] })).toEqual([]);
    expect(sent.at(-1)).toEqual({ id: 'v', result: 'powlab/9.9.9', error: null });
    expect(feed({ id: null, method: 'client.reconnect', params: ['', 3334, 1] })).toEqual([
      { type: 'reconnect', reconnect: { port: 3334, waitSeconds: 1 } },
    ]);
    expect(feed({ id: null, method: 'client.show_message', params: ['maintenance at 5\u001b[0m'] })).toEqual([
      { type: 'message', text: 'maintenance at 5 [0m' },
    ]);
  });

  it('skips junk and unknown methods, answering a request it does not know with an error', () => {
    const { feed, sent } = ready();
    const before = sent.length;
    expect(feed('garbage {')).toEqual([{ type: 'ignored', why: 'not a JSON-RPC message' }]);
    expect(feed({ id: null, method: 'mining.something_new', params: [] })).toEqual([
      { type: 'ignored', why: 'unknown method "mining.something_new"' },
    ]);
    expect(sent.length).toBe(before);
    expect(feed({ id: 'q', method: 'client.unknown', params: [] })[0].type).toBe('ignored');
    expect(sent.at(-1)).toEqual({ id: 'q', result: null, error: [20, 'unknown method client.unknown', null] });
    expect(feed({ id: 999, result: true, error: null })).toEqual([
      { type: 'ignored', why: 'an answer to no request of ours (id 999)' },
    ]);
    expect(feed({ id: null, method: 'mining.notify', params: ['x'] })[0]).toMatchObject({ type: 'invalid' });
    // A job whose coinbase does not parse is refused, and the session carries on.
    const bad = JSON.parse(notify('bad', true));
    bad.params[2] = '0100';
    expect(feed(bad)[0]).toMatchObject({ type: 'invalid', why: expect.stringMatching(/not a transaction/) });
    expect(works(feed(notify('good', true)))).toHaveLength(1);
  });
});
