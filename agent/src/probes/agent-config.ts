// The agent's configuration as the server sends it (`agentConfig`, `agentConfigChanged`) and the
// disk cache keeps it, and what this agent makes of it: the probes it runs, and the ones it
// refuses (a definition it cannot read, a plugin it lacks or does not allow) with the reason.
import { probeDefinitionSchema, type Platform, type Plugin, type SampleInput } from '@esmon/schema';
import { probeRefusal, type AllowPolicy, type RefusalReason } from './allow.ts';
import type { ProbeRef } from './run-probe.ts';

/** As received: definitions unchecked, so a cache written by another agent version still loads. */
export interface AgentConfig {
  /** changes exactly when the set of probes or one of their versions does (the server's hash) */
  version: string;
  probes: { id: string; version: number; definition: unknown }[];
}

export class AgentConfigError extends Error {
  override name = 'AgentConfigError';
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the envelope (version, ids, versions); throws AgentConfigError saying what is wrong. */
export function parseAgentConfig(value: unknown): AgentConfig {
  if (!isRecord(value) || typeof value.version !== 'string' || !Array.isArray(value.probes)) {
    throw new AgentConfigError('not an agent configuration: expected {version, probes}');
  }
  const probes = value.probes.map((p, i) => {
    if (
      !isRecord(p) ||
      (typeof p.id !== 'string' && typeof p.id !== 'number') ||
      !Number.isInteger(p.version)
    ) {
      throw new AgentConfigError(`probes[${i}]: expected {id, version, definition}`);
    }
    return { id: String(p.id), version: p.version as number, definition: p.definition };
  });
  return { version: value.version, probes };
}

export interface RefusedProbe {
  id: string;
  version: number;
  name?: string;
  reason: RefusalReason;
  message: string;
}

export interface AcceptedConfig {
  version: string;
  probes: ProbeRef[];
  refused: RefusedProbe[];
}

export interface AcceptOptions {
  allow: AllowPolicy;
  pluginById: (id: string) => Plugin | undefined;
  platform: Platform;
}

/** Sorts a configuration into probes to run and probes refused, each definition parsed again here. */
export function acceptConfig(config: AgentConfig, options: AcceptOptions): AcceptedConfig {
  const probes: ProbeRef[] = [];
  const refused: RefusedProbe[] = [];
  for (const p of config.probes) {
    const parsed = probeDefinitionSchema.safeParse(p.definition);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      refused.push({
        id: p.id,
        version: p.version,
        reason: 'invalid_definition',
        message: `${issue.path.join('.') || 'definition'}: ${issue.message}`,
      });
      continue;
    }
    const refusal = probeRefusal(parsed.data, options.pluginById, options.allow, options.platform);
    if (refusal) refused.push({ id: p.id, version: p.version, name: parsed.data.name, ...refusal });
    else probes.push({ id: p.id, version: p.version, definition: parsed.data });
  }
  return { version: config.version, probes, refused };
}

/** `esmon.agent.probe.refused{probe, reason} 1` per refused probe. */
export function refusedSamples(refused: readonly RefusedProbe[], ts: number): SampleInput[] {
  return refused.map((r) => ({
    metric: 'esmon.agent.probe.refused',
    value: 1,
    ts,
    labels: { probe: r.id, reason: r.reason },
  }));
}
