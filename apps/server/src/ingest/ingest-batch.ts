// One validated batch → hosts, series and samples in one transaction, acknowledged only after
// commit; events published after commit. A batch id already stored for the same sender is
// acknowledged as a duplicate and writes nothing.
import type { Sql } from '@esmon/db';
import { canonicalLabels, type IngestAck, type IngestBatch } from '@esmon/schema';
import { canIngest, sourceOf, type Principal } from '../auth/principal.ts';
import type { EventBus, LiveSample } from '../events/bus.ts';
import type { IngestMetrics } from '../metrics.ts';
import { recordAgents, upsertHosts } from '../store/hosts.ts';
import { insertSamples } from '../store/samples.ts';
import { resolveSeries, SeriesCache, seriesCacheKey, type SeriesKey } from '../store/series.ts';

/** A refusal the caller turns into 403 / FORBIDDEN. */
export class IngestForbiddenError extends Error {
  override name = 'IngestForbiddenError';
}

export type Ingest = (batch: IngestBatch, principal: Principal) => Promise<IngestAck>;

export interface CreateIngestOptions {
  sql: Sql;
  bus: EventBus;
  metrics: IngestMetrics;
  cache?: SeriesCache;
  now?: () => Date;
}

function authorize(batch: IngestBatch, principal: Principal): void {
  if (!canIngest(principal)) throw new IngestForbiddenError('this principal may not ingest samples');
  if (principal.kind !== 'agent') return;
  const foreign = batch.hosts.find((h) => h.hostname !== principal.hostname);
  if (foreign) {
    throw new IngestForbiddenError(
      `this agent key is bound to host ${principal.hostname} and cannot send samples for ${foreign.hostname}`,
    );
  }
}

export function createIngest({ sql, bus, metrics, cache = new SeriesCache(), now = () => new Date() }: CreateIngestOptions): Ingest {
  return async (batch, principal) => {
    authorize(batch, principal);
    const started = performance.now();
    const at = now();
    const total = batch.hosts.reduce((n, h) => n + h.samples.length, 0);
    const result = await sql.transaction(async (tx) => {
      const fresh = await tx.query(
        `INSERT INTO ingest_batches (source, batch_id, sample_count) VALUES ($1, $2, $3)
         ON CONFLICT DO NOTHING RETURNING 1 AS ok`,
        [sourceOf(principal), batch.batchId, total],
      );
      if (fresh.length === 0) return undefined;
      const hosts = await upsertHosts(tx, batch.hosts, at);
      if (batch.agent) {
        const keyId = principal.kind === 'agent' ? principal.keyId : null;
        await recordAgents(tx, hosts.map((h) => h.id), batch.agent, keyId, at);
      }
      const keys: SeriesKey[][] = batch.hosts.map((h, i) =>
        h.samples.map((s) => {
          const labels = s.labels ?? {};
          return { hostId: hosts[i]!.id, metric: s.metric, labels, labelsKey: canonicalLabels(labels) };
        }),
      );
      const missing = new Map<string, SeriesKey>();
      for (const k of keys.flat()) {
        const ck = seriesCacheKey(k);
        if (cache.get(ck) === undefined) missing.set(ck, k);
      }
      const created = await resolveSeries(tx, [...missing.values()]);
      const idOf = (k: SeriesKey) => cache.get(seriesCacheKey(k)) ?? created.get(seriesCacheKey(k))!;
      const seriesIds = keys.flat().map(idOf);
      const inserted = await insertSamples(tx, {
        seriesIds,
        ts: batch.hosts.flatMap((h) => h.samples.map((s) => s.ts)),
        values: batch.hosts.flatMap((h) => h.samples.map((s) => s.value)),
      });
      return { hosts, keys, created, seriesIds, inserted };
    });
    metrics.ingestDuration.observe((performance.now() - started) / 1000);
    if (!result) {
      metrics.ingestBatches.inc({ result: 'duplicate' });
      return { batchId: batch.batchId, accepted: 0, duplicate: true };
    }
    cache.addAll(result.created);
    metrics.ingestBatches.inc({ result: 'stored' });
    metrics.ingestSamples.inc(result.inserted);
    publishAfterCommit(bus, batch, result, at);
    return { batchId: batch.batchId, accepted: result.inserted, duplicate: false };
  };
}

function publishAfterCommit(
  bus: EventBus,
  batch: IngestBatch,
  result: { hosts: { id: number; hostname: string; previous: string | null }[]; keys: SeriesKey[][]; seriesIds: number[] },
  at: Date,
): void {
  let offset = 0;
  batch.hosts.forEach((h, i) => {
    const host = result.hosts[i]!;
    if (host.previous !== 'online') {
      bus.publish('hostStatusChanged', {
        hostId: host.id,
        hostname: host.hostname,
        status: 'online',
        previous: (host.previous ?? 'unknown') as 'unknown' | 'offline',
        at,
      });
    }
    const samples: LiveSample[] = h.samples.map((s, j) => ({
      seriesId: result.seriesIds[offset + j]!,
      metric: s.metric,
      labels: result.keys[i]![j]!.labels,
      ts: new Date(s.ts),
      value: s.value,
    }));
    offset += h.samples.length;
    if (samples.length > 0) bus.publish('samplesAdded', host.id, { hostId: host.id, hostname: host.hostname, samples });
  });
}
