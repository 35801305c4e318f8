// The systemctl plugin: the state of named systemd units from one `systemctl show` call.
import { param, type PluginManifest } from '@esmon/schema';
import { z } from 'zod';

export const UNIT_SUFFIXES = ['service', 'socket', 'timer', 'mount', 'target'] as const;

/**
 * A unit name as systemd writes it: letters, digits, `: _ . @ -`, and systemd's own `\xNN` escapes
 * (mount units of paths with dashes: `mnt-backup\x2ddisk.mount`), one of the known suffixes. It
 * cannot start with `-` or `.`, so no name reads as an option; nothing else can appear at all.
 */
export const UNIT_NAME = new RegExp(
  `^(?=.{1,256}$)(?:[A-Za-z0-9_:@]|\\\\x[0-9a-fA-F]{2})(?:[A-Za-z0-9_:.@-]|\\\\x[0-9a-fA-F]{2})*\\.(?:${UNIT_SUFFIXES.join('|')})$`,
);

const unitName = z.string().regex(UNIT_NAME, `a unit name such as nginx.service (letters, digits, : _ . @ -; ending in .${UNIT_SUFFIXES.join(', .')})`);

export const systemctlParams = z.object({
  units: param(
    z
      .array(unitName)
      .min(1, 'name at least one unit')
      .max(64, 'at most 64 units per step')
      .refine((u) => new Set(u).size === u.length, 'a unit is listed twice'),
    { label: 'Units', help: 'full unit names, e.g. nginx.service, docker.socket, backup.timer', widget: 'list', placeholder: 'nginx.service' },
  ),
});
export type SystemctlParams = z.infer<typeof systemctlParams>;

export const systemctlManifest: PluginManifest<typeof systemctlParams> = {
  id: 'systemctl',
  version: '1.0.0',
  title: 'systemd units',
  description: 'Active state, restarts, memory and main PID of systemd units, read with systemctl show.',
  category: 'service',
  platforms: ['linux'],
  runsScripts: false,
  params: systemctlParams,
  outputs: [
    { metric: 'systemd.unit.active', description: '1 when the unit is active (or reloading, refreshing), else 0; labels unit, sub_state' },
    { metric: 'systemd.unit.state', description: 'ActiveState as a code (see the README); labels unit, sub_state' },
    { metric: 'systemd.unit.restarts', description: 'automatic restarts since the unit was loaded (services)' },
    { metric: 'systemd.unit.memory_bytes', unit: 'bytes', description: 'memory of the unit cgroup, when accounted' },
    { metric: 'systemd.unit.main_pid', description: 'main process id, 0 when there is none (services)' },
    { metric: 'systemd.unit.active_seconds', unit: 'seconds', description: 'time since the unit last became active, while it is active' },
  ],
};
