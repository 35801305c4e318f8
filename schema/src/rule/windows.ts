// Pure window computations: one function of (points, now, window) per window function of the
// rule language. Points are parallel arrays with ascending timestamps in milliseconds; the
// window is the closed interval [now - ms, now]. Non-finite values count as gaps.
import type { WindowFunction } from './functions.ts';

export interface Points {
  ts: number[];
  values: number[];
}

export interface WindowSpec {
  fn: WindowFunction;
  ms: number;
  /** Percentile in 0..100, for `percentile` only. */
  p?: number;
}

/** The first index whose timestamp is ≥ t (or > t with `after`), by binary search. */
function bound(ts: number[], t: number, after: boolean): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (after ? ts[mid]! <= t : ts[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The values (and their timestamps) inside [now - ms, now], gaps left out. Rules evaluate this on
 * every sample, so the window is found by binary search and copied in one slice.
 */
export function pointsInWindow(points: Points, now: number, ms: number): Points {
  const lo = bound(points.ts, now - ms, false);
  const hi = bound(points.ts, now, true);
  const ts = points.ts.slice(lo, hi);
  const values = points.values.slice(lo, hi);
  if (values.every(Number.isFinite)) return { ts, values };
  const keep = values.map((v) => Number.isFinite(v));
  return { ts: ts.filter((_, i) => keep[i]), values: values.filter((_, i) => keep[i]) };
}

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);

/** Counter increase over the values, Prometheus style: a drop means the counter restarted at 0. */
function counterIncrease(v: number[]): number {
  let total = 0;
  for (let i = 1; i < v.length; i++) {
    const prev = v[i - 1]!;
    const cur = v[i]!;
    total += cur >= prev ? cur - prev : cur;
  }
  return total;
}

/** Linear interpolation between the closest ranks; `sorted` ascending and non-empty, p in 0..100. */
export function percentileOf(sorted: number[], p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be in 0..100, got ${p}`);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo]!;
  const b = sorted[hi]!;
  return a + (b - a) * (rank - lo);
}

/**
 * The value of one window function, or undefined when the window holds too little data
 * (no value at all; fewer than two for rate, increase and delta). `count` is 0 and `nodata`
 * is 1 for an empty window, never undefined.
 */
export function computeWindow(spec: WindowSpec, points: Points, now: number): number | undefined {
  const { ts, values: v } = pointsInWindow(points, now, spec.ms);
  const n = v.length;
  switch (spec.fn) {
    case 'count':
      return n;
    case 'nodata':
      return n === 0 ? 1 : 0;
    default:
      if (n === 0) return undefined;
  }
  switch (spec.fn) {
    case 'last':
      return v[n - 1];
    case 'avg':
      return sum(v) / n;
    case 'min':
      return v.reduce((a, b) => Math.min(a, b));
    case 'max':
      return v.reduce((a, b) => Math.max(a, b));
    case 'sum':
      return sum(v);
    case 'stddev': {
      const mean = sum(v) / n;
      return Math.sqrt(sum(v.map((x) => (x - mean) ** 2)) / n);
    }
    case 'percentile':
      return percentileOf(
        [...v].sort((a, b) => a - b),
        spec.p ?? 50,
      );
    case 'delta':
      return n < 2 ? undefined : v[n - 1]! - v[0]!;
    case 'increase':
      return n < 2 ? undefined : counterIncrease(v);
    case 'rate': {
      // Per second over the span actually sampled (first to last point), without Prometheus's
      // extrapolation to the window edges: a steady counter gives its true rate.
      const seconds = (ts[n - 1]! - ts[0]!) / 1000;
      return n < 2 || seconds <= 0 ? undefined : counterIncrease(v) / seconds;
    }
  }
}
