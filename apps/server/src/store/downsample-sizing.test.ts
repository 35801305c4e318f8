// How the range query sizes its buckets and picks its source: every aggregation stays within
// maxPoints, widths are whole and aligned, and raw, 1-minute or 1-hour data answer by width.
import { describe, expect, it } from 'vitest';
import { prng } from '@esmon/schema/testing';
import { AGGREGATIONS, bucketWidth, chooseSource, finish, lttb, partialsFromPoints, type Aggregation } from './downsample.ts';

const S = 1000;
const M = 60 * S;
const H = 60 * M;
const D = 24 * H;
const T0 = Date.UTC(2026, 0, 5); // a Monday, aligned to every width up to one day

/** Buckets of [from, to) at origin 0, edge buckets included. */
const bucketsIn = (from: number, to: number, w: number) => Math.ceil(to / w) - Math.floor(from / w);

describe('bucketWidth', () => {
  it.each([
    {
      name: 'one hour and 3 s in 400 points',
      from: T0 + 17 * M,
      to: T0 + 77 * M + 3 * S,
      maxPoints: 400,
      agg: 'avg',
      res: 1,
      want: 10 * S,
    },
    {
      name: 'six hours in 200 points',
      from: T0 + 2 * H,
      to: T0 + 8 * H,
      maxPoints: 200,
      agg: 'max',
      res: M,
      want: 2 * M,
    },
    {
      name: 'six and a half hours in 5 points',
      from: T0 + 90 * M,
      to: T0 + 8 * H,
      maxPoints: 5,
      agg: 'avg',
      res: H,
      want: 2 * H,
    },
    {
      name: 'm4: 5 points are one bucket',
      from: T0 + 90 * M,
      to: T0 + 8 * H,
      maxPoints: 5,
      agg: 'm4',
      res: H,
      want: 12 * H,
    },
    {
      name: 'm4: 400 points are 100 buckets',
      from: T0,
      to: T0 + H,
      maxPoints: 400,
      agg: 'm4',
      res: 1,
      want: M,
    },
    {
      name: 'an aligned hour in exactly 60 buckets',
      from: T0,
      to: T0 + H,
      maxPoints: 60,
      agg: 'avg',
      res: 1,
      want: M,
    },
    {
      name: 'an unaligned hour needs 61: the next step',
      from: T0 + 1,
      to: T0 + H + 1,
      maxPoints: 60,
      agg: 'avg',
      res: 1,
      want: 2 * M,
    },
    { name: 'never below 1 s', from: T0, to: T0 + 10, maxPoints: 1000, agg: 'avg', res: 1, want: S },
    {
      name: 'never below the resolution',
      from: T0,
      to: T0 + M,
      maxPoints: 1000,
      agg: 'avg',
      res: H,
      want: H,
    },
    {
      name: 'a whole multiple of the resolution',
      from: T0,
      to: T0 + 20 * M,
      maxPoints: 100,
      agg: 'avg',
      res: 2 * M,
      want: 2 * M,
    },
    { name: 'days', from: T0, to: T0 + 30 * D, maxPoints: 20, agg: 'sum', res: H, want: 2 * D },
    { name: 'weeks', from: T0, to: T0 + 100 * D, maxPoints: 10, agg: 'avg', res: H, want: 14 * D },
    { name: 'lttb like avg', from: T0, to: T0 + H, maxPoints: 60, agg: 'lttb', res: 1, want: M },
  ] as const)('$name', ({ from, to, maxPoints, agg, res, want }) => {
    expect(bucketWidth(from, to, maxPoints, agg, res)).toBe(want);
  });

  it('finds the smallest week multiple for long ranges', () => {
    const from = T0 - 3650 * D + 5 * H;
    const w = bucketWidth(from, T0, 10, 'avg');
    expect(w % (7 * D)).toBe(0);
    expect(bucketsIn(from, T0, w)).toBeLessThanOrEqual(10);
    expect(bucketsIn(from, T0, w - 7 * D)).toBeGreaterThan(10);
  });

  it.each(AGGREGATIONS)('%s: random ranges stay within maxPoints, at the smallest fitting step', (agg) => {
    const rnd = prng(41 + AGGREGATIONS.indexOf(agg));
    const ladder = [1, 2, 5, 10, 15, 30]
      .flatMap((n) => [n * S, n * M])
      .concat(
        [1, 2, 3, 6, 12].map((n) => n * H),
        [D, 2 * D],
      );
    for (let k = 0; k < 300; k++) {
      const from = T0 + Math.floor(rnd() * 30 * D) - 15 * D;
      const to = from + 1 + Math.floor(rnd() ** 3 * 60 * D);
      const maxPoints = 4 + Math.floor(rnd() * 2000);
      const res = [1, M, H][k % 3]!;
      const w = bucketWidth(from, to, maxPoints, agg, res);
      const buckets = agg === 'm4' ? Math.floor(maxPoints / 4) : maxPoints;
      expect(w % res).toBe(0);
      expect(ladder.includes(w) || w % (7 * D) === 0).toBe(true);
      expect(bucketsIn(from, to, w)).toBeLessThanOrEqual(buckets);
      for (const smaller of ladder.filter((l) => l < w && l >= res && l % res === 0)) {
        expect(bucketsIn(from, to, smaller)).toBeGreaterThan(buckets);
      }
    }
  });

  it.each(AGGREGATIONS)('%s: the whole pipeline gives at most maxPoints points', (agg) => {
    const rnd = prng(51 + AGGREGATIONS.indexOf(agg));
    for (let k = 0; k < 40; k++) {
      const from = T0 + Math.floor(rnd() * D);
      const to = from + 1 + Math.floor(rnd() * 3 * D);
      const maxPoints = 4 + Math.floor(rnd() * 300);
      // points at both ends of the range and densely between, so every bucket is filled
      const step = Math.max(1, Math.floor((to - from) / 4000));
      const ts: number[] = [];
      for (let t = from; t < to; t += step) ts.push(t);
      if (ts.at(-1) !== to - 1) ts.push(to - 1);
      const values = ts.map(() => rnd() * 20 - 10);
      const out =
        agg === 'lttb'
          ? lttb(ts, values, maxPoints)
          : finish(partialsFromPoints(ts, values, bucketWidth(from, to, maxPoints, agg)), agg);
      expect(out.ts.length).toBeLessThanOrEqual(maxPoints);
      expect(out.ts.length).toBeGreaterThan(0);
    }
  });

  it.each([
    {
      name: 'maxPoints 0',
      args: [T0, T0 + H, 0, 'avg'],
      error: /maxPoints must be a positive integer, got 0/,
    },
    {
      name: 'negative maxPoints',
      args: [T0, T0 + H, -5, 'avg'],
      error: /maxPoints must be a positive integer/,
    },
    {
      name: 'fractional maxPoints',
      args: [T0, T0 + H, 10.5, 'avg'],
      error: /maxPoints must be a positive integer/,
    },
    { name: 'm4 with maxPoints 3', args: [T0, T0 + H, 3, 'm4'], error: /m4 needs maxPoints >= 4/ },
    { name: 'an empty range', args: [T0, T0, 10, 'avg'], error: /must be after fromMs/ },
    { name: 'a reversed range', args: [T0 + 1, T0, 10, 'avg'], error: /must be after fromMs/ },
    {
      name: 'a fractional timestamp',
      args: [T0 + 0.5, T0 + H, 10, 'avg'],
      error: /fromMs must be an integer/,
    },
    {
      name: 'resolution 0',
      args: [T0, T0 + H, 10, 'avg', 0],
      error: /resolutionMs must be a positive integer/,
    },
    { name: 'one bucket across the epoch', args: [-1, 1, 1, 'avg'], error: /no bucket width fits/ },
  ] as { name: string; args: [number, number, number, Aggregation, number?]; error: RegExp }[])(
    'rejects $name',
    ({ args, error }) => {
      expect(() => bucketWidth(...args)).toThrow(RangeError);
      expect(() => bucketWidth(...args)).toThrow(error);
    },
  );
});

