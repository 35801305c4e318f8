// The command plugin, as the registry lists it.
import type { Plugin } from '@esmon/schema';
import { checkCommand, executeCommand } from './execute.ts';
import { commandManifest, type commandParams } from './manifest.ts';
import { prepareCommand, type CommandRequest } from './prepare.ts';

export const commandPlugin: Plugin<typeof commandParams, CommandRequest> = {
  manifest: commandManifest,
  prepare: prepareCommand,
  execute: executeCommand,
  check: checkCommand,
};

export { commandManifest, commandParams } from './manifest.ts';
export type { CommandRequest } from './prepare.ts';
