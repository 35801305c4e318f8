// Range queries: the series a selector picks, each reduced to at most `maxPoints` points. The
// source follows the bucket width — raw samples (the raw table plus decoded chunks) below one
// minute, 1-minute rollups below one hour, 1-hour rollups above — and buckets are whole: the range
// is widened to bucket boundaries, so every source answers the same question. Rollups hold
// compacted hours; the raw table holds the rest; the two are disjoint, and their partial
// aggregates are merged per bucket.
import type { SqlRunner } from '@esmon/db';
import type { Selector } from '@esmon/schema';
import { decodeChunk } from './codec.ts';
import { HOUR_MS, mergePoints } from './compaction.ts';
import {
  bucketWidth,
  chooseSource,
  finish,
  lttb,
  mergePartials,
  partialsFromPoints,
  type Aggregation,
  type Partial,
} from './downsample.ts';
import { foldMinuteColumns, minuteColumnsSql, type MinuteColumn } from './minute-rollups.ts';
import { selectorCondition } from './selector-sql.ts';

export interface RangeRequest {
  selector: Selector;
  from: number;
  to: number;
  maxPoints: number;
  aggregation: Aggregation;
  /** refuse selectors matching more series than this */
  maxSeries?: number;
}

export interface SeriesInfo {
  id: number;
  hostId: number;
  hostname: string;
  metric: string;
  labels: Record<string, string>;
}

export interface SeriesRange {
  series: SeriesInfo;
  source: 'raw' | '1m' | '1h';
  bucketMs: number;
  ts: number[];
  values: number[];
}

export class RangeQueryError extends Error {
  override name = 'RangeQueryError';
}

const RESOLUTION = { raw: 1, '1m': 60_000, '1h': HOUR_MS } as const;

export async function findSeries(db: SqlRunner, selector: Selector, limit: number): Promise<SeriesInfo[]> {
  const params: unknown[] = [];
  const where = selectorCondition(selector, params);
  params.push(limit);
  return db.query<SeriesInfo>(
    `SELECT se.id, se.host_id AS "hostId", h.hostname, se.metric, se.labels
     FROM series se JOIN hosts h ON h.id = se.host_id WHERE ${where}
     ORDER BY se.metric, h.hostname, se.labels_key LIMIT $${params.length}`,
    params,
  );
}

/** Raw points of some series in [from, to): the raw table merged with decoded chunks. */
export async function rawPoints(db: SqlRunner, ids: number[], from: number, to: number) {
  const out = new Map<number, { ts: number[]; values: number[] }>(ids.map((id) => [id, { ts: [], values: [] }]));
  const chunks = await db.query<{ series_id: number; data: Uint8Array }>(
    `SELECT series_id, data FROM sample_chunks WHERE series_id = ANY($1::int4[]) AND start > $2 AND start < $3
     ORDER BY series_id, start`,
    [ids, new Date(from - HOUR_MS), new Date(to)],
  );
  for (const c of chunks) {
    const p = decodeChunk(c.data);
    const into = out.get(c.series_id)!;
    for (let i = 0; i < p.ts.length; i++) {
      if (p.ts[i]! >= from && p.ts[i]! < to) {
        into.ts.push(p.ts[i]!);
        into.values.push(p.values[i]!);
      }
    }
  }
  const raw = await db.query<{ series_id: number; ts: number[]; values: number[] }>(
    `SELECT series_id, array_agg((extract(epoch FROM ts) * 1000)::float8 ORDER BY ts) AS ts, array_agg(value ORDER BY ts) AS values
     FROM samples WHERE series_id = ANY($1::int4[]) AND ts >= $2 AND ts < $3 GROUP BY series_id`,
    [ids, new Date(from), new Date(to)],
  );
  for (const r of raw) out.set(r.series_id, mergePoints(out.get(r.series_id)!, { ts: r.ts.map(Number), values: r.values.map(Number) }));
  return out;
}

