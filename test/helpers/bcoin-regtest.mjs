#!/usr/bin/env node
/**
 * A bcoin regtest full node on 127.0.0.1, in memory, for powlab's tests and for trying
 * `powlab mine --rpc` by hand:
 *
 *   node test/helpers/bcoin-regtest.mjs --port 18443 --api-key secret
 *   powlab mine --rpc http://127.0.0.1:18443 --rpc-password secret --blocks 5
 *
 * It enforces BIP 34 from height 1, as Bitcoin Core's regtest does (bcoin's own regtest waits
 * until height 100000000). Its chain lives in memory and is gone when it stops.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

// bcoin picks its crypto backend when first loaded: the pure-JS one needs no native build.
process.env.NODE_BACKEND = 'js';
const require = createRequire(import.meta.url);
export const bcoin = require('bcoin');

/**
 * Start a node; `port` 0 picks a free one. Resolves with the node, its port and URL, and `close`.
 * @param {{ port?: number, apiKey: string, logLevel?: string }} options
 */
export async function startRegtestNode({ port = 0, apiKey, logLevel = 'none' }) {
  if (typeof apiKey !== 'string' || apiKey.length === 0)
    throw new TypeError('apiKey: the node needs a password for its RPC server');
  bcoin.Network.get('regtest').block.bip34height = 1;
  const node = new bcoin.FullNode({
    network: 'regtest',
    memory: true,
    workers: false,
    listen: false,
    httpHost: '127.0.0.1',
    httpPort: port,
    apiKey,
    logLevel,
  });
  await node.open();
  const actualPort = node.http.address().port;
  return { node, port: actualPort, url: `http://127.0.0.1:${actualPort}`, close: () => node.close() };
}

function parseArgs(argv) {
  const options = { port: 18443, apiKey: undefined, logLevel: 'warning' };
  for (let i = 0; i < argv.length; i++) {
    const [name, inline] = argv[i].split('=', 2);
    const value = () => inline ?? argv[++i];
    if (name === '--port') options.port = Number(value());
    else if (name === '--api-key') options.apiKey = value();
    else if (name === '--log-level') options.logLevel = value();
    else
      throw new Error(
        `unknown option ${argv[i]} (known: --port N, --api-key KEY, --log-level none|error|warning|info|debug)`,
      );
  }
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
    throw new Error('--port must be 0..65535');
  if (!options.apiKey) throw new Error('--api-key KEY is required: it is the RPC password powlab will use');
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bcoin-regtest: ${error.message}\n`);
    process.exit(2);
  }
  const { node, url, close } = await startRegtestNode(options);
  process.stdout.write(
    `bcoin regtest node at ${url} (height ${node.chain.height}, BIP 34 from height 1); Ctrl-C stops it\n`,
  );
  process.stdout.write(`  powlab mine --rpc ${url} --rpc-password <your --api-key> --blocks 5\n`);
  node.on('connect', (entry) => process.stdout.write(`block ${entry.height} ${entry.rhash()}\n`));
  const stop = async () => {
    await close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`bcoin-regtest: ${error.message}\n`);
    process.exit(1);
  });
}
