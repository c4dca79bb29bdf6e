// The pool's connection state machine fed lines, no sockets: against powlab's own client session
// (shares ground here, judged there), and against hand-written lines for every rejection code.
import { describe, expect, it } from 'vitest';
import { withNonce } from '../../src/core/header.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { difficultyToTarget, hashMeetsTarget, targetFromZeroBits } from '../../src/core/target.js';
import { PoolConnection, DIFFICULTY_GRACE_MS, type PoolEvent } from '../../src/pool/connection.js';
import { DEFAULT_RULES, SHARES_PER_BLOCK_AT_LEAST, type PoolRules } from '../../src/pool/rules.js';
import { StratumError } from '../../src/stratum/messages.js';
import { jobFromTemplate, type PoolJob } from '../../src/pool/jobs.js';
import { StratumSession, type SessionEvent } from '../../src/stratum/session.js';
import type { ShareWork } from '../../src/stratum/work.js';
import { template } from './template-fixture.js';

const RULES: PoolRules = {
  ...DEFAULT_RULES,
  vardiff: { ...DEFAULT_RULES.vardiff, minDifficulty: 2 ** -24, startDifficulty: 2 ** -20 },
};

class Book {
  job?: PoolJob;
  current = () => this.job;
  isCurrent = (job: PoolJob) =>
    this.job !== undefined && job.template.prevHash.every((b, i) => b === this.job!.template.prevHash[i]);
  admitsWorker = () => true;
}

/** A pool connection and a powlab client session wired to each other, lines pumped by hand. */
function wired(options: { versionRolling?: boolean; rules?: PoolRules } = {}) {
  const book = new Book();
  book.job = jobFromTemplate('1', template(), Uint8Array.of(0x51), true);
  let now = 1_000_000;
  const toPool: string[] = [];
  const toMiner: string[] = [];
  /** Every line the pool sent, kept. */
  const sentToMiner: string[] = [];
  const poolEvents: PoolEvent[] = [];
  const minerEvents: SessionEvent[] = [];
  const pool = new PoolConnection(
    Uint8Array.of(1, 2, 3, 4),
    options.rules ?? RULES,
    book,
    (line) => (toMiner.push(line), sentToMiner.push(line)),
    now,
  );
  const session = new StratumSession(
    {
      user: 'alice',
      password: 'x',
      userAgent: 'powlab/test',
      versionRolling: options.versionRolling ?? false,
      connection: 1,
    },
    (line) => toPool.push(line),
  );
  const pump = () => {
    while (toPool.length || toMiner.length) {
      while (toPool.length) poolEvents.push(...pool.receive(toPool.shift()!, (now += 10)));
      while (toMiner.length) minerEvents.push(...session.receive(toMiner.shift()!));
    }
  };
  const latestWork = () =>
    [...minerEvents]
      .reverse()
      .find((e): e is { type: 'work' | 'retarget'; work: ShareWork } => e.type === 'work' || e.type === 'retarget')!
      .work;
  return {
    book,
    pool,
    session,
    pump,
    poolEvents,
    minerEvents,
    latestWork,
    toPool,
    toMiner,
    sentToMiner,
    advance: (ms: number) => (now += ms),
    now: () => now,
  };
}

/**
 * The first nonce whose hash meets the pool's share difficulty (below the client's own floor of
 * 2^-16, to keep the test quick); noble's SHA-256 here, powlab's own in the pool.
 */
function grind(work: ShareWork, extranonceIndex = 0, from = 0) {
  const header = work.header(extranonceIndex);
  const target = difficultyToTarget(work.terms.difficulty);
  for (let nonce = from; ; nonce++) {
    const solved = withNonce(header, nonce);
    const hash = sha256(sha256(solved));
    if (hashMeetsTarget(hash, target))
      return { work, extranonceIndex, nonce, header: solved, hash, hashes: nonce + 1, seconds: 1 };
  }
}

