/**
 * The DOM helpers every page uses. Text goes in as text, never parsed as HTML, so nothing a miner or a
 * node sends (a worker name, a reject reason) can become markup.
 */

/** The element with this id: a page's own markup has it, so a missing one is a bug worth a loud error. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id);
  if (!node) throw new Error(`the page has no #${id}`);
  return node as T;
}

/** Puts `text` in the element with this id. */
export function say(id: string, text: string): void {
  byId(id).textContent = text;
}

type Child = Node | string | null | undefined;
interface Attributes {
  [name: string]: string | ((event: MouseEvent) => void) | undefined;
  onclick?: (event: MouseEvent) => void;
}

/** An element with attributes and children; strings become text nodes, null and undefined are skipped. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value as EventListener);
    else if (value !== undefined) node.setAttribute(name, value);
  }
  node.append(...children.filter((child): child is Node | string => child !== null && child !== undefined));
  return node;
}
