// The downsampling core: partial aggregates are the same however the points are split between
// sources or re-bucketed, and LTTB matches the reference algorithm on a series worked out by hand
// (bucket sizing and source choice: downsample-sizing.test.ts).
import { describe, expect, it } from 'vitest';
import {
  AGGREGATIONS,
  finish,
  lttb,
  mergePartials,
  partialsFromPoints,
  rebucket,
  type Partial,
} from './downsample.ts';
import { prng } from '@esmon/schema/testing';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const T0 = Date.UTC(2026, 0, 5); // a Monday, aligned to every width up to one day

/** Strictly increasing integer timestamps; values in [-5, 5] with one decimal, so min/max ties are common. */
function randomSeries(rnd: () => number, n: number, start: number, maxGap: number) {
  const ts: number[] = [];
  const values: number[] = [];
  let t = start;
  for (let i = 0; i < n; i++) {
    t += 1 + Math.floor(rnd() * maxGap);
    ts.push(t);
    values.push(Math.round((rnd() - 0.5) * 100) / 10);
  }
  return { ts, values };
}

/** Exact on everything but the sum, which is added in a different order. */
function expectSamePartials(actual: Partial[], expected: Partial[]) {
  expect(actual.map((p) => ({ ...p, sum: 0 }))).toEqual(expected.map((p) => ({ ...p, sum: 0 })));
  actual.forEach((p, i) => expect(p.sum).toBeCloseTo(expected[i]!.sum, 9));
}

const part = (bucket: number, o: Partial_): Partial => ({
  bucket,
  min: o.min ?? 0,
  minTs: o.minTs ?? bucket,
  max: o.max ?? 0,
  maxTs: o.maxTs ?? bucket,
  sum: o.sum ?? 0,
  count: o.count ?? 1,
  first: o.first ?? 0,
  firstTs: o.firstTs ?? bucket,
  last: o.last ?? 0,
  lastTs: o.lastTs ?? bucket,
});
type Partial_ = { [K in keyof Partial]?: Partial[K] };

