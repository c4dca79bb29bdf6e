/** The options of `powlab serve`, each checked once as it is parsed, and the argv type yargs infers from them. */
import type { ArgumentsCamelCase, InferredOptionTypes, Options } from 'yargs';
import { portArg } from './option-args.js';

export const DEFAULT_SERVE_PORT = 8421;

export const serveOptions = {
  host: {
    type: 'string',
    requiresArg: true,
    default: '127.0.0.1',
    describe: 'address to listen on (127.0.0.1: this machine only; 0.0.0.0 or ::: every interface)',
  },
  port: {
    type: 'string',
    requiresArg: true,
    default: String(DEFAULT_SERVE_PORT),
    coerce: portArg('port'),
    describe: 'port (0: any free port)',
  },
  json: { type: 'boolean', default: false, describe: 'print the address as JSON' },
} as const satisfies Record<string, Options>;

export type ServeOptionTypes = InferredOptionTypes<typeof serveOptions>;
export type ServeArgs = ArgumentsCamelCase<ServeOptionTypes>;