describe('PoolConnection with powlab’s client session', () => {
  it('hands out work after authorise and accepts the shares ground from it', () => {
    const link = wired();
    link.session.start();
    link.pump();
    expect(link.poolEvents.map((e) => e.type)).toEqual(['subscribed', 'authorized', 'difficulty']);
    const work = link.latestWork();
    expect(work.terms.difficulty).toBe(2 ** -20);
    const solution = grind(work);
    expect(link.session.staleReason(work, solution)).toBeUndefined();
    const requestId = link.session.submit(work.share(solution));
    link.pump();
    const accepted = link.poolEvents.find((e) => e.type === 'accepted');
    expect(accepted).toMatchObject({ worker: 'alice', difficulty: 2 ** -20 });
    expect(accepted && 'block' in accepted && accepted.block).toBeFalsy();
    expect(link.minerEvents).toContainEqual({ type: 'shareResult', requestId, verdict: { status: 'accepted' } });
  });

  it('judges rolled version bits, and refuses the same share twice (22)', () => {
    const link = wired({ versionRolling: true });
    link.session.start();
    link.pump();
    const work = link.latestWork();
    expect(work.terms.versionMask).toBe(DEFAULT_RULES.versionMask);
    const solution = grind(work, 1);
    link.session.submit(work.share(solution));
    link.session.submit(work.share(solution));
    link.pump();
    expect(link.poolEvents.filter((e) => e.type === 'accepted')).toHaveLength(1);
    expect(link.poolEvents.find((e) => e.type === 'rejected')).toMatchObject({
      code: StratumError.duplicate,
      reason: 'duplicate share',
    });
  });

  it('a share meeting the block target comes out as a block with its header and coinbase', () => {
    const link = wired();
    link.book.job = jobFromTemplate(
      '2',
      template({ target: targetFromZeroBits(1), bits: 0x207fffff }),
      Uint8Array.of(0x51),
      true,
    );
    link.session.start();
    link.pump();
    const work = link.latestWork();
    const solution = grind(work);
    link.session.submit(work.share(solution));
    link.pump();
    const accepted = link.poolEvents.find((e) => e.type === 'accepted');
    expect(accepted?.type === 'accepted' && accepted.block?.header).toEqual(solution.header);
  });

  it('raises a fast miner’s difficulty with set_difficulty alone; shares on their way at the old one count at it for a grace', () => {
    // A share every 20 ms wanted: the raise stays small, and the share at the new difficulty quick to grind.
    const link = wired({ rules: { ...RULES, vardiff: { ...RULES.vardiff, shareSeconds: 0.02 } } });
    link.session.start();
    link.pump();
    const first = link.latestWork();
    let from = 0;
    for (let i = 0; i < 6; i++) {
      const solution = grind(first, 0, from);
      from = solution.nonce + 1;
      link.session.submit(first.share(solution));
      link.pump();
    }
    const second = link.latestWork();
    expect(second.terms.difficulty).toBeGreaterThan(first.terms.difficulty);
    // The same job, at a new target: no notify went out, so the miner goes on from its nonces.
    expect(second.job.jobId).toBe(first.job.jobId);
    expect(link.sentToMiner.filter((line) => line.includes('"method":"mining.notify"'))).toHaveLength(1);
    expect(
      link.poolEvents.filter((e) => e.type === 'difficulty').map((e) => e.type === 'difficulty' && e.difficulty),
    ).toEqual([first.terms.difficulty, second.terms.difficulty]);
    const newTarget = difficultyToTarget(second.terms.difficulty);
    const oldOnly = () => {
      for (;;) {
        const solution = grind(first, 0, from);
        from = solution.nonce + 1;
        if (!hashMeetsTarget(solution.hash, newTarget)) return solution;
      }
    };
    link.session.submit(first.share(oldOnly()));
    link.pump();
    expect(link.poolEvents.at(-1)).toMatchObject({ type: 'accepted', difficulty: first.terms.difficulty });
    link.advance(DIFFICULTY_GRACE_MS);
    link.session.submit(first.share(oldOnly()));
    link.pump();
    expect(link.poolEvents.at(-1)).toMatchObject({ type: 'rejected', code: StratumError.lowDifficulty });
    const current = grind(second, 0, from);
    link.session.submit(second.share(current));
    link.pump();
    expect(link.poolEvents.at(-1)).toMatchObject({ type: 'accepted', difficulty: second.terms.difficulty });
  });

  it('credits one header once: the same share under every job id the miner was sent, across difficulty changes, is a duplicate (22)', () => {
    const link = wired();
    link.session.start();
    link.pump();
    const work = link.latestWork();
    const share = work.share(grind(work));
    const jobIds = [share.jobId];
    const suggest = (difficulty: number) => {
      link.pool.receive(
        JSON.stringify({ id: 50, method: 'mining.suggest_difficulty', params: [difficulty] }),
        link.advance(10),
      );
      link.pump();
    };
    // The same template under new job ids (a node's template that did not change, sent again).
    for (const [id, difficulty] of [
      ['2', 2 ** -21],
      ['3', 2 ** -22],
    ] as const) {
      suggest(difficulty);
      const again = jobFromTemplate(id, link.book.job!.template, Uint8Array.of(0x51), false);
      link.book.job = again;
      link.pool.notify(again, link.advance(10));
      link.pump();
      jobIds.push(link.latestWork().job.jobId);
    }
    expect(jobIds).toEqual(['1', '2', '3']);
    for (const jobId of [...jobIds, '1']) {
      link.session.submit({ ...share, jobId });
      link.pump();
    }
    const verdicts = link.poolEvents.filter((e) => e.type === 'accepted' || e.type === 'rejected');
    expect(verdicts.map((e) => (e.type === 'rejected' ? e.code : e.type))).toEqual([
      'accepted',
      StratumError.duplicate,
      StratumError.duplicate,
      StratumError.duplicate,
    ]);
  });
});

