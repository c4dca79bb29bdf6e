import { describe, expect, it } from 'vitest';
import { printable } from '../../src/sources/printable.js';
import { LineBuffer } from '../../src/stratum/lines.js';
import {
  parseMessage,
  poolErrorText,
  prevHashFromStratum,
  readConfigureResult,
  readDifficulty,
  readNotify,
  readReconnect,
  readSubscribeResult,
} from '../../src/stratum/messages.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const encode = (text: string) => new TextEncoder().encode(text);

// The job from the example session published with the original Stratum description.
const SLUSH_NOTIFY = [
  'bf',
  '4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000',
  '01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff20020862062f503253482f04b8864e5008',
  '072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048ed988ac00000000',
  [],
  '00000002',
  '1c2ac4af',
  '504e86b9',
  false,
];

describe('line framing', () => {
  it('splits lines across chunks, keeps blank lines as lines and drops carriage returns', () => {
    const lines = new LineBuffer(100);
    expect([...lines.push(encode('{"a":1}\r\n{"b"'))]).toEqual(['{"a":1}']);
    expect([...lines.push(encode(':2}\n\r\n  \n'))]).toEqual(['{"b":2}', '', '  ']);
    expect([...lines.push(encode('{"c":'))]).toEqual([]);
    expect([...lines.push(encode('3}\n'))]).toEqual(['{"c":3}']);
  });

  it('refuses a line past the cap, even when it arrives in pieces and never ends', () => {
    const lines = new LineBuffer(16);
    expect([...lines.push(encode('x'.repeat(16) + '\n'))]).toEqual(['x'.repeat(16)]);
    expect([...lines.push(encode('y'.repeat(10)))]).toEqual([]);
    expect(lines.overflowed).toBe(false);
    expect([...lines.push(encode('y'.repeat(7)))]).toEqual([]);
    expect(lines.overflowed).toBe(true);
    expect([...lines.push(encode('\n{"a":1}\n'))]).toEqual([]);
  });

  it('keeps the lines that came before an overlong one', () => {
    const lines = new LineBuffer(16);
    expect([...lines.push(encode('{"a":1}\n{"b":2}\n' + 'z'.repeat(40) + '\n{"c":3}\n'))]).toEqual([
      '{"a":1}',
      '{"b":2}',
    ]);
    expect(lines.overflowed).toBe(true);
  });

  it('splits no further than its reader reads: a flood of line ends costs what is read of it', () => {
    const lines = new LineBuffer(100);
    const read: string[] = [];
    for (const line of lines.push(encode('{"a":1}\n' + '\n'.repeat(100_000) + '{"b":2}\n'))) {
      read.push(line);
      if (read.length === 3) break;
    }
    expect(read).toEqual(['{"a":1}', '', '']);
  });

  it('decodes UTF-8 split between chunks', () => {
    const lines = new LineBuffer(100);
    const bytes = encode('"héllo"\n');
    expect([...lines.push(bytes.subarray(0, 3)), ...lines.push(bytes.subarray(3))]).toEqual(['"héllo"']);
  });
});

