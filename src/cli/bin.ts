#!/usr/bin/env node
import { hideBin } from 'yargs/helpers';
import { buildCli } from './cli.js';
import { reportError } from './output.js';

try {
  await buildCli(hideBin(process.argv)).parseAsync();
} catch (error) {
  process.exitCode = reportError(error);
}
