// The PowerShell plugin, as the registry lists it.
import type { Plugin } from '@esmon/schema';
import { checkPowershell, executePowershell } from './execute.ts';
import { powershellManifest, type powershellParams } from './manifest.ts';
import { preparePowershell, type PowershellRequest } from './prepare.ts';

export const powershellPlugin: Plugin<typeof powershellParams, PowershellRequest> = {
  manifest: powershellManifest,
  prepare: preparePowershell,
  execute: executePowershell,
  check: checkPowershell,
};

export { powershellManifest, powershellParams } from './manifest.ts';
export type { PowershellRequest } from './prepare.ts';
