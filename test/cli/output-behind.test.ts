/**
 * While stdout's reader is behind, status lines are dropped and counted, and the count is said on
 * stderr at the end; results pile up only to a cap, past which the run stops in one line.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { interruptSignal } from '../../src/cli/mining.js';
import { endOutput, MAX_WAITING_OUTPUT_BYTES, writeStatusLine } from '../../src/cli/output.js';

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

/** What the code under test writes to stdout and stderr, kept from the real streams. */
function captured(): { stdout: string[]; stderr: string[] } {
  const seen = { stdout: [] as string[], stderr: [] as string[] };
  vi.spyOn(process.stdout, 'write').mockImplementation((text) => (seen.stdout.push(String(text)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((text) => (seen.stderr.push(String(text)), true));
  return seen;
}

describe('stdout behind its reader', () => {
  it('drops status lines while it is behind, writes them when it keeps up, and says how many were dropped', async () => {
    const seen = captured();
    const behind = vi.spyOn(process.stdout, 'writableNeedDrain', 'get').mockReturnValue(true);
    for (const line of ['one', 'two', 'three']) writeStatusLine(line);
    behind.mockReturnValue(false);
    writeStatusLine('four');
    expect(seen.stdout).toEqual(['four\n']);
    await endOutput();
    expect(seen.stderr).toEqual(['powlab: 3 status line(s) dropped while stdout was not being read\n']);
  });

  it('stops the run in one line when results cannot be written, and prints no summary after', () => {
    const seen = captured();
    vi.spyOn(process.stdout, 'writableLength', 'get').mockReturnValue(MAX_WAITING_OUTPUT_BYTES + 1);
    const interrupt = interruptSignal();
    try {
      interrupt.stopForOutput();
      expect(interrupt.signal.aborted).toBe(true);
      expect(interrupt.outputClosed()).toBe(true);
      expect(process.exitCode).toBe(1);
      expect(seen.stderr).toEqual([
        `powlab: stdout is not being read (${MAX_WAITING_OUTPUT_BYTES + 1} bytes of results waiting): stopping the run\n`,
      ]);
    } finally {
      interrupt.dispose();
    }
  });
});
