// Every probe step plugin, in one typed list: a plugin is its folder under plugins/ plus one line
// here. The agent runs them; the server validates probe definitions against their manifests.
import type { Plugin } from '@esmon/schema';
import { commandPlugin } from '@esmon/plugin-command';
import { db2Plugin } from '@esmon/plugin-db2';
import { http } from '@esmon/plugin-http';
import { jmxPlugin } from '@esmon/plugin-jmx';
import { powershellPlugin } from '@esmon/plugin-powershell';
import { systemctlPlugin } from '@esmon/plugin-systemctl';
import { tcp } from '@esmon/plugin-tcp';
import { wmiPlugin } from '@esmon/plugin-wmi';

export const PLUGINS: readonly Plugin[] = [
  wmiPlugin,
  systemctlPlugin,
  powershellPlugin,
  db2Plugin,
  jmxPlugin,
  http,
  tcp,
  commandPlugin,
];

const byId = new Map(PLUGINS.map((p) => [p.manifest.id, p]));

export function pluginById(id: string): Plugin | undefined {
  return byId.get(id);
}