describe('partialsFromPoints', () => {
  it.each([
    { name: 'no points', ts: [], values: [], width: 10, origin: 0, want: [] },
    {
      name: 'one point',
      ts: [25],
      values: [-3],
      width: 10,
      origin: 0,
      want: [
        {
          bucket: 20,
          min: -3,
          minTs: 25,
          max: -3,
          maxTs: 25,
          sum: -3,
          count: 1,
          first: -3,
          firstTs: 25,
          last: -3,
          lastTs: 25,
        },
      ],
    },
    {
      name: 'bucket edges, negative values, min/max ties keep the earliest',
      ts: [0, 3, 5, 9, 10, 19, 40],
      values: [-1, -4, 2, -4, 7, 7, -0.5],
      width: 10,
      origin: 0,
      want: [
        {
          bucket: 0,
          min: -4,
          minTs: 3,
          max: 2,
          maxTs: 5,
          sum: -7,
          count: 4,
          first: -1,
          firstTs: 0,
          last: -4,
          lastTs: 9,
        },
        {
          bucket: 10,
          min: 7,
          minTs: 10,
          max: 7,
          maxTs: 10,
          sum: 14,
          count: 2,
          first: 7,
          firstTs: 10,
          last: 7,
          lastTs: 19,
        },
        {
          bucket: 40,
          min: -0.5,
          minTs: 40,
          max: -0.5,
          maxTs: 40,
          sum: -0.5,
          count: 1,
          first: -0.5,
          firstTs: 40,
          last: -0.5,
          lastTs: 40,
        },
      ],
    },
    {
      name: 'an origin shifts the grid (date_bin)',
      ts: [2, 3, 4, 13, 14],
      values: [1, 2, 3, 4, 5],
      width: 10,
      origin: 4,
      want: [
        {
          bucket: -6,
          min: 1,
          minTs: 2,
          max: 2,
          maxTs: 3,
          sum: 3,
          count: 2,
          first: 1,
          firstTs: 2,
          last: 2,
          lastTs: 3,
        },
        {
          bucket: 4,
          min: 3,
          minTs: 4,
          max: 4,
          maxTs: 13,
          sum: 7,
          count: 2,
          first: 3,
          firstTs: 4,
          last: 4,
          lastTs: 13,
        },
        {
          bucket: 14,
          min: 5,
          minTs: 14,
          max: 5,
          maxTs: 14,
          sum: 5,
          count: 1,
          first: 5,
          firstTs: 14,
          last: 5,
          lastTs: 14,
        },
      ],
    },
    {
      name: 'timestamps before the epoch floor to earlier buckets',
      ts: [-11, -10, -1],
      values: [1, 2, 3],
      width: 10,
      origin: 0,
      want: [
        {
          bucket: -20,
          min: 1,
          minTs: -11,
          max: 1,
          maxTs: -11,
          sum: 1,
          count: 1,
          first: 1,
          firstTs: -11,
          last: 1,
          lastTs: -11,
        },
        {
          bucket: -10,
          min: 2,
          minTs: -10,
          max: 3,
          maxTs: -1,
          sum: 5,
          count: 2,
          first: 2,
          firstTs: -10,
          last: 3,
          lastTs: -1,
        },
      ],
    },
  ])('$name', ({ ts, values, width, origin, want }) => {
    expect(partialsFromPoints(ts, values, width, origin)).toEqual(want);
  });

  it('adds floats in input order', () => {
    const [p] = partialsFromPoints([1, 2, 3], [0.1, 0.2, 0.3], 10);
    expect(p!.sum).toBe(0.1 + 0.2 + 0.3);
    expect(finish([p!], 'avg').values).toEqual([(0.1 + 0.2 + 0.3) / 3]);
  });

  it.each([
    {
      name: 'zero width',
      ts: [1],
      values: [1],
      width: 0,
      error: /widthMs must be a positive integer, got 0/,
    },
    { name: 'negative width', ts: [1], values: [1], width: -60, error: /widthMs must be a positive integer/ },
    {
      name: 'fractional width',
      ts: [1],
      values: [1],
      width: 1.5,
      error: /widthMs must be a positive integer/,
    },
    { name: 'NaN width', ts: [1], values: [1], width: NaN, error: /widthMs must be a positive integer/ },
    { name: 'lengths differ', ts: [1, 2], values: [1], width: 10, error: /differ in length/ },
    {
      name: 'repeated timestamp',
      ts: [1, 2, 2],
      values: [1, 2, 3],
      width: 10,
      error: /strictly increasing: ts\[2\] = 2 follows 2/,
    },
    { name: 'decreasing timestamp', ts: [5, 1], values: [1, 2], width: 10, error: /strictly increasing/ },
  ])('rejects $name', ({ ts, values, width, error }) => {
    expect(() => partialsFromPoints(ts, values, width)).toThrow(RangeError);
    expect(() => partialsFromPoints(ts, values, width)).toThrow(error);
  });

  it('accounts for every one of a million points', () => {
    const n = 1_000_000;
    const ts = new Array<number>(n);
    const values = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      ts[i] = T0 + i * 10 * S;
      values[i] = Math.sin(i / 100) * 50 - (i % 7);
    }
    const partials = partialsFromPoints(ts, values, H);
    const out = finish(partials, 'avg');
    expect(out.ts.length).toBe(Math.ceil((n * 10 * S) / H));
    expect(partials.reduce((a, p) => a + p.count, 0)).toBe(n);
  });
});

