/**
 * Which chain a datadir holds. A regtest datadir has no network file (as every datadir before
 * classnet); a classnet one has network.json, written once when its chain is created, holding the
 * spacing, the interval and the start bits: a chain keeps them for life, so a later run that names
 * other values is refused rather than silently mining a different chain.
 */
import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CLASSNET_DEFAULTS, classnetParams, REGTEST, type ChainParams, type RetargetParams } from '../core/params.js';
import { bitsHex } from '../core/target.js';
import { Errors } from '../errors.js';
import { createFileExclusively, describeFsError, readFileIfPresent } from '../storage/durable.js';
import { BLOCKS_FILE, openBuiltInChain } from './chain-files.js';
import type { BuiltInChain, ChainOptions } from './chain.js';

const NETWORK_FILE = 'network.json';
const MAX_NETWORK_FILE_BYTES = 4096;

export type NetworkName = 'regtest' | 'classnet';

/** What the command line says about the chain; every field may be absent. */
export interface NetworkChoice {
  network?: NetworkName;
  spacing?: number;
  interval?: number;
  /** The starting target's bits as the user gave them: checked against a chain that exists. */
  startBits?: number;
  /** The starting bits of a chain created without any given. */
  defaultStartBits?: number;
}

export function defaultDatadir(network: NetworkName): string {
  return join(homedir(), '.powlab', network);
}

function readNetworkFile(datadir: string): RetargetParams | undefined {
  const path = join(datadir, NETWORK_FILE);
  let bytes: Uint8Array | undefined;
  try {
    bytes = readFileIfPresent(path, MAX_NETWORK_FILE_BYTES);
  } catch (error) {
    // A datadir that is a file holds no chain: opening the store says so in its own words.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw Errors.store(`cannot read ${path}: ${describeFsError(error)}`);
  }
  if (!bytes) return undefined;
  let parsed: { network?: unknown; spacing?: unknown; interval?: unknown; startBits?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes)) as typeof parsed;
  } catch {
    throw Errors.store(`${path} is not JSON; left untouched`);
  }
  const whole = (value: unknown) => typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
  if (
    parsed.network !== 'classnet' ||
    !whole(parsed.spacing) ||
    !whole(parsed.interval) ||
    typeof parsed.startBits !== 'string' ||
    !/^[0-9a-f]{8}$/.test(parsed.startBits)
  )
    throw Errors.store(`${path} does not describe a classnet chain; left untouched`);
  return {
    spacing: parsed.spacing as number,
    interval: parsed.interval as number,
    startBits: parseInt(parsed.startBits, 16),
  };
}

/** Does the datadir hold regtest blocks already (a blocks file with anything in it)? */
function holdsBlocks(datadir: string): boolean {
  try {
    return statSync(join(datadir, BLOCKS_FILE)).size > 0;
  } catch {
    return false;
  }
}

export interface DatadirChain {
  datadir: string;
  params: ChainParams;
  /** The network file is still to be written (a classnet chain not yet created). */
  create?: RetargetParams;
}

/**
 * The chain in `datadir` (the network's default when undefined), checked against what the command
 * line asks for: one clear line when they disagree.
 */
export function datadirChain(datadir: string | undefined, choice: NetworkChoice): DatadirChain {
  const dir = datadir ?? defaultDatadir(choice.network ?? 'regtest');
  const stored = readNetworkFile(dir);
  if (stored) {
    const created = `the classnet chain in ${dir} was created with spacing ${stored.spacing} s, interval ${stored.interval} and start bits ${bitsHex(stored.startBits)}`;
    if (choice.network === 'regtest')
      throw Errors.badOption('network', `regtest: ${dir} holds a classnet chain (use another --datadir)`);
    if (choice.spacing !== undefined && choice.spacing !== stored.spacing)
      throw Errors.badOption('spacing', `${choice.spacing}: ${created}; a chain keeps them (use another --datadir)`);
    if (choice.interval !== undefined && choice.interval !== stored.interval)
      throw Errors.badOption('interval', `${choice.interval}: ${created}; a chain keeps them (use another --datadir)`);
    if (choice.startBits !== undefined && choice.startBits !== stored.startBits)
      throw Errors.badOption(
        'zeros',
        `the starting target (bits ${bitsHex(choice.startBits)}) differs: ${created}; its difficulty now follows the retarget rule (drop --zeros/--bits)`,
      );
    return { datadir: dir, params: classnetParams(stored) };
  }
  if (choice.network !== 'classnet') {
    if (choice.spacing !== undefined) throw Errors.badOption('spacing', 'is for --network classnet');
    if (choice.interval !== undefined) throw Errors.badOption('interval', 'is for --network classnet');
    return { datadir: dir, params: REGTEST };
  }
  if (holdsBlocks(dir))
    throw Errors.badOption('network', `classnet: ${dir} holds a regtest chain (use another --datadir)`);
  const retarget = {
    spacing: choice.spacing ?? CLASSNET_DEFAULTS.spacing,
    interval: choice.interval ?? CLASSNET_DEFAULTS.interval,
    startBits: choice.startBits ?? choice.defaultStartBits ?? REGTEST.powLimitBits,
  };
  return { datadir: dir, params: classnetParams(retarget), create: retarget };
}

/** Write the network file of a chain being created (the datadir exists and is locked by then). */
export function createNetworkFile(datadir: string, retarget: RetargetParams): void {
  const path = join(datadir, NETWORK_FILE);
  const record = { network: 'classnet', ...retarget, startBits: bitsHex(retarget.startBits) };
  try {
    createFileExclusively(path, `${JSON.stringify(record)}\n`);
  } catch (error) {
    throw Errors.store(`cannot create ${path}: ${describeFsError(error)}`);
  }
}

/** Open the chain `named` names (locked, read whole), writing its network file first when it is a new classnet. */
export function openDatadirChain(
  named: DatadirChain,
  options: Pick<ChainOptions, 'payoutScript' | 'target' | 'warn'>,
): BuiltInChain {
  const { datadir, params, create } = named;
  return openBuiltInChain({
    ...options,
    datadir,
    params,
    created: create && (() => createNetworkFile(datadir, create)),
  });
}