interface PartialRow {
  series_id: number;
  bucket: number;
  min: number;
  min_ts: number;
  max: number;
  max_ts: number;
  sum: number;
  count: number;
  first: number;
  first_ts: number;
  last: number;
  last_ts: number;
}

const ms = (col: string) => `(extract(epoch FROM ${col}) * 1000)::float8`;

/** Per-bucket partial aggregates from a rollup table or the raw table, computed in SQL. */
async function sqlPartials(
  db: SqlRunner,
  table: 'samples' | 'samples_1h',
  ids: number[],
  from: number,
  to: number,
  width: number,
  aggregation: Aggregation,
  tsResolution = 1,
) {
  const raw = table === 'samples';
  const [t, mn, mx, sm, cnt, fst, lst] = raw
    ? ['ts', 'value', 'value', 'value', '1', 'value', 'value']
    : ['bucket', 'min', 'max', 'sum', 'count', 'first', 'last'];
  // where a value is found inside a bucket costs a sort per bucket: only m4 needs it, only
  // first/last-using aggregations need those
  const m4 = aggregation === 'm4';
  const ends = m4 || aggregation === 'last' || aggregation === 'lttb';
  // raw rows merged with rollups report where a value was found at the rollups' resolution, so an
  // answer does not change when its hour is compacted
  const at = (col: string) => ms(tsResolution > 1 ? `date_bin($5 * interval '1 millisecond', ${col}, TIMESTAMPTZ '1970-01-01 00:00:00+00')` : col);
  const rows = await db.query<PartialRow>(
    `SELECT series_id, ${ms(`date_bin($4 * interval '1 millisecond', ${t}, TIMESTAMPTZ '1970-01-01 00:00:00+00')`)} AS bucket,
            min(${mn}) AS min, ${m4 ? at(`(array_agg(${t} ORDER BY ${mn}, ${t}))[1]`) : '0'} AS min_ts,
            max(${mx}) AS max, ${m4 ? at(`(array_agg(${t} ORDER BY ${mx} DESC, ${t}))[1]`) : '0'} AS max_ts,
            sum(${sm}) AS sum, sum(${cnt})::float8 AS count,
            ${ends ? `(array_agg(${fst} ORDER BY ${t}))[1]` : '0'} AS first, ${at(`min(${t})`)} AS first_ts,
            ${ends ? `(array_agg(${lst} ORDER BY ${t} DESC))[1]` : '0'} AS last, ${at(`max(${t})`)} AS last_ts
     FROM ${table} WHERE series_id = ANY($1::int4[]) AND ${t} >= $2 AND ${t} < $3
     GROUP BY 1, 2 ORDER BY 1, 2`,
    tsResolution > 1 ? [ids, new Date(from), new Date(to), width, tsResolution] : [ids, new Date(from), new Date(to), width],
  );
  const bySeries = new Map<number, Partial[]>();
  for (const r of rows) {
    const list = bySeries.get(r.series_id) ?? [];
    list.push({
      bucket: Number(r.bucket),
      min: Number(r.min),
      minTs: Number(r.min_ts),
      max: Number(r.max),
      maxTs: Number(r.max_ts),
      sum: Number(r.sum),
      count: Number(r.count),
      first: Number(r.first),
      firstTs: Number(r.first_ts),
      last: Number(r.last),
      lastTs: Number(r.last_ts),
    });
    bySeries.set(r.series_id, list);
  }
  return bySeries;
}

