// The newest sample of a host's metric, wherever it lives: the raw table, or — for a series quiet
// since its last hour was compacted — the newest chunk.
import type { SqlRunner } from '@esmon/db';
import { decodeChunk } from './codec.ts';

export interface Point {
  ts: Date;
  value: number;
}

/** The label-less series first (e.g. total CPU over per-core), then the most recent. */
export async function latestSample(
  db: SqlRunner,
  hostId: number,
  metric: string,
  labels?: Record<string, string>,
): Promise<(Point & { labels: Record<string, string> }) | undefined> {
  const rows = await db.query<{ ts: Date | null; value: number | null; data: Uint8Array | null; labels: Record<string, string> }>(
    `SELECT s.ts, s.value, c.data, se.labels FROM series se
     LEFT JOIN LATERAL (SELECT ts, value FROM samples WHERE series_id = se.id ORDER BY ts DESC LIMIT 1) s ON true
     LEFT JOIN LATERAL (SELECT data FROM sample_chunks WHERE series_id = se.id AND s.ts IS NULL ORDER BY start DESC LIMIT 1) c ON true
     WHERE se.host_id = $1 AND se.metric = $2 AND ($3::jsonb IS NULL OR se.labels @> $3::jsonb)
       AND (s.ts IS NOT NULL OR c.data IS NOT NULL)
     ORDER BY (se.labels_key = '') DESC, se.last_seen_at DESC, s.ts DESC NULLS LAST LIMIT 1`,
    [hostId, metric, labels ? JSON.stringify(labels) : null],
  );
  const row = rows[0];
  if (!row) return undefined;
  if (row.ts) return { ts: row.ts, value: Number(row.value), labels: row.labels };
  const chunk = decodeChunk(row.data!);
  const last = chunk.ts.length - 1;
  return { ts: new Date(chunk.ts[last]!), value: chunk.values[last]!, labels: row.labels };
}
