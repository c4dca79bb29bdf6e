/** The page's few DOM helpers: elements by id, text in them, facts as a list, hex that may break anywhere. */

export const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

export const input = (id: string) => $<HTMLInputElement>(id);

export function say(id: string, text: string): void {
  $(id).textContent = text;
}

/** Replace what `id` shows with words and elements. */
export function show(id: string, ...parts: (string | Node)[]): void {
  $(id).replaceChildren(...parts);
}

/** Hex digits, which may break anywhere: every other word on the page breaks only between words. */
export function hex(digits: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'hex';
  span.textContent = digits;
  return span;
}

/** A number with its unit or exponent, kept on one line: "6.481e-5" does not break at its minus sign. */
export function nowrap(text: string): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = 'nowrap';
  span.textContent = text;
  return span;
}

/** A fact's value: words, hex, or the two mixed. */
export type Fact = string | Node | (string | Node)[];

export function facts(rows: [string, Fact][]): HTMLDListElement {
  const list = document.createElement('dl');
  list.className = 'facts';
  for (const [name, value] of rows) {
    const term = document.createElement('dt');
    term.textContent = name;
    const detail = document.createElement('dd');
    detail.append(...(Array.isArray(value) ? value : [value]));
    list.append(term, detail);
  }
  return list;
}

/** A table row of text cells (textContent only: nothing a pool's miner sends can become markup). */
export function row(cells: (string | number)[], header = false): HTMLTableRowElement {
  const tr = document.createElement('tr');
  cells.forEach((text, i) => {
    const cell = document.createElement(header && i === 0 ? 'th' : 'td');
    if (header && i === 0) cell.setAttribute('scope', 'row');
    cell.textContent = String(text);
    tr.append(cell);
  });
  return tr;
}

/** The browser has begun reading a download's object URL well before this; it is then revoked. */
const DOWNLOAD_URL_MS = 10_000;

/**
 * Make `link` download the bytes `bytes()` gives when clicked: the object URL is made at the click and
 * revoked soon after, so a page with hundreds of blocks holds no URL (nor copy) per block.
 */
export function offerDownload(link: HTMLAnchorElement, bytes: () => Uint8Array): void {
  link.addEventListener('click', () => {
    const url = URL.createObjectURL(new Blob([bytes().slice()], { type: 'application/octet-stream' }));
    link.href = url;
    setTimeout(() => {
      URL.revokeObjectURL(url);
      link.href = '#';
    }, DOWNLOAD_URL_MS);
  });
}
