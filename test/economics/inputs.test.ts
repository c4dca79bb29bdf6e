import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PowlabError } from '../../src/errors.js';
import { DEFAULTS, PRESETS } from '../../src/economics/figures.js';
import { parseDifficulty, parseHashrate, resolveInputs, type EconomicsArgs } from '../../src/economics/inputs.js';

/** A stand-in for the miner: records each measurement asked for and reports `hashrate`. */
function fakeMeasure(hashrate = 7e6) {
  const calls: number[] = [];
  const measure = async (seconds: number) => {
    calls.push(seconds);
    return { hashrate };
  };
  return { calls, measure };
}

describe('parseHashrate', () => {
  it.each([
    ['5e6', 5e6],
    ['5000000', 5e6],
    ['120TH/s', 120e12],
    ['120 TH/s', 120e12],
    ['1.5EH/s', 1.5e18],
    ['1.5eh', 1.5e18],
    ['250MH', 250e6],
    ['500 kH/s', 500e3],
    ['12H/s', 12],
    ['.5GH/s', 0.5e9],
    ['2e3TH/s', 2e15],
    ['1ZH/s', 1e21],
  ])('%s is %d H/s', (text, hashesPerSecond) => {
    expect(parseHashrate('hashrate', text)).toBe(hashesPerSecond);
  });

  it.each([
    ['abc'],
    ['12TH/s/s'],
    ['1e'],
    ['120T'],
    ['TH/s'],
    ['0x10'],
    ['Infinity'],
    ['1,000'],
    ['5 M H/s'],
    ['1e6e6'],
    [''],
  ])('rejects %j', (text) => {
    expect(() => parseHashrate('hashrate', text)).toThrow(/hashrate: not a hashrate/);
  });

  it.each([['0'], ['-5'], ['0TH/s'], ['1e400']])('rejects %j as not above zero', (text) => {
    expect(() => parseHashrate('hashrate', text)).toThrow(/hashrate: must be a finite number above zero/);
  });
});

describe('parseDifficulty', () => {
  it('takes plain numbers and the T it is quoted with', () => {
    expect(parseDifficulty('difficulty', '148.2e12')).toBe(148.2e12);
    expect(parseDifficulty('difficulty', '148.2T')).toBeCloseTo(148.2e12, -3);
    expect(() => parseDifficulty('difficulty', '148.2TH')).toThrow(/not a difficulty/);
  });
});

describe('presets', () => {
  // Bitmain's published figures: hashrate, efficiency and the nameplate power of each model.
  const published = [
    { name: 's9', terahashes: 13.5, joulesPerTerahash: 98, nameplateWatts: 1323 },
    { name: 's19', terahashes: 95, joulesPerTerahash: 34.5, nameplateWatts: 3250 },
    { name: 's19xp', terahashes: 140, joulesPerTerahash: 21.5, nameplateWatts: 3010 },
    { name: 's21', terahashes: 200, joulesPerTerahash: 17.5, nameplateWatts: 3500 },
  ];

  it.each(published)(
    '$name: $terahashes TH/s at $joulesPerTerahash J/TH, drawing its nameplate power within 1%',
    async (model) => {
      const { calls, measure } = fakeMeasure();
      const inputs = await resolveInputs({ preset: model.name }, measure);
      expect(inputs).toMatchObject({
        preset: model.name,
        hashrate: model.terahashes * 1e12,
        efficiency: model.joulesPerTerahash,
        kwhPrice: 0.05,
      });
      expect(Math.abs(inputs.watts / model.nameplateWatts - 1)).toBeLessThan(0.01);
      expect(inputs.from).toMatchObject({
        hashrate: 'preset',
        efficiency: 'preset',
        watts: 'derived',
        kwhPrice: 'preset',
        difficulty: 'default',
      });
      expect(calls).toEqual([]);
    },
  );

  it('national-100mw: 100 MW at 17.5 J/TH is 5.714 EH/s, paid for at the export price', async () => {
    const inputs = await resolveInputs({ preset: 'national-100mw' }, fakeMeasure().measure);
    expect(inputs).toMatchObject({ watts: 100e6, efficiency: 17.5, kwhPrice: 0.04 });
    expect(inputs.hashrate).toBeCloseTo((100e6 / 17.5) * 1e12, -6);
    expect(inputs.from).toMatchObject({ watts: 'preset', efficiency: 'preset', hashrate: 'derived' });
  });

  it('laptop: measures this machine (2 s unless told) and assumes 50 W at the household price', async () => {
    const { calls, measure } = fakeMeasure(7e6);
    const inputs = await resolveInputs({ preset: 'laptop' }, measure);
    expect(calls).toEqual([2]);
    expect(inputs).toMatchObject({ hashrate: 7e6, watts: 50, kwhPrice: DEFAULTS.kwhPrice.value });
    expect(inputs.from.hashrate).toBe('measured');
    const short = fakeMeasure();
    await resolveInputs({ preset: 'laptop', seconds: '0.5' }, short.measure);
    expect(short.calls).toEqual([0.5]);
  });

  it('every figure is dated, sourced and named in docs/economics.md', () => {
    const docs = readFileSync(new URL('../../docs/economics.md', import.meta.url), 'utf8');
    const figures = [
      ...Object.values(DEFAULTS),
      ...PRESETS.flatMap((p) => [p.kwhPrice, ...p.machine.flatMap((m) => (m.figure === 'measure' ? [] : [m.figure]))]),
    ];
    for (const figure of figures) {
      expect(figure.asOf).toMatch(/^\d{4}(-\d{2}){0,2}$/);
      expect(figure.source.length).toBeGreaterThan(20);
    }
    for (const preset of PRESETS) expect(docs).toContain(`\`${preset.name}\``);
  });
});

