/** `powlab serve`: the web app on this machine until Ctrl-C. */
import { Errors } from '../errors.js';
import type { Listening } from '../web/http.js';
import { serveWebApp } from '../web/static.js';
import type { ServeArgs } from './serve-options.js';
import { interruptSignal } from './mining.js';
import { printJson } from './output.js';

/** Why a page opened from another machine over http takes headers apart but does not mine. */
const SECURE_CONTEXT_NOTE =
  'a browser mines (Web Workers sharing memory need cross-origin isolation) only in a secure context: from localhost on this machine, or over https; over http from another machine the page only takes headers apart';

/** Where the app is, for a person: every URL it answers at, and what a browser can do at each. */
export function listeningLines(listening: Listening): string[] {
  const where = listening.everyInterface
    ? `on every interface (${listening.host}), port ${listening.port}`
    : `at ${listening.urls[0].url}`;
  const lines = [`serving the web app ${where} (Ctrl-C stops)`];
  if (listening.everyInterface)
    for (const { url, loopback } of listening.urls)
      lines.push(`  ${url}${loopback ? '  (this machine)' : '  (from another machine)'}`);
  if (listening.urls.some((url) => !url.loopback)) lines.push(`note: ${SECURE_CONTEXT_NOTE}`);
  return lines;
}

export async function serve(args: ServeArgs): Promise<void> {
  if (args.host.trim() === '') throw Errors.badOption('host', 'must name an address, e.g. 127.0.0.1');
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const interrupt = interruptSignal();
  try {
    const server = await serveWebApp({ host: args.host, port: args.port, warn });
    if (args.json) printJson({ url: server.url, ...server.listening });
    else process.stdout.write(`${listeningLines(server.listening).join('\n')}\n`);
    await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
    await server.close();
  } finally {
    interrupt.dispose();
  }
}
