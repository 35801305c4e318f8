// Sample writes and reads: set-based raw SQL, never row by row.
import type { SqlRunner } from '@esmon/db';

export interface SampleColumns {
  seriesIds: number[];
  /** milliseconds since the epoch */
  ts: number[];
  values: number[];
}

/** Inserts a batch in one statement; a second sample for the same series and instant is ignored. */
export async function insertSamples(tx: SqlRunner, cols: SampleColumns): Promise<number> {
  if (cols.seriesIds.length === 0) return 0;
  const rows = await tx.query<{ n: number }>(
    `WITH ins AS (
       INSERT INTO samples (series_id, ts, value)
       SELECT s, to_timestamp(t / 1000.0), v FROM unnest($1::int4[], $2::float8[], $3::float8[]) AS u(s, t, v)
       ON CONFLICT (series_id, ts) DO NOTHING RETURNING 1)
     SELECT count(*)::int AS n FROM ins`,
    [cols.seriesIds, cols.ts, cols.values],
  );
  return rows[0]?.n ?? 0;
}

export interface Point {
  ts: Date;
  value: number;
}

export async function readSamples(db: SqlRunner, seriesId: number, from: Date, to: Date, limit: number): Promise<Point[]> {
  return db.query<Point>(
    `SELECT ts, value FROM samples WHERE series_id = $1 AND ts >= $2 AND ts <= $3 ORDER BY ts LIMIT $4`,
    [seriesId, from, to, limit],
  );
}

/** The newest sample of a host's metric; the label-less series first (e.g. total CPU over per-core). */
export async function latestSample(
  db: SqlRunner,
  hostId: number,
  metric: string,
  labels?: Record<string, string>,
): Promise<(Point & { labels: Record<string, string> }) | undefined> {
  const rows = await db.query<Point & { labels: Record<string, string> }>(
    `SELECT s.ts, s.value, se.labels FROM series se
     JOIN LATERAL (SELECT ts, value FROM samples WHERE series_id = se.id ORDER BY ts DESC LIMIT 1) s ON true
     WHERE se.host_id = $1 AND se.metric = $2 AND ($3::jsonb IS NULL OR se.labels @> $3::jsonb)
     ORDER BY (se.labels_key = '') DESC, s.ts DESC LIMIT 1`,
    [hostId, metric, labels ? JSON.stringify(labels) : null],
  );
  return rows[0];
}
