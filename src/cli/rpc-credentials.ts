/** How a command names a node's credentials: --rpc-user/--rpc-password (or the environment), or the node's cookie file. */
import { Errors } from '../errors.js';
import type { RpcCredentials } from '../sources/rpc/client.js';

/** Keeps the password off the command line, where `ps` shows it. */
export const RPC_PASSWORD_ENV = 'POWLAB_RPC_PASSWORD';

export function rpcCredentials(args: {
  rpcUser?: string;
  rpcPassword?: string;
  rpcCookie?: string;
}): RpcCredentials | undefined {
  const password = args.rpcPassword ?? process.env[RPC_PASSWORD_ENV];
  if (args.rpcCookie !== undefined) {
    if (args.rpcUser !== undefined || args.rpcPassword !== undefined)
      throw Errors.badOption('rpc-cookie', 'give either a cookie file or --rpc-user/--rpc-password, not both');
    return { cookieFile: args.rpcCookie };
  }
  if (password === undefined) {
    if (args.rpcUser !== undefined)
      throw Errors.badOption('rpc-user', `needs --rpc-password (or ${RPC_PASSWORD_ENV} in the environment)`);
    return undefined;
  }
  return { user: args.rpcUser ?? '', password };
}
