// What one agent runs: the enabled probes whose targets cover its host, each with its version,
// and a version of the whole set (a hash) so the agent can tell a change from a repeat. Each probe
// handed out is signed for that host (schema's probeSigningPayload); the agent checks before it runs.
import { createHash } from 'node:crypto';
import type { PrismaClient } from '@esmon/db';
import { hostInScope, hostScopeSchema, probeSigningPayload, type ProbeDefinition } from '@esmon/schema';
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

/** What signs for agents: the server's key (auth/signing-key.ts), handed in. */
export interface ProbeSigning {
  /** the raw Ed25519 public key in base64 */
  publicKey: string;
  sign(text: string): string;
}

/** A probe as handed to the agent of `host`: with the signature over probeSigningPayload. */
export interface SignedAgentProbe extends AgentProbe {
  /** Ed25519 over probeSigningPayload({host, id, version, definition}), base64 */
  signature: string;
}

export interface SignedAgentConfig {
  version: string;
  probes: SignedAgentProbe[];
  /** the key that signed them: what the agent pins (or checks against its pin) */
  publicKey: string;
}

type ProbeRow = Awaited<ReturnType<typeof enabledProbes>>[number];

export interface ConfigHost {
  id: number;
  hostname: string;
  labels: unknown;
}

/** The enabled probes in id order: what every host's configuration is chosen from. */
export const enabledProbes = (prisma: PrismaClient) => prisma.probe.findMany({ where: { enabled: true }, orderBy: { id: 'asc' } });

/** The configuration of the agent of `hostId`, not signed yet, and the host it is for (null: none). */
export async function hostConfig(prisma: PrismaClient, hostId: number): Promise<{ hostname: string | null; config: AgentConfig }> {
  const host = await prisma.host.findUnique({ where: { id: hostId }, select: { id: true, hostname: true, labels: true } });
  return { hostname: host?.hostname ?? null, config: configOfHost(host, await enabledProbes(prisma)) };
}

/** A host's configuration as handed to its agent: every probe signed for that host. */
export function signConfig({ hostname, config }: { hostname: string | null; config: AgentConfig }, signing: ProbeSigning): SignedAgentConfig {
  return { version: config.version, publicKey: signing.publicKey, probes: hostname === null ? [] : config.probes.map((p) => signProbe(p, hostname, signing)) };
}

/** The signed configuration of the agent of `hostId`. */
export async function agentConfigFor(prisma: PrismaClient, hostId: number, signing: ProbeSigning): Promise<SignedAgentConfig> {
  return signConfig(await hostConfig(prisma, hostId), signing);
}

/** `probe` signed for `hostname`; with `command`, for that runProbe command only. */
export function signProbe(probe: AgentProbe, hostname: string, signing: ProbeSigning, command?: string): SignedAgentProbe {
  // signed as the agent receives it: JSON, so a value JSON drops (undefined) is not signed either
  const definition = JSON.parse(JSON.stringify(probe.definition)) as ProbeDefinition;
  const text = probeSigningPayload({ host: hostname, id: probe.id, version: probe.version, definition, ...(command ? { command } : {}) });
  return { id: probe.id, version: probe.version, definition, signature: signing.sign(text) };
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
