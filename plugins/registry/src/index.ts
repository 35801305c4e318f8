// Every probe step plugin, in one typed list: a plugin is its folder under plugins/ plus one line
// here. The agent runs them; the server validates probe definitions against their manifests.
import type { Plugin } from '@esmon/schema';

export const PLUGINS: readonly Plugin[] = [];

const byId = new Map(PLUGINS.map((p) => [p.manifest.id, p]));

export function pluginById(id: string): Plugin | undefined {
  return byId.get(id);
}