describe('message parsing', () => {
  it.each([
    ['not json', 'hello {'],
    ['an array', '[1,2,3]'],
    ['a number', '42'],
    ['an object id', '{"id":{},"result":true}'],
    ['neither call nor response', '{"id":1}'],
  ])('ignores %s', (_name, line) => {
    expect(parseMessage(line)).toBeUndefined();
  });

  it('tells calls from responses, defaulting missing params and ids', () => {
    expect(parseMessage('{"method":"mining.ping"}')).toEqual({
      kind: 'call',
      id: null,
      method: 'mining.ping',
      params: [],
    });
    expect(parseMessage('{"id":"a","method":"x","params":[1]}')).toEqual({
      kind: 'call',
      id: 'a',
      method: 'x',
      params: [1],
    });
    expect(parseMessage('{"id":3,"result":true,"error":null}')).toEqual({
      kind: 'response',
      id: 3,
      result: true,
      error: null,
    });
    expect(parseMessage('{"id":3,"error":[21,"stale",null]}')).toEqual({
      kind: 'response',
      id: 3,
      result: null,
      error: [21, 'stale', null],
    });
  });

  it('turns Stratum’s word-swapped prevhash into internal byte order', () => {
    // The published job's previous block, 00000000440b921e…4d16b6f8 as explorers show it.
    const internal = prevHashFromStratum(Buffer.from(SLUSH_NOTIFY[1] as string, 'hex'));
    expect(hex(Uint8Array.from(internal).reverse())).toBe(
      '00000000440b921e1b77c6c0487ae5616de67f788f44ae2a5af6e2194d16b6f8',
    );
  });

  it('reads a notify', () => {
    const job = readNotify(SLUSH_NOTIFY);
    expect(job.jobId).toBe('bf');
    expect(job.version).toBe(2);
    expect(job.bits).toBe(0x1c2ac4af);
    expect(job.time).toBe(0x504e86b9);
    expect(job.cleanJobs).toBe(false);
    expect(job.merkleBranch).toEqual([]);
    expect(hex(job.coinbase1)).toBe(SLUSH_NOTIFY[2]);
  });

  const broken = (index: number, value: unknown) => SLUSH_NOTIFY.map((v, i) => (i === index ? value : v));
  it.each([
    ['too few params', SLUSH_NOTIFY.slice(0, 8), /needs 9 params/],
    ['a numeric job id', broken(0, 7), /job_id/],
    ['a huge job id', broken(0, 'j'.repeat(129)), /job_id/],
    ['a job id with terminal escapes', broken(0, 'j\u001b[2J'), /job_id must be 1 to 128 printable ASCII characters/],
    ['a job id outside ASCII', broken(0, 'j\u202eb'), /job_id/],
    ['a short prevhash', broken(1, 'ab'.repeat(31)), /prevhash: must be 32 bytes/],
    ['a non-hex prevhash', broken(1, 'zz'.repeat(32)), /prevhash: must be whole bytes of hex/],
    ['odd-length coinb1', broken(2, 'abc'), /coinb1/],
    ['coinb2 not a string', broken(3, null), /coinb2/],
    ['a branch that is not a list', broken(4, 'ab'), /merkle_branch/],
    ['a short branch hash', broken(4, ['ab']), /merkle_branch\[0\]/],
    ['a branch too long to be real', broken(4, Array(33).fill('00'.repeat(32))), /merkle_branch/],
    ['a 7-digit version', broken(5, '2000000'), /version: must be 8 hex digits/],
    ['nbits as a number', broken(6, 0x1d00ffff), /nbits/],
    ['a non-hex ntime', broken(7, 'xxxxxxxx'), /ntime/],
    ['clean_jobs as a string', broken(8, 'true'), /clean_jobs/],
  ])('refuses a notify with %s', (_name, params, message) => {
    expect(() => readNotify(params)).toThrow(message);
  });

  it.each([[0], [-1], ['0.5'], [Infinity], [NaN], [null]])('refuses difficulty %s', (value) => {
    expect(() => readDifficulty([value])).toThrow(/positive number/);
  });

  it('refuses a difficulty no share could ever meet, and takes any up to 2^64', () => {
    expect(() => readDifficulty([1e300])).toThrow('mining.set_difficulty: difficulty must be at most 2^64, got 1e+300');
    expect(() => readDifficulty([2 ** 64 * 2])).toThrow(/at most 2\^64/);
    expect(readDifficulty([2 ** 64])).toBe(2 ** 64);
    expect(readDifficulty([0.0001])).toBe(0.0001);
  });

  it('reads the subscribe result and refuses a bad one', () => {
    const result = readSubscribeResult([[['mining.notify', 'x']], '08000002', 4]);
    expect(hex(result.extranonce1)).toBe('08000002');
    expect(result.extranonce2Size).toBe(4);
    expect(() => readSubscribeResult([[], '0800000', 4])).toThrow(/extranonce1/);
    expect(() => readSubscribeResult([[], '08000002', 4.5])).toThrow(/extranonce2_size/);
    expect(() => readSubscribeResult([[], '08000002', 33])).toThrow(/extranonce2_size/);
    expect(() => readSubscribeResult([[], 'ab'.repeat(33), 4])).toThrow(/longer than 32 bytes/);
    expect(() => readSubscribeResult(true)).toThrow(/must be/);
  });

  it('reads the version-rolling answer within the mask asked for (BIP 310)', () => {
    expect(readConfigureResult({ 'version-rolling': true, 'version-rolling.mask': '18000000' }, 0x1fffe000)).toEqual({
      mask: 0x18000000,
    });
    // A pool may not widen the mask: bits outside the offer are dropped.
    expect(readConfigureResult({ 'version-rolling': true, 'version-rolling.mask': 'ffffffff' }, 0x1fffe000)).toEqual({
      mask: 0x1fffe000,
    });
    expect(readConfigureResult({ 'version-rolling': false }, 0x1fffe000)).toHaveProperty('refused');
    expect(readConfigureResult({ 'version-rolling': 'no bits for you' }, 0x1fffe000)).toEqual({
      refused: 'the pool said: no bits for you',
    });
    expect(readConfigureResult({ 'version-rolling': true, 'version-rolling.mask': '00000fff' }, 0x1fffe000)).toEqual({
      refused: 'the pool allowed no version bits',
    });
    expect(() => readConfigureResult({ 'version-rolling': true, 'version-rolling.mask': 'fff' }, 0x1fffe000)).toThrow(
      /8 hex digits/,
    );
  });

  it('reads client.reconnect and refuses what is not a host', () => {
    expect(readReconnect([])).toEqual({ waitSeconds: 0 });
    expect(readReconnect(['pool.example.com', 3334, 5])).toEqual({
      host: 'pool.example.com',
      port: 3334,
      waitSeconds: 5,
    });
    expect(readReconnect(['', '3335', '2'])).toEqual({ port: 3335, waitSeconds: 2 });
    expect(() => readReconnect(['evil host; rm -rf', 1])).toThrow(/host/);
    expect(() => readReconnect(['h', 70000])).toThrow(/port/);
  });

  it('makes pool text safe for a terminal', () => {
    expect(printable('hi\u001b[2J\u0007 there\u202e')).toBe('hi [2J  there');
    expect(printable('x'.repeat(500))).toHaveLength(201);
    expect(poolErrorText([23, 'Low difficulty share', null])).toBe('Low difficulty share (23)');
    expect(poolErrorText({ code: 21, message: 'Stale' })).toBe('Stale (21)');
    expect(poolErrorText('nope')).toBe('nope');
    expect(poolErrorText(42)).toBe('no reason given');
  });
});
