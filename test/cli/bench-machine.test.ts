// The machine named beside every bench figure: flags and cores as /proc/cpuinfo gives them.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeMachine, parseCpuInfo } from '../../src/cli/machine.js';
import { runCli } from '../helpers/run-cli.js';

/** Two sockets, two cores each, two threads a core: eight processors, four physical cores. */
const TWO_SOCKETS = [0, 1]
  .flatMap((physical) => [0, 1].flatMap((core) => [0, 1].map(() => ({ physical, core }))))
  .map(
    ({ physical, core }, processor) =>
      `processor\t: ${processor}\nmodel name\t: Intel(R) Xeon(R)\nphysical id\t: ${physical}\ncore id\t\t: ${core}\n` +
      'flags\t\t: fpu sse2 ssse3 sse4_1 sse4_2 avx avx2 bmi2 avx512f avx512bw sha_ni\n',
  )
  .join('\n');

const ARM =
  'processor\t: 0\nFeatures\t: fp asimd evtstrm aes pmull sha1 sha2 crc32\n\nprocessor\t: 1\nFeatures\t: fp asimd\n';

const root = mkdtempSync(join(tmpdir(), 'powlab-machine-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('/proc/cpuinfo, read', () => {
  it('names the SHA-relevant flags and counts physical cores', () => {
    expect(parseCpuInfo(TWO_SOCKETS)).toEqual({ flags: ['sse4_1', 'avx2', 'avx512f', 'sha_ni'], physicalCores: 4 });
    expect(parseCpuInfo(ARM)).toEqual({ flags: ['asimd', 'sha2'], physicalCores: null });
    expect(parseCpuInfo('processor\t: 0\nflags\t\t: fpu sse2\n')).toEqual({ flags: [], physicalCores: null });
  });

  it('from the root it is given, and null flags where there is no /proc/cpuinfo', () => {
    mkdirSync(join(root, 'proc'));
    writeFileSync(join(root, 'proc', 'cpuinfo'), TWO_SOCKETS);
    expect(describeMachine(root)).toMatchObject({
      cpuFlags: ['sse4_1', 'avx2', 'avx512f', 'sha_ni'],
      physicalCores: 4,
    });
    expect(describeMachine(join(root, 'nowhere'))).toMatchObject({ cpuFlags: null, physicalCores: null });
  });

  it.skipIf(!existsSync('/proc/cpuinfo'))(
    "bench's JSON names this machine's CPU, its flags as /proc/cpuinfo lists them, and its Node and V8",
    async () => {
      const run = await runCli([
        'bench',
        '--backends',
        'js',
        '--threads',
        '1',
        '--seconds',
        '0.2',
        '--rounds',
        '1',
        '--json',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const { machine } = JSON.parse(run.stdout);
      const listed = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1].split(' ') ?? [];
      expect(machine.cpuFlags).toEqual(['sse4_1', 'avx2', 'avx512f', 'sha_ni'].filter((flag) => listed.includes(flag)));
      expect(machine).toMatchObject({
        node: process.version,
        v8: process.versions.v8,
        hardwareThreads: expect.any(Number),
      });
      expect(machine.cpu).not.toBe('unknown');
    },
  );
});
