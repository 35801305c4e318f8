// Compaction: each closed hour of raw samples becomes one row per series in `sample_chunks`
// (timestamps and values encoded by codec.ts), and that hour's 1-minute and 1-hour rollups are
// written from the same points — so rollups are maintained as hours close, never by rescanning
// history. Late samples for an hour already compacted land in `samples` again; the next pass
// merges them into the hour's chunk (a late sample replaces a stored one at the same instant) and
// rewrites that hour's rollups. Every sample is in exactly one of `samples` or `sample_chunks`,
// and the move happens in one transaction.
import type { Sql, SqlRunner } from '@esmon/db';
import { decodeChunk, encodeChunk } from './codec.ts';
import { partialsFromPoints, type Partial } from './downsample.ts';
import { encodeMinutes, MINUTE_MS } from './minute-rollups.ts';
import { STORE_TABLES, type Partitions } from './partitions.ts';

export const HOUR_MS = 3_600_000;
/** only one server compacts at a time */
const COMPACTION_LOCK = 72707370;

export interface CompactionResult {
  hours: number;
  /** chunks written: one per series and hour */
  chunks: number;
  samples: number;
  /** hours that already had a chunk (late data merged) */
  merged: number;
}

interface HourRows {
  series_id: number;
  ts: number[];
  values: number[];
}

/** Merges two sorted point lists; on equal timestamps the second (newer) wins. */
export function mergePoints(a: { ts: number[]; values: number[] }, b: { ts: number[]; values: number[] }) {
  const ts: number[] = [];
  const values: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.ts.length || j < b.ts.length) {
    if (j >= b.ts.length || (i < a.ts.length && a.ts[i]! < b.ts[j]!)) {
      ts.push(a.ts[i]!);
      values.push(a.values[i++]!);
    } else {
      if (i < a.ts.length && a.ts[i] === b.ts[j]) i++;
      ts.push(b.ts[j]!);
      values.push(b.values[j++]!);
    }
  }
  return { ts, values };
}

/** Sorts by time and keeps the last value written for an instant. */
function sortUnique(ts: number[], values: number[]) {
  const order = ts.map((_, i) => i).sort((x, y) => ts[x]! - ts[y]! || x - y);
  const out = { ts: [] as number[], values: [] as number[] };
  for (const i of order) {
    if (out.ts.length > 0 && out.ts[out.ts.length - 1] === ts[i]) out.values[out.values.length - 1] = values[i]!;
    else {
      out.ts.push(ts[i]!);
      out.values.push(values[i]!);
    }
  }
  return out;
}

