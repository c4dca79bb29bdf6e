// Which chain a datadir holds, and what a command line may ask of it (src/sources/chain-network.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNetworkFile, datadirChain } from '../../src/sources/chain-network.js';

const root = mkdtempSync(join(tmpdir(), 'powlab-network-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('datadirChain', () => {
  it('a new classnet takes the defaults and is to be created; regtest needs nothing written', () => {
    const fresh = join(root, 'fresh');
    expect(datadirChain(fresh, { network: 'classnet', defaultStartBits: 0x1f00ffff })).toMatchObject({
      datadir: fresh,
      params: { name: 'classnet', retarget: { spacing: 10, interval: 20, startBits: 0x1f00ffff } },
      create: { spacing: 10, interval: 20, startBits: 0x1f00ffff },
    });
    expect(datadirChain(fresh, {})).toMatchObject({ params: { name: 'regtest' } });
    expect(datadirChain(fresh, {}).create).toBeUndefined();
    expect(() => datadirChain(fresh, { spacing: 5 })).toThrow(/^spacing: is for --network classnet/);
  });

  it('a created classnet is found without --network, and keeps its values', () => {
    const made = join(root, 'made');
    mkdirSync(made);
    createNetworkFile(made, { spacing: 2, interval: 10, startBits: 0x1f03ffff });
    const found = datadirChain(made, {});
    expect(found.params.retarget).toEqual({ spacing: 2, interval: 10, startBits: 0x1f03ffff });
    expect(found.create).toBeUndefined();
    expect(datadirChain(made, { spacing: 2, interval: 10, startBits: 0x1f03ffff }).params.name).toBe('classnet');
    expect(() => datadirChain(made, { interval: 20 })).toThrow(
      /^interval: 20: the classnet chain in .* was created with spacing 2 s, interval 10/,
    );
    expect(() => datadirChain(made, { startBits: 0x1f00ffff })).toThrow(/starting target \(bits 1f00ffff\) differs/);
    expect(() => datadirChain(made, { network: 'regtest' })).toThrow('holds a classnet chain');
  });

  it('a network file that is not one of ours is refused untouched', () => {
    const odd = join(root, 'odd');
    mkdirSync(odd);
    writeFileSync(join(odd, 'network.json'), '{"network":"classnet","spacing":-1}');
    expect(() => datadirChain(odd, {})).toThrow(/network\.json does not describe a classnet chain; left untouched$/);
    writeFileSync(join(odd, 'network.json'), 'not json');
    expect(() => datadirChain(odd, {})).toThrow(/network\.json is not JSON; left untouched$/);
  });
});
