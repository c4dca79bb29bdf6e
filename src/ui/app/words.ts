/**
 * How the page words what the engine reports. The engine's errors name an option by its name
 * ("threads: ..."); the page words them here from their facts in its own terms: the fields a student
 * sees on the page, and its buttons. Pure, so that it is tested without a browser.
 */
import { PowlabError } from '../../errors.js';
import type { BackendName } from '../../hash/backend.js';
import { describeRange, type WholeRange } from '../../mining/limits.js';
import type { StopReason } from '../../mining/session.js';
import { countOf, formatDuration } from '../../format/numbers.js';

/** The page's name for each option an engine error can name. */
const FIELD_NAMES: Record<string, string> = {
  zeros: 'Zero bits',
  blocks: 'Blocks',
  threads: 'Threads',
  seconds: 'Seconds per row',
  start: 'From nonce',
  count: 'How many',
  backend: 'The hashing backend',
};

/** "Zero bits must be a whole number from 1 to 255": the rule an option's value breaks. */
export function rangeRule(option: string, range: WholeRange): string {
  return `${FIELD_NAMES[option] ?? option} must be ${describeRange(range)}`;
}

/** One sentence for an error, in the page's words. */
export function pageError(error: unknown): string {
  if (!(error instanceof PowlabError)) return error instanceof Error ? error.message : String(error);
  const { option, why, range, got } = error.facts;
  if (error.code === 'ERR_NO_GPU') return `WebGPU cannot be used here: ${why ?? error.message}.`;
  if (error.code === 'ERR_BAD_OPTION' && option) {
    if (range) return `${rangeRule(option, range)}${got === undefined ? '' : `, not ${got}`}.`;
    return `${FIELD_NAMES[option] ?? option}: ${why}.`;
  }
  return error.message;
}

/** Why a mining run ended, as the status line says it. */
export function stopWords(reason: StopReason): string {
  switch (reason) {
    case 'blocks reached':
      return 'Done';
    case 'duration reached':
      return 'Time is up';
    case 'interrupted':
      return 'Stopped';
    case 'exhausted':
      return 'Every nonce tried';
    case 'failed':
      return 'Failed';
  }
}

/**
 * The benchmark's progress. runBench counts measurements over all its cases (a thread count, or the
 * GPU) and rounds; every case is measured once per round, the cases taking turns.
 */
export function benchProgress(
  done: number,
  total: number,
  rounds: number,
  backend: BackendName,
  threads: number,
): string {
  const cases = Math.max(1, total / rounds);
  const what = backend === 'webgpu' ? 'WebGPU' : countOf(threads, 'thread');
  const which = cases > 1 ? ` (measurement ${done + 1} of ${total})` : '';
  return `Round ${Math.floor(done / cases) + 1} of ${rounds}: measuring ${what}${which}…`;
}

/** What the table shows, once measured: `seconds` per row, split into `rounds`. */
export function benchDone(rounds: number, seconds: number): string {
  return `Done: each row is the median of its ${rounds} rounds of ${formatDuration(seconds / rounds)} (${formatDuration(seconds)} per row in all, after a short warm-up); the CPU rows take turns, so a busy moment of this device falls on all of them alike.`;
}
