// The host registry on the ingest path: one set-based upsert per batch, reporting which hosts
// changed status so the caller can publish after commit.
import type { HostStatus, SqlRunner } from '@esmon/db';
import type { HostInput } from '@esmon/schema';

export interface UpsertedHost {
  id: number;
  hostname: string;
  previous: HostStatus | null;
}

/** Marks the batch's hosts online and seen at `now`, creating unknown ones. */
export async function upsertHosts(tx: SqlRunner, hosts: readonly HostInput[], now: Date): Promise<UpsertedHost[]> {
  const prev = await tx.query<{ hostname: string; status: HostStatus }>(
    'SELECT hostname, status FROM hosts WHERE hostname = ANY($1::text[]) FOR UPDATE',
    [hosts.map((h) => h.hostname)],
  );
  const previous = new Map(prev.map((r) => [r.hostname, r.status]));
  const rows = await tx.query<{ id: number; hostname: string }>(
    `INSERT INTO hosts (hostname, os, os_version, arch, ips, labels, status, last_seen_at, updated_at)
     SELECT h.hostname, h.os, h.os_version, h.arch,
            COALESCE(ARRAY(SELECT jsonb_array_elements_text(h.ips)), ARRAY[]::text[]),
            COALESCE(h.labels, '{}'::jsonb), 'online', $8, $8
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::int[])
          AS h(hostname, os, os_version, arch, ips, labels, ord)
     ORDER BY h.ord
     ON CONFLICT (hostname) DO UPDATE SET
       os = COALESCE(excluded.os, hosts.os),
       os_version = COALESCE(excluded.os_version, hosts.os_version),
       arch = COALESCE(excluded.arch, hosts.arch),
       ips = CASE WHEN cardinality(excluded.ips) > 0 THEN excluded.ips ELSE hosts.ips END,
       labels = hosts.labels || excluded.labels,
       status = 'online',
       last_seen_at = GREATEST(hosts.last_seen_at, excluded.last_seen_at),
       updated_at = excluded.updated_at
     RETURNING id, hostname`,
    [
      hosts.map((h) => h.hostname),
      hosts.map((h) => h.os ?? null),
      hosts.map((h) => h.osVersion ?? null),
      hosts.map((h) => h.arch ?? null),
      hosts.map((h) => (h.ips ? JSON.stringify(h.ips) : null)),
      hosts.map((h) => (h.labels ? JSON.stringify(h.labels) : null)),
      hosts.map((_, i) => i),
      now,
    ],
  );
  const ids = new Map(rows.map((r) => [r.hostname, r.id]));
  return hosts.map((h) => ({ id: ids.get(h.hostname)!, hostname: h.hostname, previous: previous.get(h.hostname) ?? null }));
}

export interface AgentReport {
  version: string;
  startedAt?: number | undefined;
  bufferDepth?: number | undefined;
  configVersion?: string | undefined;
}

/** Records the agent's heartbeat for each host of the batch. */
export async function recordAgents(
  tx: SqlRunner,
  hostIds: readonly number[],
  agent: AgentReport,
  keyId: number | null,
  now: Date,
): Promise<void> {
  await tx.query(
    `INSERT INTO agents (host_id, key_id, version, started_at, last_heartbeat_at, buffer_depth, config_version, updated_at)
     SELECT h, $2, $3, $4, $5, $6, $7, $5 FROM unnest($1::int[]) AS h
     ON CONFLICT (host_id) DO UPDATE SET
       key_id = COALESCE(excluded.key_id, agents.key_id), version = excluded.version,
       started_at = COALESCE(excluded.started_at, agents.started_at),
       last_heartbeat_at = excluded.last_heartbeat_at, buffer_depth = excluded.buffer_depth,
       config_version = COALESCE(excluded.config_version, agents.config_version),
       updated_at = excluded.updated_at`,
    [hostIds, keyId, agent.version, agent.startedAt ? new Date(agent.startedAt) : null, now, agent.bufferDepth ?? 0, agent.configVersion ?? null],
  );
}