describe('chooseSource', () => {
  it.each([
    {
      name: '10 s buckets: raw',
      from: T0 + 17 * M,
      to: T0 + 77 * M + 3 * S,
      maxPoints: 400,
      agg: 'avg',
      want: 'raw',
    },
    { name: '30 s buckets: raw', from: T0, to: T0 + H, maxPoints: 120, agg: 'avg', want: 'raw' },
    { name: '1 min buckets: 1-minute rollups', from: T0, to: T0 + H, maxPoints: 60, agg: 'min', want: '1m' },
    {
      name: '2 min buckets: 1-minute rollups',
      from: T0 + 2 * H,
      to: T0 + 8 * H,
      maxPoints: 200,
      agg: 'max',
      want: '1m',
    },
    { name: '30 min buckets: 1-minute rollups', from: T0, to: T0 + D, maxPoints: 48, agg: 'sum', want: '1m' },
    { name: '1 h buckets: 1-hour rollups', from: T0, to: T0 + D, maxPoints: 24, agg: 'last', want: '1h' },
    {
      name: '2 h buckets: 1-hour rollups',
      from: T0 + 90 * M,
      to: T0 + 8 * H,
      maxPoints: 5,
      agg: 'avg',
      want: '1h',
    },
    {
      name: 'm4 sizes buckets for 4 points each',
      from: T0,
      to: T0 + H,
      maxPoints: 240,
      agg: 'm4',
      want: '1m',
    },
    { name: 'm4 at 10 s', from: T0, to: T0 + H, maxPoints: 1440, agg: 'm4', want: 'raw' },
    {
      name: 'lttb: 360 minutes < 4 × 200, raw',
      from: T0 + 2 * H,
      to: T0 + 8 * H,
      maxPoints: 200,
      agg: 'lttb',
      want: 'raw',
    },
    {
      name: 'lttb: 390 minutes >= 4 × 5, 1-minute',
      from: T0 + 90 * M,
      to: T0 + 8 * H,
      maxPoints: 5,
      agg: 'lttb',
      want: '1m',
    },
    {
      name: 'lttb: 720 hours >= 4 × 100, 1-hour',
      from: T0,
      to: T0 + 30 * D,
      maxPoints: 100,
      agg: 'lttb',
      want: '1h',
    },
    {
      name: 'lttb: 719 hours < 4 × 180, 1-minute',
      from: T0,
      to: T0 + 30 * D - 1,
      maxPoints: 180,
      agg: 'lttb',
      want: '1m',
    },
    { name: 'lttb: 1440 minutes >= 4 × 50', from: T0, to: T0 + D, maxPoints: 50, agg: 'lttb', want: '1m' },
    {
      name: 'lttb: sparse raw (10 min) leaves 144 rollup rows < 200',
      from: T0,
      to: T0 + D,
      maxPoints: 50,
      agg: 'lttb',
      raw: 10 * M,
      want: 'raw',
    },
  ] as {
    name: string;
    from: number;
    to: number;
    maxPoints: number;
    agg: Aggregation;
    raw?: number;
    want: string;
  }[])('$name', ({ from, to, maxPoints, agg, raw, want }) => {
    expect(chooseSource(from, to, maxPoints, agg, raw)).toBe(want);
  });

  it.each([
    { name: 'maxPoints 0', args: [T0, T0 + H, 0, 'lttb'], error: /maxPoints must be a positive integer/ },
    { name: 'an empty range', args: [T0, T0, 10, 'avg'], error: /must be after fromMs/ },
    { name: 'rawStepMs 0', args: [T0, T0 + H, 10, 'lttb', 0], error: /rawStepMs must be a positive integer/ },
    { name: 'm4 with maxPoints 2', args: [T0, T0 + H, 2, 'm4'], error: /m4 needs maxPoints >= 4/ },
  ] as { name: string; args: [number, number, number, Aggregation, number?]; error: RegExp }[])(
    'rejects $name',
    ({ args, error }) => {
      expect(() => chooseSource(...args)).toThrow(RangeError);
      expect(() => chooseSource(...args)).toThrow(error);
    },
  );
});
