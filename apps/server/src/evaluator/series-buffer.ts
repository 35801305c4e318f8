// The recent points of one series, kept in memory for rule windows: ascending timestamps, trimmed
// to the longest window that reads the series and capped in count, so memory stays bounded
// whatever the rules ask for. A re-sent point (same timestamp) replaces the stored one.
import type { Points } from '@esmon/schema';

export class SeriesBuffer implements Points {
  ts: number[] = [];
  values: number[] = [];
  /** true once the count cap dropped points a window still covered */
  truncated = false;

  constructor(
    public keepMs: number,
    private readonly maxPoints: number,
  ) {}

  add(t: number, v: number): void {
    const n = this.ts.length;
    if (n === 0 || t > this.ts[n - 1]!) {
      this.ts.push(t);
      this.values.push(v);
    } else {
      // late or repeated point: binary search for its place
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.ts[mid]! < t) lo = mid + 1;
        else hi = mid;
      }
      if (this.ts[lo] === t) this.values[lo] = v;
      else {
        this.ts.splice(lo, 0, t);
        this.values.splice(lo, 0, v);
      }
    }
    if (this.ts.length > this.maxPoints) {
      const drop = this.ts.length - this.maxPoints;
      if (this.ts[drop - 1]! >= this.ts[this.ts.length - 1]! - this.keepMs) this.truncated = true;
      this.ts.splice(0, drop);
      this.values.splice(0, drop);
    }
  }

  /** Drops points older than keepMs before `now` (amortised: only when a quarter is stale). */
  trim(now: number): void {
    const from = now - this.keepMs;
    if (this.ts.length === 0 || this.ts[0]! >= from) return;
    let k = 0;
    while (k < this.ts.length && this.ts[k]! < from) k++;
    this.ts.splice(0, k);
    this.values.splice(0, k);
  }

  get latest(): number | undefined {
    return this.ts.at(-1);
  }
}

/** Several series' points as one window input (e.g. a selector matching every disk of a host). */
export function mergedPoints(buffers: readonly SeriesBuffer[]): Points {
  if (buffers.length === 1) return buffers[0]!;
  const pairs: [number, number][] = [];
  for (const b of buffers) for (let i = 0; i < b.ts.length; i++) pairs.push([b.ts[i]!, b.values[i]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  return { ts: pairs.map((p) => p[0]), values: pairs.map((p) => p[1]) };
}
