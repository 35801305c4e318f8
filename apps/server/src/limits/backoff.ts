// Login back-off arithmetic: after `after` failures in a row, every further failure locks the key
// for twice as long as the one before (1 s, 2 s, 4 s … up to `maxMs`). Pure: clock passed in.

export interface BackoffPolicy {
  /** failures allowed before the first lock */
  after: number;
  /** the first lock */
  baseMs: number;
  /** no lock is longer */
  maxMs: number;
  /** a record is forgotten this long after its lock ends (so a slow guesser still climbs) */
  forgetMs: number;
}

export interface FailureRecord {
  failures: number;
  /** 0 while below `after` */
  lockedUntil: number;
}

/** The lock after the `failures`-th failure in a row, in ms (0: none yet). */
export function lockMs(failures: number, policy: BackoffPolicy): number {
  if (failures < policy.after) return 0;
  // 2^(failures - after), without overflowing to Infinity for a long-running guesser
  const doublings = Math.min(failures - policy.after, 52);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** doublings);
}

/** The record after one more failure at `now`. */
export function recordFailure(prev: FailureRecord | undefined, now: number, policy: BackoffPolicy): FailureRecord {
  const failures = (prev?.failures ?? 0) + 1;
  const lock = lockMs(failures, policy);
  return { failures, lockedUntil: lock > 0 ? now + lock : 0 };
}

/** How long the key stays locked from `now`, in ms (0: an attempt may be checked). */
export function lockRemainingMs(record: FailureRecord | undefined, now: number): number {
  return record ? Math.max(0, record.lockedUntil - now) : 0;
}

/** When the record may be dropped: nothing would change if the key were never seen again. */
export function forgetAt(record: FailureRecord, now: number, policy: BackoffPolicy): number {
  return Math.max(record.lockedUntil, now) + policy.forgetMs;
}
