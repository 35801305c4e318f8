// The retry schedule as a pure function: the random number is handed in, no clock is read.
import { describe, expect, it } from 'vitest';
import { backoffMs, parseRetryAfter, retryDelayMs } from './backoff.ts';

describe('the retry schedule', () => {
  // [attempt, random, expected ms]: full jitter, uniform in [0, min(60 s, 1 s · 2^attempt)]
  it.each([
    [0, 0.5, 500],
    [0, 0.999, 999],
    [3, 0.5, 4000],
    [3, 0, 0],
    [5, 1, 32_000],
    [6, 1, 60_000],
    [20, 0.5, 30_000],
    [5000, 1, 60_000],
  ])('attempt %i with random %d waits %i ms', (attempt, random, expected) => {
    expect(backoffMs(attempt, () => random)).toBe(expected);
  });

  const now = Date.parse('2026-11-20T12:00:00Z');
  it.each<[string | undefined, number | undefined]>([
    ['7', 7000],
    [' 0 ', 0],
    ['Fri, 20 Nov 2026 12:00:30 GMT', 30_000],
    ['Fri, 20 Nov 2026 11:00:00 GMT', 0],
    ['86400', 300_000],
    ['soon', undefined],
    ['-5', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('reads Retry-After %j as %j ms', (header, expected) => {
    expect(parseRetryAfter(header, now)).toBe(expected);
  });

  it('waits what the server asked for, else backs off', () => {
    expect(retryDelayMs(4, 5000, () => 1)).toBe(5000);
    expect(retryDelayMs(4, 0, () => 1)).toBe(0);
    expect(retryDelayMs(4, undefined, () => 1)).toBe(16_000);
  });
});