export async function queryRange(db: SqlRunner, req: RangeRequest): Promise<SeriesRange[]> {
  const { selector, from, to, maxPoints, aggregation } = req;
  if (!(to > from)) throw new RangeQueryError('`to` must be after `from`');
  const maxSeries = req.maxSeries ?? 500;
  const series = await findSeries(db, selector, maxSeries + 1);
  if (series.length > maxSeries) {
    throw new RangeQueryError(`the selector matches more than ${maxSeries} series; add label matchers to narrow it`);
  }
  if (series.length === 0) return [];
  const ids = series.map((s) => s.id);
  const source = chooseSource(from, to, maxPoints, aggregation);
  if (aggregation === 'lttb') {
    // LTTB needs points finer than its output: raw points, or each rollup bucket's average
    const points = source === 'raw' ? await rawPoints(db, ids, from, to) : await averagedPoints(db, source, ids, from, to);
    return series.map((s) => {
      const p = points.get(s.id) ?? { ts: [], values: [] };
      return { series: s, source, bucketMs: RESOLUTION[source], ...lttb(p.ts, p.values, maxPoints) };
    }).filter((r) => r.ts.length > 0);
  }
  const width = bucketWidth(from, to, maxPoints, aggregation, RESOLUTION[source]);
  const start = Math.floor(from / width) * width;
  const end = Math.ceil(to / width) * width;
  let partials: Map<number, Partial[]>;
  if (source === 'raw') {
    const points = await rawPoints(db, ids, start, end);
    partials = new Map(ids.map((id) => [id, partialsFromPoints(points.get(id)!.ts, points.get(id)!.values, width)]));
  } else {
    const rolled =
      source === '1m'
        ? await minutePartials(db, ids, start, end, width, COLUMNS_FOR[aggregation])
        : await sqlPartials(db, 'samples_1h', ids, start, end, width, aggregation);
    const recent = await sqlPartials(db, 'samples', ids, start, end, width, aggregation, RESOLUTION[source]);
    partials = new Map(ids.map((id) => [id, mergePartials(rolled.get(id) ?? [], recent.get(id) ?? [])]));
  }
  // like Prometheus, a series without a point in the range is left out
  return series
    .map((s) => ({ series: s, source, bucketMs: width, ...finish(partials.get(s.id) ?? [], aggregation) }))
    .filter((r) => r.ts.length > 0);
}

/** Rollup buckets as points (bucket start, average), plus raw samples not yet rolled up, per series. */
async function averagedPoints(db: SqlRunner, source: '1m' | '1h', ids: number[], from: number, to: number) {
  const width = RESOLUTION[source];
  const [rolled, recent] = await Promise.all([
    source === '1m' ? minutePartials(db, ids, from, to, width, COLUMNS_FOR.avg) : sqlPartials(db, 'samples_1h', ids, from, to, width, 'avg'),
    sqlPartials(db, 'samples', ids, from, to, width, 'avg'),
  ]);
  return new Map(
    ids.map((id) => {
      const merged = mergePartials(rolled.get(id) ?? [], recent.get(id) ?? []);
      return [id, { ts: merged.map((p) => p.bucket), values: merged.map((p) => p.sum / p.count) }];
    }),
  );
}

/** The rollup figures each aggregation reads (the others are not fetched). */
const COLUMNS_FOR: Record<Aggregation, readonly MinuteColumn[]> = {
  avg: ['sum'],
  sum: ['sum'],
  lttb: ['sum'],
  min: ['min'],
  max: ['max'],
  last: ['last'],
  m4: ['min', 'max', 'first', 'last'],
};

/**
 * The minute rollups of some series in [from, to), folded into `width`-wide partials. Only the
 * figures in `columns` are read; the others are NaN.
 */
async function minutePartials(db: SqlRunner, ids: number[], from: number, to: number, width: number, columns: readonly MinuteColumn[]) {
  const rows = await db.query<{ series_id: number; start: Date; head: Uint8Array } & { [c: string]: Uint8Array }>(
    `SELECT series_id, start, ${minuteColumnsSql(columns)} FROM samples_1m
     WHERE series_id = ANY($1::int4[]) AND start > $2 AND start < $3 ORDER BY series_id, start`,
    [ids, new Date(from - HOUR_MS), new Date(to)],
  );
  const out = new Map<number, Partial[]>();
  for (const r of rows) {
    let list = out.get(r.series_id);
    if (!list) out.set(r.series_id, (list = []));
    const pieces = Object.fromEntries(columns.map((c) => [c, r[`c_${c}`]!]));
    foldMinuteColumns(r.start.getTime(), r.head, pieces, from, to, width, list);
  }
  return out;
}