describe('mergePartials', () => {
  // disjoint halves: a time split (sources covering different buckets, one shared at the seam)
  // and a random split (every bucket fed by both sources)
  describe.each([1, 2, 3, 4, 5, 6])('seed %i', (seed) => {
    const rnd = prng(seed);
    const { ts, values } = randomSeries(rnd, 2000, T0 - 7 * M, 40 * S);
    const width = [10 * S, M, 5 * M][seed % 3]!;
    const whole = partialsFromPoints(ts, values, width);
    const split = (pick: (i: number) => boolean) => {
      const a = { ts: [] as number[], values: [] as number[] };
      const b = { ts: [] as number[], values: [] as number[] };
      ts.forEach((t, i) => {
        const into = pick(i) ? a : b;
        into.ts.push(t);
        into.values.push(values[i]!);
      });
      return [partialsFromPoints(a.ts, a.values, width), partialsFromPoints(b.ts, b.values, width)] as const;
    };
    const cut = Math.floor(rnd() * ts.length);
    it.each([
      ['split in time', split((i) => i < cut)],
      ['split at random', split(() => rnd() < 0.5)],
    ])('%s: merging the halves equals the whole, in either order', (_name, [a, b]) => {
      expectSamePartials(mergePartials(a, b), whole);
      expectSamePartials(mergePartials(b, a), whole);
      expectSamePartials(mergePartials(b, [], a), whole);
    });
  });

  it.each([
    { name: 'nothing', lists: [], want: [] },
    { name: 'one empty list', lists: [[]], want: [] },
    {
      name: 'different buckets interleave in order',
      lists: [[part(0, { sum: 1 }), part(20, { sum: 3 })], [part(10, { sum: 2 })], [part(30, { sum: 4 })]],
      want: [part(0, { sum: 1 }), part(10, { sum: 2 }), part(20, { sum: 3 }), part(30, { sum: 4 })],
    },
    {
      name: 'min and max: the extreme value, ties to the earliest ts',
      lists: [
        [part(0, { min: -2, minTs: 5, max: 9, maxTs: 6 })],
        [part(0, { min: -2, minTs: 3, max: 9, maxTs: 8 })],
      ],
      want: [part(0, { min: -2, minTs: 3, max: 9, maxTs: 6, count: 2 })],
    },
    {
      name: 'first/last by ts; equal ts: the later argument wins',
      lists: [
        [part(0, { first: 1, firstTs: 2, last: 1, lastTs: 8 })],
        [part(0, { first: 2, firstTs: 2, last: 2, lastTs: 8 })],
        [part(0, { first: 3, firstTs: 4, last: 3, lastTs: 7 })],
      ],
      want: [part(0, { first: 2, firstTs: 2, last: 2, lastTs: 8, count: 3 })],
    },
    {
      name: 'sum and count add; a count-0 partial brings no values',
      lists: [
        [part(0, { sum: -1.5, count: 2, min: -1, max: -0.5 })],
        [part(0, { sum: 0, count: 0, min: -99, max: 99, first: 7, last: 7 })],
      ],
      want: [part(0, { sum: -1.5, count: 2, min: -1, max: -0.5 })],
    },
    {
      name: 'a count-0 partial first takes the values of the next',
      lists: [
        [part(0, { count: 0, min: -99 })],
        [part(0, { count: 3, sum: 6, min: 1, max: 3, first: 1, last: 3 })],
      ],
      want: [part(0, { count: 3, sum: 6, min: 1, max: 3, first: 1, last: 3 })],
    },
  ])('$name', ({ lists, want }) => {
    const copies = structuredClone(lists);
    expect(mergePartials(...lists)).toEqual(want);
    expect(lists).toEqual(copies); // inputs are not modified
  });

  it('adds float sums (closely: the order of additions differs)', () => {
    const [p] = mergePartials([part(0, { sum: 0.1 + 0.2 })], [part(0, { sum: 0.3 })]);
    expect(p!.sum).toBeCloseTo(0.6, 12);
    expect(p!.count).toBe(2);
  });

  it('rejects a list not sorted by bucket', () => {
    expect(() => mergePartials([part(0, {})], [part(20, {}), part(10, {})])).toThrow(/argument 1, index 1/);
  });
});

