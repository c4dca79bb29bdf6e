/** `powlab serve`: the web app on this machine until Ctrl-C. */
import { Errors } from '../errors.js';
import { serveWebApp } from '../web/static.js';
import type { ServeArgs } from './serve-options.js';
import { interruptSignal } from './mining.js';
import { printJson } from './output.js';

export async function serve(args: ServeArgs): Promise<void> {
  if (args.host.trim() === '') throw Errors.badOption('host', 'must name an address, e.g. 127.0.0.1');
  const warn = (message: string) => process.stderr.write(`powlab: warning: ${message}\n`);
  const interrupt = interruptSignal();
  try {
    const server = await serveWebApp({ host: args.host, port: args.port, warn });
    if (args.json) printJson({ url: server.url });
    else process.stdout.write(`serving the web app at ${server.url} (Ctrl-C stops)\n`);
    await new Promise<void>((resolve) => interrupt.signal.addEventListener('abort', () => resolve(), { once: true }));
    await server.close();
  } finally {
    interrupt.dispose();
  }
}