describe('PoolConnection rejections and drops', () => {
  function ready() {
    const link = wired();
    link.session.start();
    link.pump();
    return link;
  }
  const submit = (link: ReturnType<typeof wired>, params: unknown[]) => {
    const events = link.pool.receive(JSON.stringify({ id: 99, method: 'mining.submit', params }), link.advance(100));
    return { events, answer: JSON.parse(link.toMiner.splice(0).find((l) => l.includes('"id":99'))!) };
  };

  it('25 before subscribing, 24 for a worker not authorised, 21 for an unknown job', () => {
    const fresh = new PoolConnection(Uint8Array.of(0, 0, 0, 1), RULES, new Book(), () => {}, 0);
    expect(
      fresh.receive('{"id":1,"method":"mining.submit","params":["alice","1.1","00000000","6553f100","00000000"]}', 1),
    ).toMatchObject([{ type: 'rejected', code: 25 }]);
    const link = ready();
    const work = link.latestWork();
    const { answer } = submit(link, ['mallory', work.job.jobId, '00000000', '6553f100', '00000000']);
    expect(answer.error).toEqual([24, 'unauthorized worker', null]);
    expect(submit(link, ['alice', 'nope', '00000000', '6553f100', '00000000']).answer.error[0]).toBe(21);
  });

  it('21 for a stale job, 20 for ntime out of range or version bits without rolling, 23 for a hash above the share target', () => {
    const link = ready();
    const work = link.latestWork();
    const time = (t: number) => t.toString(16).padStart(8, '0');
    expect(
      submit(link, ['alice', work.job.jobId, '00000000', time(work.job.time - 1), '00000000']).answer.error,
    ).toEqual([20, 'ntime out of range', null]);
    expect(
      submit(link, ['alice', work.job.jobId, '00000000', time(work.job.time + 8000), '00000000']).answer.error[1],
    ).toBe('ntime out of range');
    expect(
      submit(link, ['alice', work.job.jobId, '00000000', time(work.job.time), '00000000', '00002000']).answer.error[1],
    ).toBe('version rolling was not negotiated');
    expect(submit(link, ['alice', work.job.jobId, '0000', time(work.job.time), '00000000']).answer.error[0]).toBe(20);
    // A nonce whose hash misses the share target: the first nonce that does, minus one, if that misses.
    const good = grind(work);
    const bad = good.nonce === 0 ? 1 : good.nonce - 1;
    expect(
      submit(link, ['alice', work.job.jobId, '00000000', time(work.job.time), bad.toString(16).padStart(8, '0')]).answer
        .error[0],
    ).toBe(23);
    link.book.job = jobFromTemplate('9', template({ prevHash: new Uint8Array(32).fill(9) }), Uint8Array.of(0x51), true);
    const share = work.share(good);
    expect(submit(link, ['alice', share.jobId, share.extranonce2, share.ntime, share.nonce]).answer.error).toEqual([
      21,
      'stale share (the chain moved on)',
      null,
    ]);
  });

  it('drops a flooder, a junk talker and a stream of bad shares, each with its reason', () => {
    const flood = ready();
    const flooded = Array.from({ length: 100 }, () =>
      flood.pool.receive('{"id":5,"method":"mining.configure","params":[[],{}]}', flood.now()),
    ).flat();
    expect(flooded.find((e) => e.type === 'drop')).toEqual({
      type: 'drop',
      reason: 'sent more than 20 messages a second',
    });

    const junk = ready();
    const junked = Array.from({ length: 12 }, () => junk.pool.receive('GET / HTTP/1.1', junk.advance(1000))).flat();
    expect(
      junked.find((e) => e.type === 'drop')?.type === 'drop' &&
        (junked.find((e) => e.type === 'drop') as { reason: string }).reason,
    ).toMatch(/^sent 11 lines that are not Stratum requests/);

    const bad = ready();
    const work = bad.latestWork();
    const events = Array.from(
      { length: 20 },
      () => submit(bad, ['alice', work.job.jobId, '00000000', '00000000', '00000000']).events,
    ).flat();
    expect(events.at(-1)).toEqual({ type: 'drop', reason: '20 shares rejected in a row (last: ntime out of range)' });
    expect(bad.pool.receive('{"id":1,"method":"mining.subscribe","params":[]}', bad.advance(1000))).toEqual([]);
  });

  it('drops a connection that authorises no worker in time', () => {
    const pool = new PoolConnection(Uint8Array.of(0, 0, 0, 2), RULES, new Book(), () => {}, 0);
    expect(pool.tick(RULES.authorizeWithinMs - 1)).toEqual([]);
    expect(pool.tick(RULES.authorizeWithinMs + 1)).toEqual([{ type: 'drop', reason: 'authorised no worker in 60 s' }]);
  });

  it('honours suggest_difficulty within the pool’s bounds, never above a sixteenth of the block difficulty', () => {
    const link = ready();
    link.pool.receive('{"id":3,"method":"mining.suggest_difficulty","params":[0.01]}', link.advance(10));
    link.pump();
    expect(link.latestWork().terms.difficulty).toBe(0.01);
    // The block difficulty here is 1: a share difficulty of 0.5 would make every other share a block.
    link.pool.receive('{"id":4,"method":"mining.suggest_difficulty","params":[0.5]}', link.advance(10));
    link.pump();
    expect(link.latestWork().terms.difficulty).toBe(1 / SHARES_PER_BLOCK_AT_LEAST);
    link.pool.receive('{"id":5,"method":"mining.suggest_difficulty","params":[1e-12]}', link.advance(10));
    link.pump();
    expect(link.latestWork().terms.difficulty).toBe(RULES.vardiff.minDifficulty);
  });
});

