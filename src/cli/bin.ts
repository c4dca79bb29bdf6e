#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { buildCli } from './cli.js';
import { endOutput, reportError } from './output.js';

// A reader that goes away (`powlab mine | head -1`) is not an error: what is left unsaid is dropped,
// and a mining run stops as on Ctrl-C (see outputClosed in mining.ts).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

try {
  await buildCli(hideBin(process.argv)).parseAsync();
} catch (error) {
  process.exitCode = reportError(error);
}
await endOutput();