async function upsertHourRollups(tx: SqlRunner, rows: { seriesId: number; p: Partial }[]) {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO samples_1h (series_id, count, bucket, min, max, sum, first, last)
     SELECT s, c, to_timestamp(b / 1000.0), mn, mx, sm, f, l
     FROM unnest($1::int4[], $2::int4[], $3::float8[], $4::float8[], $5::float8[], $6::float8[], $7::float8[], $8::float8[])
       AS u(s, c, b, mn, mx, sm, f, l)
     ON CONFLICT (series_id, bucket) DO UPDATE SET count = excluded.count, min = excluded.min, max = excluded.max,
       sum = excluded.sum, first = excluded.first, last = excluded.last`,
    [
      rows.map((r) => r.seriesId),
      rows.map((r) => r.p.count),
      rows.map((r) => r.p.bucket),
      rows.map((r) => r.p.min),
      rows.map((r) => r.p.max),
      rows.map((r) => r.p.sum),
      rows.map((r) => r.p.first),
      rows.map((r) => r.p.last),
    ],
  );
}

/** Compacts one hour; false when another server holds the compaction lock. */
async function compactHour(sql: Sql, hour: number, result: CompactionResult): Promise<boolean> {
  return sql.transaction(async (tx) => {
    const [lock] = await tx.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock($1) AS ok', [COMPACTION_LOCK]);
    if (!lock?.ok) return false;
    const moved = await tx.query<HourRows>(
      `WITH moved AS (DELETE FROM samples WHERE ts >= $1 AND ts < $2 RETURNING series_id, ts, value)
       SELECT series_id, array_agg((extract(epoch FROM ts) * 1000)::float8) AS ts, array_agg(value) AS values
       FROM moved GROUP BY series_id ORDER BY series_id`,
      [new Date(hour), new Date(hour + HOUR_MS)],
    );
    if (moved.length === 0) return true;
    const existing = await tx.query<{ series_id: number; data: Uint8Array }>(
      'SELECT series_id, data FROM sample_chunks WHERE start = $1 AND series_id = ANY($2::int4[])',
      [new Date(hour), moved.map((m) => m.series_id)],
    );
    const stored = new Map(existing.map((e) => [e.series_id, e.data]));
    const chunks: { seriesId: number; count: number; data: Uint8Array; minutes: Uint8Array }[] = [];
    const hours: { seriesId: number; p: Partial }[] = [];
    for (const m of moved) {
      let points = sortUnique(m.ts.map(Number), m.values.map(Number));
      const old = stored.get(m.series_id);
      if (old) {
        points = mergePoints(decodeChunk(old), points);
        result.merged++;
      }
      chunks.push({
        seriesId: m.series_id,
        count: points.ts.length,
        data: encodeChunk(points.ts, points.values),
        minutes: encodeMinutes(hour, partialsFromPoints(points.ts, points.values, MINUTE_MS)),
      });
      for (const p of partialsFromPoints(points.ts, points.values, HOUR_MS)) hours.push({ seriesId: m.series_id, p });
      result.samples += m.ts.length;
    }
    await tx.query(
      `INSERT INTO sample_chunks (series_id, count, start, data)
       SELECT s, c, $3, d FROM unnest($1::int4[], $2::int4[], $4::bytea[]) AS u(s, c, d)
       ON CONFLICT (series_id, start) DO UPDATE SET count = excluded.count, data = excluded.data`,
      [chunks.map((c) => c.seriesId), chunks.map((c) => c.count), new Date(hour), chunks.map((c) => Buffer.from(c.data))],
    );
    await tx.query(
      `INSERT INTO samples_1m (series_id, count, start, data)
       SELECT s, c, $3, d FROM unnest($1::int4[], $2::int4[], $4::bytea[]) AS u(s, c, d)
       ON CONFLICT (series_id, start) DO UPDATE SET count = excluded.count, data = excluded.data`,
      [chunks.map((c) => c.seriesId), chunks.map((c) => c.count), new Date(hour), chunks.map((c) => Buffer.from(c.minutes))],
    );
    await upsertHourRollups(tx, hours);
    result.hours++;
    result.chunks += moved.length;
    return true;
  });
}

/**
 * Compacts every hour that ended at or before `cutoffMs` and still has raw samples, oldest first,
 * at most `maxHours` per call. Empty raw partitions of closed days are dropped afterwards (late
 * data recreates them on demand), so deleted rows never pile up.
 */
export async function compact(
  sql: Sql,
  partitions: Partitions,
  cutoffMs: number,
  maxHours = 48,
  onHour?: (hour: number) => void,
): Promise<CompactionResult> {
  const result: CompactionResult = { hours: 0, chunks: 0, samples: 0, merged: 0 };
  const cutoff = Math.floor(cutoffMs / HOUR_MS) * HOUR_MS;
  for (let i = 0; i < maxHours; i++) {
    const [row] = await sql.query<{ oldest: number | null }>(
      'SELECT (extract(epoch FROM min(ts)) * 1000)::float8 AS oldest FROM samples WHERE ts < $1',
      [new Date(cutoff)],
    );
    if (row?.oldest == null) break;
    const hour = Math.floor(Number(row.oldest) / HOUR_MS) * HOUR_MS;
    await partitions.ensure(STORE_TABLES.chunks, [hour]);
    await partitions.ensure(STORE_TABLES.rollup1m, [hour]);
    await partitions.ensure(STORE_TABLES.rollup1h, [hour]);
    if (!(await compactHour(sql, hour, result))) break;
    onHour?.(hour);
  }
  for (const p of await partitions.list(STORE_TABLES.raw)) {
    if (p.to > cutoff) continue;
    const [any] = await sql.query(`SELECT 1 FROM "${p.name}" LIMIT 1`);
    if (!any) await partitions.drop(STORE_TABLES.raw, p);
  }
  return result;
}
