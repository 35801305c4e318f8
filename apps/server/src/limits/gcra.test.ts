import { describe, expect, it } from 'vitest';
import { conform, retryAfterSeconds, type Rate } from './gcra.ts';

const perMinute = (count: number, burst = count): Rate => ({ count, periodMs: 60_000, burst });

/** Requests at the given times (ms) against one bucket; '+' allowed, or the wait in ms. */
function run(rate: Rate, times: number[]): (string | number)[] {
  let tat: number | undefined;
  return times.map((t) => {
    const v = conform(tat, t, rate);
    tat = v.tat;
    return v.allowed ? '+' : v.retryAfterMs;
  });
}

describe('GCRA', () => {
  it.each<[string, Rate, number[], (string | number)[]]>([
    ['a fresh key has its whole burst', perMinute(3), [0, 0, 0], ['+', '+', '+']],
    ['past the burst: the wait for one token (60 s / 3)', perMinute(3), [0, 0, 0, 0], ['+', '+', '+', 20_000]],
    ['the wait shrinks as time passes', perMinute(3), [0, 0, 0, 5_000], ['+', '+', '+', 15_000]],
    ['one token back after one interval, not two', perMinute(3), [0, 0, 0, 20_000, 20_000], ['+', '+', '+', '+', 20_000]],
    ['refused requests cost nothing', perMinute(3), [0, 0, 0, 1, 2, 3, 20_000], ['+', '+', '+', 19_999, 19_998, 19_997, '+']],
    ['a full refill after the period', perMinute(3), [0, 0, 0, 60_000, 60_000, 60_000, 60_000], ['+', '+', '+', '+', '+', '+', 20_000]],
    ['idle far longer than the period: never more than the burst', perMinute(3), [0, 10 * 60_000, 10 * 60_000, 10 * 60_000, 10 * 60_000], ['+', '+', '+', '+', 20_000]],
    ['a steady rate at the limit is never refused', perMinute(3, 1), [0, 20_000, 40_000, 60_000, 80_000], ['+', '+', '+', '+', '+']],
    ['burst 1: a second request waits a whole interval', perMinute(6, 1), [0, 0], ['+', 10_000]],
    ['burst smaller than the rate', { count: 10, periodMs: 1_000, burst: 2 }, [0, 0, 0, 100, 100], ['+', '+', 100, '+', 100]],
    ['burst larger than the rate', { count: 1, periodMs: 1_000, burst: 5 }, [0, 0, 0, 0, 0, 0], ['+', '+', '+', '+', '+', 1_000]],
  ])('%s', (_name, rate, times, expected) => {
    expect(run(rate, times)).toEqual(expected);
  });

  it('an interval that is not a whole number of milliseconds still waits exactly', () => {
    // 7 a minute: 8571.43 ms apart; after 7 at once and 7 intervals, the bucket is full again
    const rate = perMinute(7);
    expect(run(rate, Array(8).fill(0)).at(-1)).toBeCloseTo(60_000 / 7, 6);
    expect(run(rate, [...Array(7).fill(0), ...Array(7).fill(60_000)])).toEqual(Array(14).fill('+'));
  });
});

describe('Retry-After', () => {
  it.each<[number, number]>([
    [0.001, 1],
    [999, 1],
    [1_000, 1],
    [1_000.0000001, 1], // floating-point noise is not another second
    [1_001, 2],
    [20_000, 20],
    [60_000 / 7, 9],
    [900_000, 900],
  ])('%d ms → %d s', (ms, seconds) => {
    expect(retryAfterSeconds(ms)).toBe(seconds);
  });
});
