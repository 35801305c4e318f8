// The data behind one chart: downsampled series from a range query, aligned on one time axis
// (bucket starts), then extended by live samples. A live sample falling after the last bucket the
// server answered with opens (or joins) a bucket of the same width, whose value is the average of
// the live samples in it — the same aggregation the range query used; buckets that scroll out of
// the window are dropped. Pure functions over immutable tables: React state holds them.

export interface RangeSeries {
  metric: string;
  labels: Record<string, string>;
  points: { ts: string; value: number }[];
}

export interface LivePoint {
  metric: string;
  labels: Record<string, string>;
  ts: string;
  value: number;
}

export interface Table {
  /** width of a bucket, ms */
  bucketMs: number;
  /** how far back from the newest bucket the chart reaches, ms */
  windowMs: number;
  /** one per series: metric plus its labels, canonical */
  keys: string[];
  series: { metric: string; labels: Record<string, string> }[];
  /** bucket starts, ms, ascending */
  xs: number[];
  /** ys[series][bucket]; null where the series has no point */
  ys: (number | null)[][];
  /** the last bucket the server answered with: live samples up to it are already counted */
  baseEnd: number;
  /** running sums of the buckets live samples made, by `${x}:${series}` */
  acc: Record<string, { sum: number; count: number }>;
}

export function seriesKey(metric: string, labels: Record<string, string>): string {
  const pairs = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`);
  return `${metric}{${pairs.join(',')}}`;
}

const natural = new Intl.Collator(undefined, { numeric: true });

/** Builds a table from range-query answers; `metrics` gives the order of metrics in the chart. */
export function buildTable(answers: RangeSeries[], metrics: string[], bucketMs: number, windowMs: number): Table {
  const sorted = [...answers].sort(
    (a, b) => metrics.indexOf(a.metric) - metrics.indexOf(b.metric) || natural.compare(seriesKey(a.metric, a.labels), seriesKey(b.metric, b.labels)),
  );
  const xsSet = new Set<number>();
  for (const s of sorted) for (const p of s.points) xsSet.add(Date.parse(p.ts));
  const xs = [...xsSet].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = sorted.map((s) => {
    const row: (number | null)[] = new Array(xs.length).fill(null);
    for (const p of s.points) row[at.get(Date.parse(p.ts))!] = p.value;
    return row;
  });
  return {
    bucketMs,
    windowMs,
    keys: sorted.map((s) => seriesKey(s.metric, s.labels)),
    series: sorted.map((s) => ({ metric: s.metric, labels: s.labels })),
    xs,
    ys,
    baseEnd: xs.length > 0 ? xs[xs.length - 1]! : -Infinity,
    acc: {},
  };
}

/** The index of the first element of `xs` that is >= x. */
function lowerBound(xs: number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Adds live samples of the chart's metrics (others are ignored) and drops buckets older than the
 * window before the newest one. Returns the same table when nothing changed.
 */
export function addLive(table: Table, samples: LivePoint[], metrics: string[]): Table {
  const wanted = samples.filter((s) => metrics.includes(s.metric) && Number.isFinite(s.value));
  if (wanted.length === 0) return table;
  let keys = table.keys;
  let series = table.series;
  let xs = table.xs;
  let ys = table.ys;
  const acc = { ...table.acc };
  let changed = false;
  for (const s of wanted) {
    const ts = Date.parse(s.ts);
    if (Number.isNaN(ts)) continue;
    const x = Math.floor(ts / table.bucketMs) * table.bucketMs;
    if (x <= table.baseEnd) continue;
    if (!changed) {
      // copy on first write
      xs = [...xs];
      ys = ys.map((row) => [...row]);
      changed = true;
    }
    const key = seriesKey(s.metric, s.labels);
    let si = keys.indexOf(key);
    if (si < 0) {
      keys = [...keys, key];
      series = [...series, { metric: s.metric, labels: s.labels }];
      ys.push(new Array(xs.length).fill(null));
      si = keys.length - 1;
    }
    const xi = lowerBound(xs, x);
    if (xs[xi] !== x) {
      xs.splice(xi, 0, x);
      for (const row of ys) row.splice(xi, 0, null);
    }
    const cell = `${x}:${si}`;
    const a = (acc[cell] = { sum: (acc[cell]?.sum ?? 0) + s.value, count: (acc[cell]?.count ?? 0) + 1 });
    ys[si]![xi] = a.sum / a.count;
  }
  if (!changed) return table;
  const cutoff = xs[xs.length - 1]! - table.windowMs;
  const drop = lowerBound(xs, cutoff);
  if (drop > 0) {
    xs = xs.slice(drop);
    ys = ys.map((row) => row.slice(drop));
    for (const cell of Object.keys(acc)) if (Number(cell.slice(0, cell.indexOf(':'))) < cutoff) delete acc[cell];
  }
  return { ...table, keys, series, xs, ys, acc };
}

/** The last value of each series (null when it has none). */
export function lastValues(ys: (number | null)[][]): (number | null)[] {
  return ys.map((row) => {
    for (let i = row.length - 1; i >= 0; i--) if (row[i] != null) return row[i]!;
    return null;
  });
}
