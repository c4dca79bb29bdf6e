import type { CommandModule } from 'yargs';
import { hashCommand } from './hash.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [hashCommand];
