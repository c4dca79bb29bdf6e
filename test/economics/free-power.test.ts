/** Free power is a real case (solar, a landlord's socket): `--kwh-price 0` is taken, and costs nothing. */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

describe('economics --kwh-price 0', () => {
  it('is accepted: no cost, all revenue is profit, and it pays', async () => {
    const json = await runCli(['economics', '--preset', 's19', '--kwh-price', '0', '--json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const out = JSON.parse(json.stdout);
    expect(out.inputs).toMatchObject({ kwhPrice: 0 });
    expect(out.costPerDay).toBe(0);
    expect(out.profitPerDay).toBe(out.revenuePerDay);
    const text = await runCli(['economics', '--preset', 's19', '--kwh-price', '0']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Pays at \$0(\.00)? per kWh/);
  });
});
