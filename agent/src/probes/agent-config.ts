// The agent's configuration as the server sends it (`agentConfig`, `agentConfigChanged`) and the
// disk cache keeps it, and what this agent makes of it: the probes it runs, and the ones it
// refuses (a definition it cannot read, a plugin it lacks or does not allow) with the reason.
import { probeDefinitionSchema, type Platform, type Plugin, type SampleInput } from '@esmon/schema';
import { probeRefusal, type AllowPolicy, type Refusal, type RefusalReason } from './allow.ts';
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

/** agent.yaml's `overrides`: per probe id, off on this host, or run less often here. */
export type ProbeOverrides = Readonly<Record<string, { enabled?: boolean; intervalSeconds?: number }>>;

export interface AcceptOptions {
  allow: AllowPolicy;
  overrides?: ProbeOverrides;
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
    const override = options.overrides && Object.hasOwn(options.overrides, p.id) ? options.overrides[p.id] : undefined;
    const refusal: Refusal | undefined =
      override?.enabled === false
        ? { reason: 'disabled_on_host', message: `turned off on this host (agent.yaml overrides.${p.id}.enabled: false)` }
        : probeRefusal(parsed.data, options.pluginById, options.allow, options.platform);
    if (refusal) {
      refused.push({ id: p.id, version: p.version, name: parsed.data.name, ...refusal });
      continue;
    }
    // the host may run a probe less often than the server asks, never more often
    const intervalSeconds = Math.max(parsed.data.intervalSeconds, override?.intervalSeconds ?? 0);
    probes.push({ id: p.id, version: p.version, definition: { ...parsed.data, intervalSeconds } });
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
