// What one agent runs: the enabled probes whose targets cover its host, each with its version,
// and a version of the whole set (a hash) so the agent can tell a change from a repeat.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '@esmon/db';
import { hostInScope, hostScopeSchema, type ProbeDefinition } from '@esmon/schema';
import { definitionOfProbe } from './probe-rows.ts';

export interface AgentProbe {
  id: number;
  version: number;
  definition: ProbeDefinition;
}

export interface AgentConfig {
  /** changes exactly when the set of probes or any of their versions changes */
  version: string;
  probes: AgentProbe[];
}

type ProbeRow = Awaited<ReturnType<typeof enabledProbes>>[number];

export interface ConfigHost {
  id: number;
  hostname: string;
  labels: unknown;
}

/** The enabled probes in id order: what every host's configuration is chosen from. */
export const enabledProbes = (prisma: PrismaClient) => prisma.probe.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });

export async function agentConfigFor(prisma: PrismaClient, hostId: number): Promise<AgentConfig> {
  const host = await prisma.host.findUnique({ where: { id: hostId }, select: { id: true, hostname: true, labels: true } });
  return configOfHost(host, await enabledProbes(prisma));
}

/** The configuration of `host` (none: no probes) among the enabled probes `rows`. */
export function configOfHost(host: ConfigHost | null, rows: ProbeRow[]): AgentConfig {
  const probes: AgentProbe[] = [];
  for (const row of rows) {
    const scope = hostScopeSchema.safeParse(row.target);
    if (!host || !scope.success) continue;
    if (!hostInScope(scope.data, { id: host.id, hostname: host.hostname, labels: (host.labels ?? {}) as Record<string, string> })) continue;
    probes.push({ id: row.id, version: row.version, definition: definitionOfProbe(row) });
  }
  const version = createHash('sha256')
    .update(probes.map((p) => `${p.id}:${p.version}`).join(','))
    .digest('hex')
    .slice(0, 16);
  return { version, probes };
}
