// The agent's configuration as the server sends it (`agentConfig`, `agentConfigChanged`) and the
// disk cache keeps it, and what this agent makes of it: the probes it runs, and the ones it
// refuses (not signed by the server for this host, a definition it cannot read, a plugin it lacks
// or does not allow) with the reason.
import { probeDefinitionSchema, type Platform, type Plugin, type SampleInput } from '@esmon/schema';
import { probeRefusal, type AllowPolicy, type Refusal, type RefusalReason } from './allow.ts';
import type { ProbeRef } from './run-probe.ts';
import type { ReceivedProbe } from './trust.ts';

/** As received: definitions unchecked, so a cache written by another agent version still loads. */
export interface AgentConfig {
  /** changes exactly when the set of probes or one of their versions does (the server's hash) */
  version: string;
  probes: ReceivedProbe[];
  /** the server key that says it signed the probes (checked against the pinned one) */
  publicKey?: string;
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
      !Number.isInteger(p.version) ||
      (p.signature !== undefined && p.signature !== null && typeof p.signature !== 'string')
    ) {
      throw new AgentConfigError(`probes[${i}]: expected {id, version, definition, signature}`);
    }
    const signature = typeof p.signature === 'string' ? { signature: p.signature } : {};
    return { id: String(p.id), version: p.version as number, definition: p.definition, ...signature };
  });
  if (value.publicKey !== undefined && value.publicKey !== null && typeof value.publicKey !== 'string') {
    throw new AgentConfigError('publicKey: expected the server key in base64');
  }
  return { version: value.version, probes, ...(typeof value.publicKey === 'string' ? { publicKey: value.publicKey } : {}) };
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
  /** checked first: whether the probe is the server's, for this host (trust.ts probeVerifier) */
  verify: (probe: ReceivedProbe) => Refusal | undefined;
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
    // nothing unsigned is even parsed further: its name and plugins are not the server's word
    const untrusted = options.verify(p);
    if (untrusted) {
      refused.push({ id: p.id, version: p.version, ...untrusted });
      continue;
    }
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
