// economics --measure takes the watts measured over the same seconds where RAPL can be read, and
// says why not where it cannot.
import { describe, expect, it } from 'vitest';
import { resolveInputs } from '../../src/economics/inputs.js';

const measured = async () => ({ hashrate: 5e6, watts: 25 });
const hashrateOnly = async () => ({ hashrate: 5e6 });

describe('economics --measure and the power', () => {
  it('takes the measured watts over a preset assumption, and a flag over both', async () => {
    const laptop = await resolveInputs({ preset: 'laptop' }, measured, true);
    expect(laptop).toMatchObject({ hashrate: 5e6, watts: 25, powerNotMeasured: null });
    expect(laptop.from).toMatchObject({ hashrate: 'measured', watts: 'measured', efficiency: 'derived' });
    expect(laptop.efficiency).toBeCloseTo(25 / 5e-6, 3);
    const alone = await resolveInputs({ measure: true }, measured, true);
    expect(alone).toMatchObject({ watts: 25, from: { watts: 'measured' } });
    const given = await resolveInputs({ measure: true, watts: '40' }, measured, true);
    expect(given).toMatchObject({ watts: 40, from: { watts: 'flag' } });
  });

  it('where the power cannot be read: the preset or --watts, and the reason kept', async () => {
    const why = 'needs read access to /sys/class/powercap/intel-rapl:0/energy_uj';
    const laptop = await resolveInputs({ preset: 'laptop' }, hashrateOnly, why);
    expect(laptop).toMatchObject({ watts: 50, powerNotMeasured: why, from: { watts: 'preset' } });
    await expect(resolveInputs({ measure: true }, hashrateOnly, why)).rejects.toThrow(
      `missing: give --watts, --power-mw or --efficiency (J/TH), or a --preset; the power cannot be measured: ${why}`,
    );
  });
});
