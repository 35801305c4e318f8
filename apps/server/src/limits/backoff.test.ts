import { describe, expect, it } from 'vitest';
import { forgetAt, lockMs, lockRemainingMs, recordFailure, type BackoffPolicy, type FailureRecord } from './backoff.ts';

const policy: BackoffPolicy = { after: 5, baseMs: 1_000, maxMs: 15 * 60_000, forgetMs: 86_400_000 };

describe('login back-off', () => {
  it.each<[number, number]>([
    [1, 0],
    [4, 0],
    [5, 1_000],
    [6, 2_000],
    [7, 4_000],
    [14, 512_000],
    [15, 900_000], // 1024 s, capped at 15 min
    [16, 900_000],
    [10_000, 900_000], // no overflow for a guesser that never stops
  ])('failure %d locks for %d ms', (failures, ms) => {
    expect(lockMs(failures, policy)).toBe(ms);
  });

  it('counts failures in a row and locks from the moment of the failure', () => {
    let record: FailureRecord | undefined;
    const seen: [number, number][] = [];
    for (let i = 1; i <= 7; i++) {
      record = recordFailure(record, i * 100_000, policy);
      seen.push([record.failures, lockRemainingMs(record, i * 100_000)]);
    }
    expect(seen).toEqual([[1, 0], [2, 0], [3, 0], [4, 0], [5, 1_000], [6, 2_000], [7, 4_000]]);
    expect(lockRemainingMs(record, 700_000 + 3_999)).toBe(1);
    expect(lockRemainingMs(record, 700_000 + 4_000)).toBe(0);
    expect(lockRemainingMs(undefined, 0)).toBe(0);
  });

  it('a record is kept until a day after its lock ends', () => {
    expect(forgetAt({ failures: 2, lockedUntil: 0 }, 5_000, policy)).toBe(5_000 + 86_400_000);
    expect(forgetAt({ failures: 9, lockedUntil: 20_000 }, 5_000, policy)).toBe(20_000 + 86_400_000);
  });
});
