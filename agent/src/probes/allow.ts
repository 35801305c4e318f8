// This agent's own say over what it runs, whatever the server sends: an allow-list of plugins,
// and scripts (plugins whose manifest says `runsScripts`) off unless the agent's config turns
// them on. Someone who can edit probes on the server must not thereby get a shell on every host.
import type { Platform, Plugin, ProbeDefinition } from '@esmon/schema';

export interface AllowPolicy {
  /** plugin ids this agent runs; every plugin when absent */
  plugins?: readonly string[];
  /** run plugins that run user-written scripts or commands (default false) */
  scripts: boolean;
}

/** Why a step is refused; the reason is also the `reason` label of esmon.agent.probe.refused. */
export type RefusalReason =
  | 'unknown_plugin'
  | 'plugin_not_allowed'
  | 'scripts_not_allowed'
  | 'platform_unsupported'
  | 'invalid_definition'
  | 'disabled_on_host'
  /** not signed by the server for this host (tampered, moved, or not from the server): trust.ts */
  | 'bad_signature'
  /** signed with a key this agent does not trust (the server's key changed): server-key.ts */
  | 'untrusted_key';

export interface Refusal {
  reason: RefusalReason;
  message: string;
}

/** Why this agent will not run a step with `pluginId`, or undefined when it will. */
export function stepRefusal(
  pluginId: string,
  plugin: Plugin | undefined,
  policy: AllowPolicy,
  platform: Platform,
): Refusal | undefined {
  if (!plugin) return { reason: 'unknown_plugin', message: `this agent has no plugin "${pluginId}"` };
  if (policy.plugins && !policy.plugins.includes(pluginId)) {
    return {
      reason: 'plugin_not_allowed',
      message: `plugin "${pluginId}" is not in this agent's allowed plugins`,
    };
  }
  if (plugin.manifest.runsScripts && !policy.scripts) {
    return {
      reason: 'scripts_not_allowed',
      message: `plugin "${pluginId}" runs scripts, which this agent does not allow`,
    };
  }
  if (!plugin.manifest.platforms.includes(platform)) {
    return { reason: 'platform_unsupported', message: `plugin "${pluginId}" does not run on ${platform}` };
  }
  return undefined;
}

/** The first refused step of a probe, named; undefined when the agent runs every step. */
export function probeRefusal(
  definition: Pick<ProbeDefinition, 'steps'>,
  pluginById: (id: string) => Plugin | undefined,
  policy: AllowPolicy,
  platform: Platform,
): Refusal | undefined {
  for (const step of definition.steps) {
    const refusal = stepRefusal(step.plugin, pluginById(step.plugin), policy, platform);
    if (refusal) return { reason: refusal.reason, message: `step "${step.id}": ${refusal.message}` };
  }
  return undefined;
}
