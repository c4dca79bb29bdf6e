import type { ArgumentsCamelCase, CommandModule, InferredOptionTypes, Options } from 'yargs';
import { checkPort, numberArg } from '../mining.js';

export const DEFAULT_SERVE_PORT = 8421;

const serveOptions = {
  host: { type: 'string', requiresArg: true, default: '127.0.0.1', describe: 'address to listen on (127.0.0.1: this machine only)' },
  port: { type: 'string', requiresArg: true, default: String(DEFAULT_SERVE_PORT), coerce: numberArg('port', checkPort), describe: 'port (0: any free port)' },
  json: { type: 'boolean', default: false, describe: 'print the address as JSON' },
} as const satisfies Record<string, Options>;

export type ServeArgs = ArgumentsCamelCase<InferredOptionTypes<typeof serveOptions>>;

export const serveCommand: CommandModule<object, InferredOptionTypes<typeof serveOptions>> = {
  command: 'serve',
  describe: 'Serve the web app (mine, explain and measure in a browser) until Ctrl-C',
  builder: (y) => y.options(serveOptions).example('$0 serve --port 0', 'serve the web app on any free port of 127.0.0.1'),
  handler: async (argv) => {
    const { serve } = await import('../serve.js');
    await serve(argv);
  },
};
