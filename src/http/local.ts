/**
 * What every powlab web server shares: it listens on this machine unless told otherwise, answers
 * only requests addressed to it (against DNS rebinding), and words its listen errors as options.
 * The dashboard (src/dashboard/server.ts) and `powlab serve` (static.ts) both use these.
 */
import type { Server } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { Errors, type PowlabError } from '../errors.js';

export const LOCAL_HOST = '127.0.0.1';

/** Names that always mean this machine; addresses are judged by LOOPBACK_ADDRESSES. */
const LOOPBACK_NAMES = new Set(['localhost']);
const LOOPBACK_ADDRESSES = new BlockList();
LOOPBACK_ADDRESSES.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK_ADDRESSES.addAddress('::1', 'ipv6');

/** A host name or address without the brackets of an IPv6 literal, in lower case. */
function bare(host: string): string {
  return host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
}

/** Whether listening on `host` keeps the server to this machine. */
export function isLoopbackHost(host: string): boolean {
  const name = bare(host);
  const family = isIP(name);
  return family === 0 ? LOOPBACK_NAMES.has(name) : LOOPBACK_ADDRESSES.check(name, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * A web page elsewhere could reach the server through a DNS name of its own that points here (DNS
 * rebinding): answer only requests addressed by IP, by a loopback name, or by the name we listen on.
 */
export function addressedTo(listeningOn: string): (hostHeader: string | undefined) => boolean {
  const listening = bare(listeningOn);
  return (header) => {
    if (header === undefined) return false;
    const name = bare(header.replace(/:\d*$/, ''));
    return isIP(name) !== 0 || LOOPBACK_NAMES.has(name) || name === listening;
  };
}

/** The address to open in a browser for a server listening on `host`. */
export function urlHost(host: string): string {
  // A wildcard address listens everywhere; this machine is the place to open it from.
  if (host === '0.0.0.0' || host === '::') return LOCAL_HOST;
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** Listen, or fail with one line that names the option to change; resolves with the port. */
export async function listenOn(server: Server, host: string, port: number, what: string): Promise<number> {
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    throw listenError(error as NodeJS.ErrnoException, host, port, what);
  }
  const address = server.address();
  return typeof address === 'object' && address ? address.port : port;
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number, what: string): PowlabError {
  switch (error.code) {
    case 'EADDRINUSE':
      return Errors.network(`--port: ${host}:${port} is in use (choose another, or --port 0 for any free port)`);
    case 'EACCES':
      return Errors.network(`--port: not allowed to listen on ${host}:${port} (ports below 1024 need privileges)`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return Errors.badOption('host', `cannot listen on ${host}: no such address on this machine`);
    default:
      return Errors.network(`${what} cannot listen on ${host}:${port}: ${error.message}`);
  }
}
