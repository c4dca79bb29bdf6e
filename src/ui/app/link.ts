/**
 * The teacher's link (?zeros=Z&blocks=N&threads=T&seconds=S&autostart=1, or on a pool's page
 * ?join=NAME): each number checked with the
 * same ranges as the CLI's flags (src/mining/limits.ts, src/miner/options.ts), and every one refused
 * named in the page's words, with its parameter and its range. Pure, so that it is tested without a browser.
 */
import { PowlabError } from '../../errors.js';
import { checkThreads } from '../../miner/options.js';
import { isWorkerName } from '../../pool/worker-name.js';
import { BLOCK_COUNT, checkWhole, ZERO_BITS, type WholeRange } from '../../mining/limits.js';
import { pageError, rangeRule } from './words.js';

/** The page's benchmark: whole seconds per row, short enough that a class is not kept waiting. */
export const BENCH_SECONDS: WholeRange = { min: 1, max: 60 };

interface LinkNumbers {
  zeros?: number;
  blocks?: number;
  threads?: number;
  seconds?: number;
}

export interface ReadLink {
  numbers: LinkNumbers;
  /** One sentence per parameter refused; the page starts nothing on its own while there is one. */
  problems: string[];
}

/** A whole number as written in the link: digits and an optional sign, nothing else. */
function wholeNumber(text: string): number {
  return /^[+-]?\d+$/.test(text.trim()) ? Number(text) : NaN;
}

export function readLink(params: URLSearchParams, cores: number): ReadLink {
  const numbers: LinkNumbers = {};
  const problems: string[] = [];
  const checks: [keyof LinkNumbers, (value: number) => number][] = [
    ['zeros', (value) => checkWhole('zeros', ZERO_BITS, value)],
    ['blocks', (value) => checkWhole('blocks', BLOCK_COUNT, value)],
    ['threads', (value) => checkThreads(value, cores)],
    ['seconds', (value) => checkWhole('seconds', BENCH_SECONDS, value)],
  ];
  for (const [name, check] of checks) {
    const text = params.get(name);
    if (text === null) continue;
    try {
      numbers[name] = check(wholeNumber(text));
    } catch (error) {
      const shown = text.length > 20 ? `${text.slice(0, 20)}…` : text;
      const range = error instanceof PowlabError ? error.facts.range : undefined;
      problems.push(
        `The link's ${name}=${shown} is refused: ${range ? `${rangeRule(name, range)}.` : pageError(error)}`,
      );
    }
  }
  return { numbers, problems };
}

/** What the link asks the page to start on its own, refused numbers or not. */
function asked(params: URLSearchParams): 'mining' | 'bench' | 'nothing' {
  if (params.get('autostart') === '1') return 'mining';
  return params.get('bench') === '1' ? 'bench' : 'nothing';
}

/** What the page starts on its own: what the link asks, or nothing while one of its numbers is refused. */
export function linkStart(params: URLSearchParams, link: ReadLink): 'mining' | 'bench' | 'nothing' {
  return link.problems.length > 0 ? 'nothing' : asked(params);
}

/** What the page says about its link: each number refused, and what it did not start because of them. */
export function linkNotice(params: URLSearchParams, link: ReadLink): string {
  const held = asked(params);
  if (link.problems.length === 0 || held === 'nothing') return link.problems.join(' ');
  const what = held === 'mining' ? 'mining' : 'the benchmark';
  return `${link.problems.join(' ')} So ${what} did not start on its own: set the fields below and press ${held === 'mining' ? 'Start mining' : 'Measure'}.`;
}

/** The name ?join= asks to mine for the pool under, when it is one the pool admits. */
export function joinName(params: URLSearchParams): string | undefined {
  const name = params.get('join')?.trim();
  return isWorkerName(name) ? name : undefined;
}
