// What a page shows in its code blocks: the commands a reader types and the output it quotes for them.
//
// In a fenced block that shows prompts, a line starting with `$ ` is a command (a line ending in ` \`
// goes on to the next, as in the shell), and the lines after it, up to the next `$ ` or the fence's
// end, are the output the page quotes for it. A quote is an excerpt: its lines must appear in the
// output together, in its order and layout; a line of just `…` stands for any lines left out. Within
// a line, `…` stands for any text, and the parts that differ from run to run and machine to machine
// (numbers, hashes, durations, hashrates, chances) match any value of their kind; every word, label and field
// name must be there as quoted. `/home/you` in a quote is the reader's home directory.
//
// A block without prompts shows commands only: each powlab line, or the whole block when it is a
// script (a variable, a loop).

/** A command a page shows, and the output it quotes for it (none when `quote` is empty). */
export interface DocCommand {
  line: number;
  text: string;
  quote: string[];
}

/** One fenced block's commands, run one after another in one shell, as a reader types them. */
export interface DocBlock {
  file: string;
  line: number;
  commands: DocCommand[];
}

const POWLAB_LINE = /^(npx )?powlab\b|^node docs\/lab\/block-times\.mjs\b/;
/** powlab as a command word (not a path such as ~/.powlab/regtest), or the lab 3 script. */
const MENTIONS_POWLAB = /(?:^|[\s(;&|])(?:npx )?powlab(?=\s|$)|block-times\.mjs/m;

/** Whether the doc test runs this command: it is, or it calls, powlab (a curl at a server is not run). */
export const isRun = (command: DocCommand) => MENTIONS_POWLAB.test(command.text);

export function blocksIn(file: string, markdown: string): DocBlock[] {
  const lines = markdown.split('\n');
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^( *)```/.exec(lines[i]);
    if (!fence) continue;
    // A fence in a list item is indented with the item; its lines are read without that indentation.
    const indent = fence[1];
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^ *```/.test(lines[end])) end++;
    const body = lines.slice(start, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    i = end;
    const commands = body.some((line) => line.startsWith('$ '))
      ? promptedCommands(body, start + 1)
      : plainCommands(body, start + 1);
    if (commands.some(isRun)) blocks.push({ file, line: start + 1, commands });
  }
  return blocks;
}

/** `$ ` lines and what follows each; `lineOfFirst` is the 1-based line of `body[0]`. */
function promptedCommands(body: string[], lineOfFirst: number): DocCommand[] {
  const commands: DocCommand[] = [];
  for (let j = 0; j < body.length; j++) {
    if (!body[j].startsWith('$ ')) continue;
    const line = lineOfFirst + j;
    const parts = [body[j].slice(2)];
    while (parts[parts.length - 1].endsWith('\\') && j + 1 < body.length) parts.push(body[++j]);
    const quote: string[] = [];
    while (j + 1 < body.length && !body[j + 1].startsWith('$ ')) quote.push(body[++j]);
    while (quote.length > 0 && quote[quote.length - 1].trim() === '') quote.pop();
    commands.push({ line, text: parts.map(withoutComment).join('\n').trim(), quote });
  }
  return commands;
}