describe('the hashrate report from powlab’s client', () => {
  const handshake = (subscriptions: unknown[]) => {
    const sent: string[] = [];
    const session = new StratumSession(
      { user: 'alice', password: 'x', userAgent: 'powlab/test', versionRolling: false, connection: 1 },
      (line) => sent.push(line),
    );
    session.start();
    session.receive(JSON.stringify({ id: 1, result: [subscriptions, '01020304', 4], error: null }));
    session.receive('{"id":2,"result":true,"error":null}');
    sent.length = 0;
    session.reportHashrate(2.5e6);
    return sent;
  };
  it('goes to a pool that lists powlab.report among its subscriptions', () => {
    expect(
      handshake([
        ['mining.notify', 'ab'],
        ['powlab.report', 'ab'],
      ]),
    ).toEqual(['{"id":null,"method":"powlab.report","params":[2500000]}']);
  });
  it('never to any other pool', () => {
    expect(handshake([['mining.notify', 'ab']])).toEqual([]);
  });
});

describe('PoolConnection handshakes in another order', () => {
  it('sends work to a miner that authorises before it subscribes, and caps the workers on one connection', () => {
    const book = new Book();
    book.job = jobFromTemplate('1', template(), Uint8Array.of(0x51), true);
    const sent: string[] = [];
    const pool = new PoolConnection(Uint8Array.of(1, 2, 3, 4), RULES, book, (line) => sent.push(line), 0);
    pool.receive('{"id":1,"method":"mining.authorize","params":["w0","x"]}', 1000);
    expect(sent.some((line) => line.includes('"method":"mining.notify"'))).toBe(false);
    pool.receive('{"id":2,"method":"mining.subscribe","params":[]}', 2000);
    expect(sent.some((line) => line.includes('"method":"mining.notify"'))).toBe(true);
    for (let i = 1; i < 16; i++)
      expect(
        pool.receive(`{"id":${i + 2},"method":"mining.authorize","params":["w${i}","x"]}`, 3000 + 1000 * i),
      ).toEqual([{ type: 'authorized', worker: `w${i}` }]);
    expect(pool.receive('{"id":99,"method":"mining.authorize","params":["w16","x"]}', 30_000)).toEqual([
      { type: 'junk', why: 'one worker too many' },
    ]);
  });
});

describe('PoolConnection and text meant for a terminal', () => {
  it('names an unknown method in its reasons without the control or bidi characters it came with', () => {
    const pool = new PoolConnection(Uint8Array.of(1, 2, 3, 4), { ...RULES, maxJunkLines: 0 }, new Book(), () => {}, 0);
    const events = pool.receive(JSON.stringify({ id: 1, method: 'evil\u001b[2J\u202ename', params: [] }), 1);
    for (const event of events) expect(JSON.stringify(event)).not.toMatch(/\\u001b|\u202e/);
    expect(events.at(-1)).toEqual({
      type: 'drop',
      reason: 'sent 1 lines that are not Stratum requests (last: unknown method "evil [2J name")',
    });
  });
});
