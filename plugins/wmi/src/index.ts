// The WMI plugin, as the registry lists it.
import type { Plugin } from '@esmon/schema';
import { checkWmi, executeWmi } from './execute.ts';
import { wmiManifest, type wmiParams } from './manifest.ts';
import { prepareWmi, type WmiRequest } from './prepare.ts';

export const wmiPlugin: Plugin<typeof wmiParams, WmiRequest> = {
  manifest: wmiManifest,
  prepare: prepareWmi,
  execute: executeWmi,
  check: checkWmi,
};

export { wmiManifest, wmiParams } from './manifest.ts';
export type { WmiRequest } from './prepare.ts';