describe('flags over presets', () => {
  it('a flag replaces its figure and the preset fills in the rest, in its order', async () => {
    const underclocked = await resolveInputs({ preset: 's19', watts: '3000' }, fakeMeasure().measure);
    expect(underclocked).toMatchObject({ hashrate: 95e12, watts: 3000 });
    expect(underclocked.efficiency).toBeCloseTo(3000 / 95, 9);
    expect(underclocked.from).toMatchObject({ watts: 'flag', hashrate: 'preset', efficiency: 'derived' });

    const olderFleet = await resolveInputs(
      { preset: 'national-100mw', efficiency: '25', kwhPrice: '0.02' },
      fakeMeasure().measure,
    );
    expect(olderFleet).toMatchObject({ watts: 100e6, efficiency: 25, kwhPrice: 0.02 });
    expect(olderFleet.hashrate).toBeCloseTo(4e18, -6);
    expect(olderFleet.from).toMatchObject({ efficiency: 'flag', kwhPrice: 'flag', watts: 'preset' });
  });

  it('a given hashrate means the laptop preset does not measure', async () => {
    const { calls, measure } = fakeMeasure();
    const inputs = await resolveInputs({ preset: 'laptop', hashrate: '10MH/s' }, measure);
    expect(calls).toEqual([]);
    expect(inputs).toMatchObject({ hashrate: 10e6, watts: 50 });
  });

  it('a network hashrate sets the difficulty through D = H x 600 / 2^32', async () => {
    const inputs = await resolveInputs({ preset: 's21', networkHashrate: '1EH/s' }, fakeMeasure().measure);
    expect(inputs.difficulty).toBeCloseTo((1e18 * 600) / 2 ** 32, 3);
    expect(inputs.from).toMatchObject({ networkHashrate: 'flag', difficulty: 'derived' });
  });

  it('power in megawatts with an efficiency describes a farm without a hashrate', async () => {
    const inputs = await resolveInputs({ powerMw: '2', efficiency: '20', kwhPrice: '0.05' }, fakeMeasure().measure);
    expect(inputs.hashrate).toBeCloseTo(1e17, -3); // 2e6 W / 20 J/TH = 1e5 TH/s
    expect(inputs.from).toMatchObject({
      hashrate: 'derived',
      kwhPrice: 'flag',
      difficulty: 'default',
      btcPrice: 'default',
    });
  });
});

describe('bad input', () => {
  const cases: [EconomicsArgs, RegExp][] = [
    [{ preset: 'nope' }, /preset: unknown preset "nope" \(known: laptop, s9/],
    [{ hashrate: '1TH/s', watts: '-5' }, /watts: must be a finite number above zero, got -5/],
    [{ hashrate: '1TH/s', watts: '0' }, /watts/],
    [{ preset: 's19', btcPrice: '0' }, /btc-price/],
    [{ preset: 's19', kwhPrice: 'cheap' }, /kwh-price: not a number: "cheap"/],
    [{ preset: 's19', reward: '-3.125' }, /reward/],
    [{ preset: 's19', hours: '0' }, /hours/],
    [{ hashrate: '1TH/s', watts: '100', efficiency: '30' }, /give two of hashrate, power and efficiency/],
    [{ hashrate: '1TH/s' }, /watts: missing/],
    [{ watts: '50' }, /hashrate: missing/],
    [{ preset: 'laptop', btcPrice: '0' }, /btc-price/],
    [{ preset: 'laptop', seconds: '600' }, /seconds: a measurement of at most 60 s/],
    [{ preset: 's21', measure: true }, /measure: measures this machine, but the s21 preset describes other hardware/],
    [{ hashrate: '5MH/s', watts: '50', seconds: '3' }, /seconds: sets how long --measure measures/],
  ];

  it.each(cases)('%j is refused before anything is measured', async (args, message) => {
    const { calls, measure } = fakeMeasure();
    const refusal = resolveInputs(args, measure);
    await expect(refusal).rejects.toThrow(message);
    await expect(refusal).rejects.toBeInstanceOf(PowlabError);
    expect(calls).toEqual([]);
  });
});