function plainCommands(body: string[], lineOfFirst: number): DocCommand[] {
  if (body.some((line) => MENTIONS_POWLAB.test(line)) && body.some((line) => /\$\(|^for /.test(line)))
    return [{ line: lineOfFirst, text: body.join('\n'), quote: [] }];
  return body
    .map((raw, j) => ({ line: lineOfFirst + j, text: withoutComment(raw).trim(), quote: [] }))
    .filter((command) => POWLAB_LINE.test(command.text));
}

const withoutComment = (line: string) => line.replace(/\s+#.*$/, '').trimEnd();

const NUMBER = String.raw`\d+(?:,\d{3})*(?:\.\d+)?(?:e[+-]?\d+)?`;
const SI = '[kMGTPE]?';
/** A count as formatCount and formatLarge write it: 950, 2.28M, 16.8 million. */
const COUNT = `${NUMBER}(?:[kMGTPE]| (?:million|billion|trillion)(?! years))?`;
/** formatDuration's forms, src/format/numbers.ts: 850 µs, 2.40 s, 4 min 05 s, 1.2 hours, 2.87 million years. */
const DURATION = String.raw`(?:${NUMBER} (?:µs|ms|s|hours|days|(?:million |billion |trillion )?years)|\d+ min \d\d s|∞)`;
const HASHRATE = `${NUMBER} ${SI}H/s`;
/** formatChance's forms: >99%, 13%, 0.024%, 1 in 16.8 million. */
const CHANCE = `(?:>99%|${NUMBER}%|1 in ${COUNT})`;

/** What a quoted line's variable parts are, in the order they are tried at each position. */
const QUOTED_PART = new RegExp(
  [
    '(?<ellipsis>…)',
    // A hash, a midstate word, a header: 8 or more hex digits with a digit and a letter among them.
    '(?<hex>(?<![0-9a-f])(?=[0-9a-f]*\\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}(?![0-9a-f]))',
    `(?<duration>${DURATION}(?![\\w/]))`,
    `(?<hashrate>${HASHRATE})`,
    `(?<chance>${CHANCE})`,
    `(?<number>${COUNT})`,
    '(?<space> +)',
  ].join('|'),
  'gu',
);

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The pattern a quoted line stands for: its words as they are, its variable parts as their kinds. */
export function linePattern(quoted: string): RegExp {
  const indent = /^ */.exec(quoted)![0];
  const rest = quoted.slice(indent.length).trimEnd();
  let pattern = '';
  let at = 0;
  for (const match of rest.matchAll(QUOTED_PART)) {
    pattern += escape(rest.slice(at, match.index));
    at = match.index + match[0].length;
    const kind = Object.entries(match.groups!).find(([, text]) => text !== undefined)![0];
    pattern +=
      kind === 'ellipsis'
        ? '.*?'
        : kind === 'hex'
          ? `[0-9a-f]{${match[0].length}}`
          : kind === 'duration'
            ? DURATION
            : kind === 'hashrate'
              ? HASHRATE
              : kind === 'chance'
                ? CHANCE
                : kind === 'number'
                  ? COUNT
                  : ' +';
  }
  pattern += escape(rest.slice(at));
  return new RegExp(`^${indent}${pattern}$`, 'u');
}

const isGap = (quoted: string) => quoted.trim() === '…';

/**
 * Why `output` does not show the quoted lines, or null when it does. The quote may start and end
 * anywhere in the output; between its lines only a `…` line lets output lines be skipped.
 */
export function quoteMismatch(quote: string[], output: string): string | null {
  const lines = output.split('\n').map((line) => line.trimEnd());
  const parts = quote.map((quoted) => (isGap(quoted) ? null : linePattern(quoted)));
  let deepest = 0;
  const matchFrom = (part: number, at: number): boolean => {
    deepest = Math.max(deepest, part);
    if (part === parts.length) return true;
    const pattern = parts[part];
    if (pattern === null) {
      for (let skip = at; skip <= lines.length; skip++) if (matchFrom(part + 1, skip)) return true;
      return false;
    }
    return at < lines.length && pattern.test(lines[at]) && matchFrom(part + 1, at + 1);
  };
  for (let start = 0; start < Math.max(lines.length, 1); start++) if (matchFrom(0, start)) return null;
  const missing = quote.findIndex((quoted, i) => i >= deepest && !isGap(quoted));
  const matched = quote.slice(0, deepest).filter((quoted) => !isGap(quoted));
  return matched.length === 0
    ? `the quoted line "${quote[missing]}" is not in the output`
    : `the quoted line "${quote[missing]}" does not follow "${matched[matched.length - 1]}" in the output`;
}
