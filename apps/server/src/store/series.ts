// The series dictionary on the ingest path: (host, metric, canonical labels) → integer id, with
// an in-memory cache filled only after the transaction that created an id has committed.
import type { SqlRunner } from '@esmon/db';

export interface SeriesKey {
  hostId: number;
  metric: string;
  labels: Record<string, string>;
  labelsKey: string;
}

export const seriesCacheKey = (k: { hostId: number; metric: string; labelsKey: string }) =>
  `${k.hostId}\u0000${k.metric}\u0000${k.labelsKey}`;

export class SeriesCache {
  private readonly ids = new Map<string, number>();
  constructor(private readonly maxEntries = 1_000_000) {}

  get(key: string): number | undefined {
    return this.ids.get(key);
  }

  /** Call after commit only: an id from a rolled-back transaction must never be cached. */
  addAll(entries: Iterable<[string, number]>): void {
    for (const [k, id] of entries) {
      if (this.ids.size >= this.maxEntries) this.ids.clear();
      this.ids.set(k, id);
    }
  }

  get size(): number {
    return this.ids.size;
  }
}

/** Resolves ids for series the cache does not know, creating new series in one statement. */
export async function resolveSeries(tx: SqlRunner, missing: readonly SeriesKey[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  if (missing.length === 0) return found;
  const rows = await tx.query<{ id: number; host_id: number; metric: string; labels_key: string }>(
    `INSERT INTO series (host_id, metric, labels, labels_key)
     SELECT * FROM unnest($1::int[], $2::text[], $3::jsonb[], $4::text[])
     ON CONFLICT (host_id, metric, labels_key) DO UPDATE SET last_seen_at = now()
     RETURNING id, host_id, metric, labels_key`,
    [
      missing.map((k) => k.hostId),
      missing.map((k) => k.metric),
      missing.map((k) => JSON.stringify(k.labels)),
      missing.map((k) => k.labelsKey),
    ],
  );
  for (const r of rows) found.set(seriesCacheKey({ hostId: r.host_id, metric: r.metric, labelsKey: r.labels_key }), r.id);
  return found;
}
