import { describe, expect, test } from 'vitest';
import {
  durationProblem,
  findFunction,
  FUNCTIONS,
  isWindowFunction,
  MAX_WINDOW_MS,
  parseDuration,
  SCALAR_FUNCTIONS,
  signatureOf,
  WINDOW_FUNCTIONS,
} from './functions.ts';

describe('the catalogue', () => {
  test('every window and scalar function has exactly one entry with a doc line', () => {
    expect(FUNCTIONS.map((f) => f.name).sort()).toEqual([...WINDOW_FUNCTIONS, ...SCALAR_FUNCTIONS].sort());
    for (const f of FUNCTIONS) expect(f.doc, f.name).toMatch(/^[A-Z].+\.$/);
  });
  test('window functions take a metric and a window first', () => {
    for (const name of WINDOW_FUNCTIONS) {
      const f = findFunction(name)!;
      expect(f.kind).toBe('window');
      expect(f.params.slice(0, 2).map((p) => p.type)).toEqual(['metric', 'duration']);
    }
    expect(findFunction('nodata')!.returns).toBe('boolean');
    expect(findFunction('avg')!.returns).toBe('number');
  });
  test('signatures for hover help', () => {
    expect(signatureOf(findFunction('percentile')!)).toBe('percentile(metric, window, p) → number');
    expect(signatureOf(findFunction('round')!)).toBe('round(x, digits?) → number');
  });
  test('names inherited from Object.prototype are not functions', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(findFunction(name), name).toBeUndefined();
      expect(isWindowFunction(name)).toBe(false);
    }
  });
});

describe('durations', () => {
  test.each([
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['1w', 604_800_000],
    ['1h30m', 5_400_000],
    ['1d2h3m4s', 93_784_000],
    ['90s', 90_000],
  ])('%s = %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
    expect(durationProblem(text)).toBeUndefined();
  });
  test.each([
    ['', /is not a duration/],
    ['5', /is not a duration/],
    ['m', /is not a duration/],
    ['5 m', /is not a duration/],
    ['5M', /is not a duration/],
    ['1.5h', /is not a duration/],
    ['-5m', /is not a duration/],
    ['5m1h', /is not a duration/],
    ['5ms', /is not a duration/],
    ['0s', /longer than 0s/],
    ['32d', /at most 31d/],
    ['99999999999999999999d', /at most 31d/],
  ])('%j is refused', (text, problem) => {
    expect(durationProblem(text)).toMatch(problem);
    expect(parseDuration(text)).toBeUndefined();
  });
  test('the longest window is accepted', () => {
    expect(parseDuration('31d')).toBe(MAX_WINDOW_MS);
  });
});