describe('rebucket', () => {
  it.each([11, 12, 13, 14, 15])(
    '1-minute partials re-bucketed to 10 minutes equal 10-minute partials (seed %i)',
    (seed) => {
      const { ts, values } = randomSeries(prng(seed), 5000, T0 - 3 * H - 17 * S, 90 * S);
      expectSamePartials(
        rebucket(partialsFromPoints(ts, values, M), 10 * M),
        partialsFromPoints(ts, values, 10 * M),
      );
      expectSamePartials(
        rebucket(partialsFromPoints(ts, values, M, 30 * S), 10 * M, 30 * S),
        partialsFromPoints(ts, values, 10 * M, 30 * S),
      );
    },
  );

  it('keeps partials it does not merge unchanged, and its input untouched', () => {
    const input = [part(M, { sum: 1 }), part(11 * M, { sum: 2 })];
    const copy = structuredClone(input);
    expect(rebucket(input, 10 * M)).toEqual([
      { ...input[0]!, bucket: 0 },
      { ...input[1]!, bucket: 10 * M },
    ]);
    expect(input).toEqual(copy);
  });

  it.each([
    { name: 'zero width', partials: [], width: 0, error: /widthMs must be a positive integer/ },
    {
      name: 'unsorted partials',
      partials: [part(2 * M, {}), part(M, {})],
      width: 10 * M,
      error: /sorted by bucket: index 1/,
    },
  ])('rejects $name', ({ partials, width, error }) => {
    expect(() => rebucket(partials, width)).toThrow(RangeError);
    expect(() => rebucket(partials, width)).toThrow(error);
  });
});

describe('finish', () => {
  const partials = [
    part(0, {
      min: -3,
      minTs: 4,
      max: 5,
      maxTs: 2,
      sum: 4,
      count: 4,
      first: 1,
      firstTs: 1,
      last: 2,
      lastTs: 8,
    }),
    part(10, { count: 0 }),
    part(20, {
      min: -1,
      minTs: 20,
      max: -1,
      maxTs: 20,
      sum: -1,
      count: 1,
      first: -1,
      firstTs: 20,
      last: -1,
      lastTs: 20,
    }),
    part(30, {
      min: 0,
      minTs: 31,
      max: 6,
      maxTs: 39,
      sum: 6,
      count: 3,
      first: 0,
      firstTs: 31,
      last: 6,
      lastTs: 39,
    }),
  ];
  it.each([
    { aggregation: 'avg', ts: [0, 20, 30], values: [1, -1, 2] },
    { aggregation: 'min', ts: [0, 20, 30], values: [-3, -1, 0] },
    { aggregation: 'max', ts: [0, 20, 30], values: [5, -1, 6] },
    { aggregation: 'sum', ts: [0, 20, 30], values: [4, -1, 6] },
    { aggregation: 'last', ts: [0, 20, 30], values: [2, -1, 6] },
    // all four distinct; one point; first = min and max = last share a ts
    { aggregation: 'm4', ts: [1, 2, 4, 8, 20, 31, 39], values: [1, 5, -3, 2, -1, 0, 6] },
  ] as const)('$aggregation', ({ aggregation, ts, values }) => {
    expect(finish(partials, aggregation)).toEqual({ ts, values });
  });

  it.each(AGGREGATIONS.filter((a) => a !== 'lttb'))('%s of an empty range is empty', (aggregation) => {
    expect(finish([], aggregation)).toEqual({ ts: [], values: [] });
    expect(finish(partialsFromPoints([], [], M), aggregation)).toEqual({ ts: [], values: [] });
  });

  it('m4 keeps two values at one coarse rollup timestamp, min and max included', () => {
    const p = part(0, {
      min: -2,
      minTs: H,
      max: 9,
      maxTs: H,
      first: 1,
      firstTs: 0,
      last: 9,
      lastTs: H,
      count: 120,
    });
    expect(finish([p], 'm4')).toEqual({ ts: [0, H, H], values: [1, -2, 9] });
  });

  it.each([21, 22, 23])(
    "m4 holds each bucket's min and max, sorted, at most 4 per bucket (seed %i)",
    (seed) => {
      const { ts, values } = randomSeries(prng(seed), 3000, T0, 20 * S);
      const width = 5 * M;
      const out = finish(partialsFromPoints(ts, values, width), 'm4');
      const byBucket = new Map<number, { ts: number[]; values: number[] }>();
      ts.forEach((t, i) => {
        const b = Math.floor(t / width) * width;
        const e = byBucket.get(b) ?? { ts: [], values: [] };
        e.ts.push(t);
        e.values.push(values[i]!);
        byBucket.set(b, e);
      });
      for (const [b, points] of byBucket) {
        const inBucket = out.ts
          .map((t, i) => [t, out.values[i]!] as const)
          .filter(([t]) => t >= b && t < b + width);
        expect(inBucket.length).toBeGreaterThan(0);
        expect(inBucket.length).toBeLessThanOrEqual(4);
        expect(inBucket.map(([, v]) => v)).toContain(Math.min(...points.values));
        expect(inBucket.map(([, v]) => v)).toContain(Math.max(...points.values));
        // every output point is an input point
        for (const [t, v] of inBucket) expect(points.values[points.ts.indexOf(t)]).toBe(v);
      }
      expect(out.ts).toEqual([...out.ts].sort((a, b) => a - b));
      expect(new Set(out.ts).size).toBe(out.ts.length);
    },
  );
});

