import { describe, expect, test } from 'vitest';
import type { WindowFunction } from './functions.ts';
import { WINDOW_FUNCTIONS } from './functions.ts';
import type { Points } from './windows.ts';
import { computeWindow, percentileOf, pointsInWindow } from './windows.ts';

const s = (n: number) => n * 1000;
const run = (fn: WindowFunction, points: Points, now: number, ms: number, p?: number) =>
  computeWindow(p === undefined ? { fn, ms } : { fn, ms, p }, points, now);

describe('computeWindow over [now - ms, now]', () => {
  // The first point (t=0) lies outside the 30 s window ending at 40 s; the window holds 2, 3, 4, 10.
  const points: Points = { ts: [0, s(10), s(20), s(30), s(40)], values: [1, 2, 3, 4, 10] };
  test.each<[WindowFunction, number | undefined, number?]>([
    ['last', 10],
    ['avg', 4.75],
    ['min', 2],
    ['max', 10],
    ['sum', 19],
    ['count', 4],
    ['nodata', 0],
    ['delta', 8],
    ['increase', 8],
    ['rate', 8 / 30],
    // mean 4.75; squared deviations 7.5625 + 3.0625 + 0.5625 + 27.5625 = 38.75; / 4 = 9.6875
    ['stddev', Math.sqrt(9.6875)],
    ['percentile', 3.5, 50],
    ['percentile', 8.2, 90], // rank 0.9 * 3 = 2.7: 4 + 0.7 * (10 - 4)
    ['percentile', 2, 0],
    ['percentile', 10, 100],
  ])('%s → %s', (fn, expected, p) => {
    const got = run(fn, points, s(40), s(30), p);
    expect(got).toBeDefined();
    expect(got).toBeCloseTo(expected!, 10);
  });

  test('both window edges are inclusive, later points are ignored', () => {
    const pts: Points = { ts: [s(9), s(10), s(40), s(41)], values: [100, 1, 2, 100] };
    expect(run('count', pts, s(40), s(30))).toBe(2);
    expect(run('max', pts, s(40), s(30))).toBe(2);
  });

  test('an empty window: undefined, except count 0 and nodata 1', () => {
    const empty: Points = { ts: [s(1)], values: [5] };
    for (const fn of WINDOW_FUNCTIONS) {
      const expected = fn === 'count' ? 0 : fn === 'nodata' ? 1 : undefined;
      expect(run(fn, empty, s(100), s(10), fn === 'percentile' ? 50 : undefined), fn).toBe(expected);
    }
    expect(run('avg', { ts: [], values: [] }, s(100), s(10))).toBeUndefined();
  });

  test('gaps (NaN, Infinity) are left out', () => {
    const gappy: Points = {
      ts: [s(1), s(2), s(3), s(4)],
      values: [2, Number.NaN, Number.POSITIVE_INFINITY, 4],
    };
    expect(run('count', gappy, s(4), s(10))).toBe(2);
    expect(run('avg', gappy, s(4), s(10))).toBe(3);
    expect(run('rate', gappy, s(4), s(10))).toBeCloseTo(2 / 3, 12);
    const allGaps: Points = { ts: [s(1)], values: [Number.NaN] };
    expect(run('nodata', allGaps, s(4), s(10))).toBe(1);
    expect(run('last', allGaps, s(4), s(10))).toBeUndefined();
  });

  test('rate, increase and delta need two points', () => {
    const one: Points = { ts: [s(5)], values: [7] };
    expect(run('rate', one, s(10), s(10))).toBeUndefined();
    expect(run('increase', one, s(10), s(10))).toBeUndefined();
    expect(run('delta', one, s(10), s(10))).toBeUndefined();
    expect(run('stddev', one, s(10), s(10))).toBe(0);
    expect(run('percentile', one, s(10), s(10), 99)).toBe(7);
  });

  test('a counter reset in the middle: the value before the drop is added back', () => {
    // 100 → 150 → 200 → (restart) 20 → 70: increase 50 + 50 + 20 + 50 = 170 = 70 - 100 + 200
    const counter: Points = { ts: [0, s(10), s(20), s(30), s(40)], values: [100, 150, 200, 20, 70] };
    expect(run('increase', counter, s(40), s(60))).toBe(170);
    expect(run('rate', counter, s(40), s(60))).toBeCloseTo(170 / 40, 12);
    // delta is for gauges: no reset handling
    expect(run('delta', counter, s(40), s(60))).toBe(-30);
    // a reset to exactly 0, and two resets
    const twice: Points = { ts: [0, s(1), s(2), s(3), s(4)], values: [5, 0, 3, 1, 2] };
    expect(run('increase', twice, s(4), s(10))).toBe(0 + 3 + 1 + 1);
  });

  test('pointsInWindow keeps timestamps with their values', () => {
    expect(pointsInWindow({ ts: [1, 2, 3], values: [10, Number.NaN, 30] }, 3, 2)).toEqual({
      ts: [1, 3],
      values: [10, 30],
    });
  });

  test('large windows do not overflow the stack', () => {
    const n = 300_000;
    const big: Points = {
      ts: Array.from({ length: n }, (_, i) => i),
      values: Array.from({ length: n }, (_, i) => i % 1000),
    };
    expect(run('max', big, n, n)).toBe(999);
    expect(run('min', big, n, n)).toBe(0);
  });
});

describe('percentileOf', () => {
  test('linear interpolation between closest ranks', () => {
    expect(percentileOf([1, 2, 3, 4], 25)).toBeCloseTo(1.75, 12);
    expect(percentileOf([15, 20, 35, 40, 50], 40)).toBeCloseTo(29, 12);
    expect(percentileOf([42], 73)).toBe(42);
  });
  test.each([-1, 101, Number.NaN])('p = %s is refused', (p) => {
    expect(() => percentileOf([1, 2], p)).toThrow(RangeError);
  });
});
