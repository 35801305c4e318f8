// The systemctl plugin, as the registry lists it.
import type { Plugin } from '@esmon/schema';
import { checkSystemctl, executeSystemctl } from './execute.ts';
import { systemctlManifest, type systemctlParams } from './manifest.ts';
import { prepareSystemctl, type SystemctlRequest } from './prepare.ts';

export const systemctlPlugin: Plugin<typeof systemctlParams, SystemctlRequest> = {
  manifest: systemctlManifest,
  prepare: prepareSystemctl,
  execute: (req, ctx) => executeSystemctl(req, ctx),
  check: checkSystemctl,
};

export { ACTIVE_STATE_CODES } from './parse.ts';
export { systemctlManifest, systemctlParams } from './manifest.ts';
export type { SystemctlRequest } from './prepare.ts';
