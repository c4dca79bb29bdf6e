/** Text from a peer (a node's error, a pool's message) made safe to put on a terminal. */

/** Longer than this is cut: a peer's message is a hint, not a document. */
const MAX_SHOWN_CHARS = 200;

/** Control characters and bidirectional overrides become spaces, so a peer cannot move the cursor, recolour or reorder what powlab prints. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, ' ').trim();
  return clean.length > MAX_SHOWN_CHARS ? `${clean.slice(0, MAX_SHOWN_CHARS)}…` : clean;
}
