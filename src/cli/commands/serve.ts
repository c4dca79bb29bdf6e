import type { CommandModule } from 'yargs';
import { serveOptions, type ServeOptionTypes } from '../serve-options.js';

export const serveCommand: CommandModule<object, ServeOptionTypes> = {
  command: 'serve',
  describe: 'Serve the web app (mine, explain and measure in a browser) until Ctrl-C',
  builder: (y) =>
    y.options(serveOptions).example('$0 serve --port 0', 'serve the web app on any free port of 127.0.0.1'),
  handler: async (argv) => {
    const { serve } = await import('../serve.js');
    await serve(argv);
  },
};
