// Pure downsampling core for range queries. Every source (raw points, decoded chunks, 1-minute
// and 1-hour rollup rows) is turned into per-bucket partial aggregates; partials of disjoint
// sources merge per bucket, and `finish` turns them into points. Buckets are
// [origin + k*width, origin + (k+1)*width) with origin 0 (the epoch), like PostgreSQL date_bin.
// Values are assumed finite (ingestion rejects NaN and infinities); timestamps are integer ms.

export const AGGREGATIONS = ['avg', 'min', 'max', 'last', 'sum', 'm4', 'lttb'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];

/** Aggregate of one bucket. minTs/maxTs/firstTs/lastTs are the timestamps of those values (at the source's resolution when derived from rollups). */
export interface Partial {
  bucket: number;
  min: number;
  minTs: number;
  max: number;
  maxTs: number;
  sum: number;
  count: number;
  first: number;
  firstTs: number;
  last: number;
  lastTs: number;
}

/** Points of one series, ts ascending. */
type Series = { ts: number[]; values: number[] };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** Nice bucket widths below one week; above, every multiple of a week. */
const NICE = [
  ...[1, 2, 5, 10, 15, 30].map((n) => n * SECOND),
  ...[1, 2, 5, 10, 15, 30].map((n) => n * MINUTE),
  ...[1, 2, 3, 6, 12].map((n) => n * HOUR),
  ...[1, 2].map((n) => n * DAY),
];

