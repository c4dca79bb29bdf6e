import { describe, expect, it } from 'vitest';
import { bytesToHex, concatBytes, hexToBytes } from '../../src/core/bytes.js';
import { pushData, pushedNumber, pushInt, readScriptPushes, scriptNumBytes } from '../../src/core/encoding.js';
import { REGTEST } from '../../src/core/params.js';
import vectors from '../vectors/bip34.json' with { type: 'json' };

describe('reading script pushes', () => {
  it.each(vectors.valid)('the BIP 34 push of height $height reads back as that number', ({ height, push }) => {
    const pushes = readScriptPushes(hexToBytes(push));
    expect(pushes).toHaveLength(1);
    expect(pushedNumber(pushes[0])).toBe(height);
  });

  it.each([-1, 0, 5, 16, -17, 127, -128, 255, 32768, -8388608, 2 ** 31 - 1])('pushInt(%i) reads back', (n) => {
    expect(pushedNumber(readScriptPushes(pushInt(n))[0])).toBe(n);
  });

  it.each([0, 1, 75, 76, 255, 256, 70000])('a %i-byte push (direct or OP_PUSHDATA1/2/4) reads back whole', (length) => {
    const data = Uint8Array.from({ length }, (_, i) => i & 0xff);
    const script = concatBytes(pushData(data), pushData(Uint8Array.of(7)));
    const pushes = readScriptPushes(script);
    expect(pushes.map((p) => bytesToHex(p.data))).toEqual([bytesToHex(data), '07']);
  });

  it('reads the genesis coinbase scriptSig as three pushes: the bits, 4, the headline', () => {
    const pushes = readScriptPushes(REGTEST.genesisCoinbase.inputs[0].scriptSig);
    expect(pushes).toHaveLength(3);
    expect(pushedNumber(pushes[0])).toBe(0x1d00ffff);
    expect(pushedNumber(pushes[1])).toBe(4);
    expect(new TextDecoder().decode(pushes[2].data)).toBe(
      'The Times 03/Jan/2009 Chancellor on brink of second bailout for banks',
    );
  });

  it('a negative number keeps its sign bit', () => {
    expect(pushedNumber({ opcode: 2, data: scriptNumBytes(-300) })).toBe(-300);
  });

  it.each([
    ['an opcode that pushes nothing', '51ac', /opcode 0xac at byte 1 is not a push/],
    ['a push longer than the script', '05010203', /truncated/],
    ['an OP_PUSHDATA1 without its length', '4c', /truncated/],
  ])('refuses %s', (_name, hex, message) => {
    expect(() => readScriptPushes(hexToBytes(hex))).toThrow(message);
  });
});
