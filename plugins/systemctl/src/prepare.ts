// Parameters → the exact systemctl command line. One call for all units: `systemctl show` prints one
// block of properties per unit, in the order the units were named.
import { parseParams } from '@esmon/schema';
import { systemctlManifest, type SystemctlParams } from './manifest.ts';

export const SHOW_PROPERTIES = ['ActiveState', 'SubState', 'NRestarts', 'MemoryCurrent', 'MainPID', 'ActiveEnterTimestampMonotonic'] as const;

export interface SystemctlRequest {
  file: 'systemctl';
  args: string[];
  units: string[];
}

/** `--` ends the options: even a name that slipped past validation could not become one. */
export function showArgs(properties: readonly string[], units: readonly string[]): string[] {
  return ['show', `--property=${properties.join(',')}`, '--no-pager', '--', ...units];
}

export function prepareSystemctl(params: SystemctlParams): SystemctlRequest {
  const { units } = parseParams(systemctlManifest, params);
  return { file: 'systemctl', args: showArgs(SHOW_PROPERTIES, units), units };
}