function positiveInteger(name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${v}`);
}

function integer(name: string, v: number): void {
  if (!Number.isSafeInteger(v))
    throw new RangeError(`${name} must be an integer number of milliseconds, got ${v}`);
}

function range(fromMs: number, toMs: number): void {
  integer('fromMs', fromMs);
  integer('toMs', toMs);
  if (toMs <= fromMs) throw new RangeError(`toMs (${toMs}) must be after fromMs (${fromMs})`);
}

/** Start of the bucket holding `t`. */
const bucketOf = (t: number, width: number, origin: number) =>
  origin + Math.floor((t - origin) / width) * width;

export function partialsFromPoints(
  ts: readonly number[],
  values: readonly number[],
  widthMs: number,
  originMs = 0,
): Partial[] {
  positiveInteger('widthMs', widthMs);
  integer('originMs', originMs);
  if (ts.length !== values.length)
    throw new RangeError(`ts and values differ in length (${ts.length} vs ${values.length})`);
  const out: Partial[] = [];
  // the bucket being filled lives in locals; its Partial is created once, complete, when the
  // bucket ends: one object per bucket, none per point
  let end = -Infinity;
  let lastTs = -Infinity;
  let bucket = 0,
    first = 0,
    firstTs = 0,
    min = 0,
    minTs = 0,
    max = 0,
    maxTs = 0,
    sum = 0,
    count = 0,
    last = 0;
  // i === length is a sentinel that closes the last bucket
  for (let i = 0; i <= ts.length; i++) {
    const t = i < ts.length ? ts[i]! : Infinity;
    if (!(t > lastTs))
      throw new RangeError(`ts must be strictly increasing: ts[${i}] = ${t} follows ${lastTs}`);
    if (t >= end) {
      if (count > 0) out.push({ bucket, min, minTs, max, maxTs, sum, count, first, firstTs, last, lastTs });
      if (i === ts.length) break;
      bucket = bucketOf(t, widthMs, originMs);
      end = bucket + widthMs;
      first = min = max = values[i]!;
      firstTs = minTs = maxTs = t;
      sum = count = 0;
    }
    const v = values[i]!;
    // strict comparisons: on ties the earlier timestamp is kept
    if (v < min) {
      min = v;
      minTs = t;
    }
    if (v > max) {
      max = v;
      maxTs = t;
    }
    sum += v;
    count++;
    last = v;
    lastTs = t;
  }
  return out;
}

/** Folds `p` into `into` (a private copy); `p` comes later in argument order and wins first/last ties. */
function combine(into: Partial, p: Partial): void {
  const sum = into.sum + p.sum;
  const count = into.count + p.count;
  if (into.count === 0) {
    Object.assign(into, p, { bucket: into.bucket });
  } else if (p.count !== 0) {
    if (p.min < into.min || (p.min === into.min && p.minTs < into.minTs))
      Object.assign(into, { min: p.min, minTs: p.minTs });
    if (p.max > into.max || (p.max === into.max && p.maxTs < into.maxTs))
      Object.assign(into, { max: p.max, maxTs: p.maxTs });
    if (p.firstTs <= into.firstTs) Object.assign(into, { first: p.first, firstTs: p.firstTs });
    if (p.lastTs >= into.lastTs) Object.assign(into, { last: p.last, lastTs: p.lastTs });
  }
  into.sum = sum;
  into.count = count;
}

/** Appends `p` (re-bucketed to `bucket`) to `out`, folding it into the last entry when that has the same bucket. */
/** Adds p to the last partial of out when it has this bucket, else appends a copy of p at it. */
export function appendPartial(out: Partial[], p: Partial, bucket: number): void {
  const last = out[out.length - 1];
  if (last && last.bucket === bucket) combine(last, p);
  else out.push({ ...p, bucket });
}

export function mergePartials(...lists: readonly (readonly Partial[])[]): Partial[] {
  const out: Partial[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    // the list whose next partial has the smallest bucket; on equal buckets the earliest argument,
    // so later arguments are folded in later and win ties
    let pick = -1;
    let bucket = Infinity;
    for (let l = 0; l < lists.length; l++) {
      const p = lists[l]![at[l]!];
      if (p && p.bucket < bucket) {
        pick = l;
        bucket = p.bucket;
      }
    }
    if (pick < 0) return out;
    const list = lists[pick]!;
    const i = at[pick]!++;
    if (i > 0 && list[i - 1]!.bucket > bucket) {
      throw new RangeError(`partial lists must be sorted by bucket: argument ${pick}, index ${i}`);
    }
    appendPartial(out, list[i]!, bucket);
  }
}

/** The coarse width must be a whole multiple of the partials' width, and both grids aligned. */
export function rebucket(partials: readonly Partial[], widthMs: number, originMs = 0): Partial[] {
  positiveInteger('widthMs', widthMs);
  integer('originMs', originMs);
  const out: Partial[] = [];
  for (let i = 0; i < partials.length; i++) {
    const p = partials[i]!;
    if (i > 0 && partials[i - 1]!.bucket > p.bucket)
      throw new RangeError(`partials must be sorted by bucket: index ${i}`);
    appendPartial(out, p, bucketOf(p.bucket, widthMs, originMs));
  }
  return out;
}

const VALUE: Record<string, ((p: Partial) => number) | undefined> = {
  avg: (p) => p.sum / p.count,
  min: (p) => p.min,
  max: (p) => p.max,
  last: (p) => p.last,
  sum: (p) => p.sum,
};

export function finish(partials: readonly Partial[], aggregation: Exclude<Aggregation, 'lttb'>): Series {
  const ts: number[] = [];
  const values: number[] = [];
  if (aggregation === 'm4') {
    for (const p of partials) if (p.count !== 0) m4(p, ts, values);
    return { ts, values };
  }
  const value = VALUE[aggregation];
  if (!value) throw new RangeError(`unknown aggregation ${aggregation}`);
  for (let i = 0; i < partials.length; i++) {
    const p = partials[i]!;
    if (p.count === 0) continue;
    ts.push(p.bucket);
    values.push(value(p));
  }
  return { ts, values };
}

/**
 * Appends a bucket's first, min, max and last points, sorted by ts. Equal points (same ts and
 * value) appear once; with exact timestamps the same ts always means the same value. Rollup
 * timestamps are coarse, so two different values may share one ts: both are kept (min and max
 * are never dropped), which draws a vertical segment.
 */
function m4(p: Partial, ts: number[], values: number[]): void {
  const start = ts.length;
  insert(ts, values, start, p.firstTs, p.first);
  insert(ts, values, start, p.minTs, p.min);
  insert(ts, values, start, p.maxTs, p.max);
  insert(ts, values, start, p.lastTs, p.last);
}

/** Inserts (t, v) among the points from `start` on, after those with ts <= t, unless already there. */
function insert(ts: number[], values: number[], start: number, t: number, v: number): void {
  let j = ts.length;
  for (let k = start; k < j; k++) if (ts[k] === t && values[k] === v) return;
  while (j > start && ts[j - 1]! > t) j--;
  if (j === ts.length) {
    ts.push(t);
    values.push(v);
  } else {
    ts.splice(j, 0, t);
    values.splice(j, 0, v);
  }
}

export function lttb(ts: readonly number[], values: readonly number[], threshold: number): Series {
  if (ts.length !== values.length)
    throw new RangeError(`ts and values differ in length (${ts.length} vs ${values.length})`);
  if (!Number.isInteger(threshold)) throw new RangeError(`threshold must be an integer, got ${threshold}`);
  const n = ts.length;
  if (n <= threshold || threshold < 3) return { ts: ts.slice(), values: values.slice() };
  const outTs = [ts[0]!];
  const outValues = [values[0]!];
  // buckets between the fixed first and last points
  const every = (n - 2) / (threshold - 2);
  let a = 0;
  for (let i = 0; i < threshold - 2; i++) {
    // average of the next bucket (the third corner of the triangle)
    const avgStart = Math.floor((i + 1) * every) + 1;
    const avgEnd = Math.min(Math.floor((i + 2) * every) + 1, n);
    let avgX = 0;
    let avgY = 0;
    for (let j = avgStart; j < avgEnd; j++) {
      avgX += ts[j]!;
      avgY += values[j]!;
    }
    avgX /= avgEnd - avgStart;
    avgY /= avgEnd - avgStart;
    // the point of this bucket spanning the largest triangle with point a and the average
    const from = Math.floor(i * every) + 1;
    const to = Math.floor((i + 1) * every) + 1;
    const ax = ts[a]!;
    const ay = values[a]!;
    let best = from;
    let bestArea = -1;
    for (let j = from; j < to; j++) {
      const area = Math.abs((ax - avgX) * (values[j]! - ay) - (ax - ts[j]!) * (avgY - ay));
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    outTs.push(ts[best]!);
    outValues.push(values[best]!);
    a = best;
  }
  outTs.push(ts[n - 1]!);
  outValues.push(values[n - 1]!);
  return { ts: outTs, values: outValues };
}

/** Buckets of `widthMs` (origin 0) touched by [fromMs, toMs), edge buckets included. */
const bucketCount = (fromMs: number, toMs: number, widthMs: number) =>
  Math.ceil(toMs / widthMs) - Math.floor(fromMs / widthMs);

/**
 * The range is half-open, [fromMs, toMs), and the count includes partial buckets at both edges
 * (origin 0): an unaligned range of length L gets ceil(L / width) + 1 buckets. Throws RangeError
 * for m4 with maxPoints < 4 (a bucket yields up to 4 points). lttb is sized like avg.
 */
export function bucketWidth(
  fromMs: number,
  toMs: number,
  maxPoints: number,
  aggregation: Aggregation,
  resolutionMs = 1,
): number {
  range(fromMs, toMs);
  positiveInteger('maxPoints', maxPoints);
  positiveInteger('resolutionMs', resolutionMs);
  const buckets = aggregation === 'm4' ? Math.floor(maxPoints / 4) : maxPoints;
  if (buckets < 1)
    throw new RangeError(`m4 needs maxPoints >= 4 (up to 4 points per bucket), got ${maxPoints}`);
  const fits = (w: number) =>
    w >= resolutionMs && w % resolutionMs === 0 && bucketCount(fromMs, toMs, w) <= buckets;
  for (const w of NICE) if (fits(w)) return w;
  // multiples of a week; once a week-multiple exceeds every |timestamp| the count stops changing
  const limit = Math.max(Math.abs(fromMs), Math.abs(toMs));
  for (
    let w = Math.max(1, Math.ceil((toMs - fromMs) / buckets / WEEK)) * WEEK;
    w <= Number.MAX_SAFE_INTEGER;
    w += WEEK
  ) {
    if (bucketCount(fromMs, toMs, w) <= buckets) {
      if (w >= resolutionMs && w % resolutionMs === 0) return w;
    } else if (w > limit) break;
  }
  throw new RangeError(
    `no bucket width fits [${fromMs}, ${toMs}) into ${buckets} buckets at resolution ${resolutionMs} ms`,
  );
}

/**
 * Sources by resolution. For lttb: the coarsest whose estimated point count over the range is
 * >= 4 * maxPoints; a rollup has at most one row per max(its resolution, rawStepMs).
 */
export function chooseSource(
  fromMs: number,
  toMs: number,
  maxPoints: number,
  aggregation: Aggregation,
  rawStepMs = 10_000,
): 'raw' | '1m' | '1h' {
  range(fromMs, toMs);
  positiveInteger('maxPoints', maxPoints);
  positiveInteger('rawStepMs', rawStepMs);
  if (aggregation === 'lttb') {
    const enough = (step: number) => Math.floor((toMs - fromMs) / Math.max(step, rawStepMs)) >= 4 * maxPoints;
    return enough(HOUR) ? '1h' : enough(MINUTE) ? '1m' : 'raw';
  }
  const width = bucketWidth(fromMs, toMs, maxPoints, aggregation);
  return width < MINUTE ? 'raw' : width < HOUR ? '1m' : '1h';
}