describe('lttb', () => {
  // worked by hand from Steinarsson's reference: every = (n-2)/(threshold-2); each bucket keeps
  // the point spanning the largest triangle with the previous pick and the next bucket's average
  const ts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const values = [0, 5, 1, 2, 8, 3, 3, 9, 0, 4];
  it.each([
    // every = 4: buckets {1..4} (avg of {5..8} = (6.5, 3.75)) → 4; {5..8} (next = (9, 4)) → 8
    { threshold: 4, want: { ts: [0, 4, 8, 9], values: [0, 8, 0, 4] } },
    // every = 8/3: {1,2} → 1; {3,4,5} → 4; {6,7,8} → 8 (area 24 beats 17 and 17)
    { threshold: 5, want: { ts: [0, 1, 4, 8, 9], values: [0, 5, 8, 0, 4] } },
    // every = 8: one bucket {1..8} against (9, 4): |4x - 9y| is 56 at (4, 8), 53 at (7, 9)
    { threshold: 3, want: { ts: [0, 4, 9], values: [0, 8, 4] } },
    { threshold: 10, want: { ts, values } },
    { threshold: 50, want: { ts, values } },
    { threshold: 2, want: { ts, values } },
    { threshold: 0, want: { ts, values } },
  ])('threshold $threshold', ({ threshold, want }) => {
    const out = lttb(ts, values, threshold);
    expect(out).toEqual(want);
    expect(out.ts).not.toBe(ts);
    expect(out.values).not.toBe(values);
  });

  it('keeps the earlier point of a bucket on equal areas, as the reference does', () => {
    // one bucket {1, 2} against (3, 0): both triangles have twice-area 3
    expect(lttb([0, 1, 2, 3], [0, 1, -1, 0], 3)).toEqual({ ts: [0, 1, 3], values: [0, 1, 0] });
  });

  it.each([31, 32, 33, 34])(
    'keeps first and last, at most threshold points, all from the input (seed %i)',
    (seed) => {
      const rnd = prng(seed);
      for (let k = 0; k < 50; k++) {
        const s = randomSeries(rnd, 3 + Math.floor(rnd() * 500), T0, 30 * S);
        const threshold = 3 + Math.floor(rnd() * 100);
        const out = lttb(s.ts, s.values, threshold);
        expect(out.ts.length).toBe(Math.min(threshold, s.ts.length));
        expect(out.ts[0]).toBe(s.ts[0]);
        expect(out.ts.at(-1)).toBe(s.ts.at(-1));
        expect(out.values[0]).toBe(s.values[0]);
        expect(out.values.at(-1)).toBe(s.values.at(-1));
        out.ts.forEach((t, i) => expect(s.values[s.ts.indexOf(t)]).toBe(out.values[i]));
        for (let i = 1; i < out.ts.length; i++) expect(out.ts[i]!).toBeGreaterThan(out.ts[i - 1]!);
      }
    },
  );

  it.each([
    { name: 'a fractional threshold', threshold: 3.5, lengths: 3, error: /threshold must be an integer/ },
    { name: 'lengths that differ', threshold: 3, lengths: 2, error: /differ in length/ },
  ])('rejects $name', ({ threshold, lengths, error }) => {
    expect(() => lttb([1, 2, 3], [1, 2, 3].slice(0, lengths), threshold)).toThrow(RangeError);
    expect(() => lttb([1, 2, 3], [1, 2, 3].slice(0, lengths), threshold)).toThrow(error);
  });
});
