// The pool's connection and board against what costs a hostile client nothing: line ends, bytes,
// silence, invented worker names. State machines fed by hand, no sockets.
import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, MinerBoard, SHOWN_ROWS, topRows } from '../../src/pool/board.js';
import { PoolConnection, type PoolEvent } from '../../src/pool/connection.js';
import { DEFAULT_RULES } from '../../src/pool/rules.js';
import { StratumError } from '../../src/stratum/messages.js';
import { jobFromTemplate, type PoolJob } from '../../src/pool/jobs.js';
import { template } from './template-fixture.js';

const JOB: PoolJob = jobFromTemplate('1', template(), Uint8Array.of(0x51), true);

/** A connection on a pool whose roll of names `admits` decides, with everything it sends kept. */
function connection(admits: (worker: string) => boolean = () => true) {
  const sent: string[] = [];
  const book = { current: () => JOB, isCurrent: () => true, admitsWorker: admits };
  const pool = new PoolConnection(Uint8Array.of(0, 0, 0, 1), DEFAULT_RULES, book, (line) => sent.push(line), 0);
  return { pool, sent };
}

const drops = (events: PoolEvent[]) => events.flatMap((event) => (event.type === 'drop' ? [event.reason] : []));

describe('PoolConnection and a client that sends only line ends', () => {
  it.each([
    ['newlines', ''],
    ['spaces', '   '],
    ['a tab', '\t'],
  ])('counts blank lines (%s) as junk, and drops the connection at the eleventh', (_, blank) => {
    const { pool } = connection();
    const events = Array.from({ length: 11 }, (__, i) => pool.receive(blank, i)).flat();
    expect(events.filter((event) => event.type === 'junk')).toHaveLength(11);
    expect(drops(events)).toEqual(['sent 11 lines that are not Stratum requests (last: a blank line)']);
  });

  it('counts blank lines toward the message rate too', () => {
    const { pool } = connection();
    // Junk lines within the junk allowance, then the rate: 41 messages in the same millisecond.
    const subscribe = '{"id":1,"method":"mining.subscribe","params":[]}';
    const events = [pool.receive(subscribe, 0), ...Array.from({ length: 9 }, () => pool.receive('', 0))];
    for (let i = 0; i < 31; i++) events.push(pool.receive('{"id":2,"method":"mining.configure","params":[[],{}]}', 0));
    expect(drops(events.flat())).toEqual(['sent more than 20 messages a second']);
  });
});

describe('PoolConnection byte budget', () => {
  it('takes a burst of twice the budget, then the budget a second, and drops a client past it', () => {
    const { pool } = connection();
    const perSecond = DEFAULT_RULES.maxBytesPerSecond;
    expect(pool.received(2 * perSecond, 0)).toEqual([]);
    expect(pool.received(perSecond, 1000)).toEqual([]);
    expect(pool.received(perSecond / 2, 1500)).toEqual([]);
    expect(pool.received(1, 1500)).toEqual([{ type: 'drop', reason: `sent more than ${perSecond} bytes a second` }]);
    expect(pool.received(1, 100_000)).toEqual([]);
  });
});

describe('PoolConnection and silence', () => {
  it('drops an authorised connection that sends nothing the pool takes for too long; junk does not count as talking', () => {
    const { pool } = connection();
    pool.receive('{"id":1,"method":"mining.subscribe","params":[]}', 0);
    pool.receive('{"id":2,"method":"mining.authorize","params":["alice","x"]}', 0);
    const silence = DEFAULT_RULES.silentForMs;
    // Junk now and then, and a share refused: neither is a message the pool takes.
    pool.receive('GET / HTTP/1.1', silence / 2);
    pool.receive(
      '{"id":3,"method":"mining.submit","params":["alice","nope","00000000","00000000","00000000"]}',
      silence - 1,
    );
    expect(drops(pool.tick(silence))).toEqual([]);
    expect(pool.tick(silence + 1)).toEqual([
      { type: 'drop', reason: `sent nothing the pool takes in ${silence / 1000} s` },
    ]);
  });

  it('keeps a connection that sends a message the pool takes', () => {
    const { pool } = connection();
    pool.receive('{"id":1,"method":"mining.subscribe","params":[]}', 0);
    pool.receive('{"id":2,"method":"mining.authorize","params":["alice","x"]}', 0);
    const silence = DEFAULT_RULES.silentForMs;
    pool.receive('{"id":3,"method":"mining.suggest_difficulty","params":[0.01]}', silence - 1);
    expect(drops(pool.tick(2 * silence - 2))).toEqual([]);
  });
});

describe('worker names the pool does not know', () => {
  it('refuses a new name when the pool has no room, with a Stratum error, and counts it as junk', () => {
    const { pool, sent } = connection((worker) => worker === 'known');
    pool.receive('{"id":1,"method":"mining.subscribe","params":[]}', 0);
    const events = pool.receive('{"id":2,"method":"mining.authorize","params":["invented","x"]}', 1);
    expect(events).toEqual([{ type: 'junk', why: 'a new worker name past the pool’s cap' }]);
    expect(JSON.parse(sent.find((line) => line.includes('"id":2'))!).error).toEqual([
      StratumError.unauthorized,
      'the pool takes no new worker names now: it has as many as it keeps',
      null,
    ]);
    expect(pool.receive('{"id":3,"method":"mining.authorize","params":["known","x"]}', 2)[0]).toEqual({
      type: 'authorized',
      worker: 'known',
    });
  });

  it(`keeps ${MAX_WORKERS} names on the board; a name that left without work gives way, one with work does not`, () => {
    const board = new MinerBoard();
    for (let i = 0; i < MAX_WORKERS; i++) {
      expect(board.makeRoomFor(`w${i}`)).toBe(true);
      board.connected(`w${i}`, 0);
    }
    expect(board.makeRoomFor('late')).toBe(false);
    expect(board.makeRoomFor('w5')).toBe(true);
    board.accepted('w1', 1, 1, 0);
    board.disconnected('w1', 1);
    expect(board.makeRoomFor('late')).toBe(false);
    board.disconnected('w2', 1);
    expect(board.makeRoomFor('late')).toBe(true);
    board.connected('late', 2);
    expect(board.size).toBe(MAX_WORKERS);
    expect(board.view(3).map((view) => view.worker)).not.toContain('w2');
  });
});

describe('topRows', () => {
  const byValue = (a: number, b: number) => b - a;
  it('keeps the largest in order, and the viewer’s own after them wherever it ranks', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => (i * 7919) % 10_000);
    const sorted = [...rows].sort(byValue);
    expect(topRows(rows, SHOWN_ROWS, byValue, () => false)).toEqual(sorted.slice(0, SHOWN_ROWS));
    expect(topRows(rows, 3, byValue, (row) => row === 5)).toEqual([9999, 9998, 9997, 5]);
    expect(topRows(rows, 3, byValue, (row) => row === 9998)).toEqual([9999, 9998, 9997]);
    expect(topRows([2, 1], 5, byValue, () => false)).toEqual([2, 1]);
  });
});