/**
 * Online hosts not seen for `staleAfterMs` go stale, online or stale ones not seen for
 * `offlineAfterMs` go offline; returns the changes so the caller can publish them.
 */
export async function markSilentHosts(tx: SqlRunner, now: Date, staleAfterMs: number, offlineAfterMs: number) {
  return tx.query<{ id: number; hostname: string; status: 'stale' | 'offline'; previous: 'online' | 'stale' }>(
    `UPDATE hosts h SET status = CASE WHEN h.last_seen_at < $3 THEN 'offline' ELSE 'stale' END::"HostStatus", updated_at = $1
     FROM (SELECT id, status FROM hosts WHERE status IN ('online', 'stale') AND last_seen_at < $2 FOR UPDATE) AS old
     WHERE h.id = old.id AND (h.last_seen_at < $3 OR old.status = 'online')
     RETURNING h.id, h.hostname, h.status, old.status AS previous`,
    [now, new Date(now.getTime() - Math.min(staleAfterMs, offlineAfterMs)), new Date(now.getTime() - offlineAfterMs)],
  );
}

/** What a host last reported, to tell whether an upsert would change anything. */
export const hostFingerprint = (h: HostInput) =>
  JSON.stringify([h.os ?? null, h.osVersion ?? null, h.arch ?? null, h.ips ?? null, h.labels ?? null]);

export interface HostRefresh {
  hosts: UpsertedHost[];
  /** hosts whose agent heartbeat is older than the refresh interval */
  staleAgents: Set<string>;
  /** the probe configuration each host's agent last reported (a change is written at once) */
  agentConfigs: Map<string, string | null>;
}

/**
 * upsertHosts for a group commit: hosts that are online, were seen within `refreshMs` and report
 * the same facts as last time are not rewritten (a busy fleet would otherwise update every host
 * row on every batch). `fingerprints` remembers what each host last reported.
 */
export async function refreshHosts(
  tx: SqlRunner,
  hosts: readonly HostInput[],
  now: Date,
  refreshMs: number,
  fingerprints: Map<string, string>,
): Promise<HostRefresh> {
  const names = [...new Set(hosts.map((h) => h.hostname))].sort();
  const rows = await tx.query<{ id: number; hostname: string; status: HostStatus; fresh: boolean; agent_fresh: boolean; config_version: string | null }>(
    `SELECT h.id, h.hostname, h.status, h.last_seen_at >= $2 AS fresh,
            COALESCE(a.last_heartbeat_at >= $2, false) AS agent_fresh, a.config_version
     FROM hosts h LEFT JOIN agents a ON a.host_id = h.id WHERE h.hostname = ANY($1::text[])`,
    [names, new Date(now.getTime() - refreshMs)],
  );
  const known = new Map(rows.map((r) => [r.hostname, r]));
  const latest = new Map(hosts.map((h) => [h.hostname, h]));
  const stale = names
    .map((n) => latest.get(n)!)
    .filter((h) => {
      const r = known.get(h.hostname);
      return !r || r.status !== 'online' || !r.fresh || fingerprints.get(h.hostname) !== hostFingerprint(h);
    });
  const upserted = stale.length > 0 ? await upsertHosts(tx, stale, now) : [];
  for (const h of stale) fingerprints.set(h.hostname, hostFingerprint(h));
  const byName = new Map(upserted.map((u) => [u.hostname, u]));
  const result = names.map(
    (n) => byName.get(n) ?? { id: known.get(n)!.id, hostname: n, previous: known.get(n)!.status },
  );
  const staleAgents = new Set(names.filter((n) => !known.get(n)?.agent_fresh));
  const agentConfigs = new Map(names.map((n) => [n, known.get(n)?.config_version ?? null]));
  return { hosts: result, staleAgents, agentConfigs };
}
