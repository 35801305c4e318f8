import { describe, expect, it } from 'vitest';
import type { SendOutcome } from './channel.ts';
import { afterAttempt, type AfterAttempt, type RetryPolicy } from './retry.ts';

const policy: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 600_000, maxAttempts: 5, maxAgeMs: 3600_000 };
const refused = (error = 'ECONNREFUSED'): SendOutcome => ({ ok: false, retryable: true, error });

describe('after an attempt', () => {
  it.each<[string, SendOutcome, number, number, number, AfterAttempt]>([
    ['delivered', { ok: true, status: 200 }, 1, 0, 0.5, { status: 'delivered' }],
    ['refused for its content: dead at once', { ok: false, retryable: false, error: 'HTTP 404' }, 1, 0, 0.5, { status: 'dead', reason: 'refused: HTTP 404' }],
    ['first retry within 5 s (full jitter)', refused(), 1, 0, 0.5, { status: 'pending', nextAttemptAt: 1_000 + 2_500 }],
    ['the ceiling doubles each time', refused(), 4, 0, 1, { status: 'pending', nextAttemptAt: 1_000 + 40_000 }],
    ['never sooner than Retry-After', { ...(refused() as object), retryAfterMs: 30_000 } as SendOutcome, 1, 0, 0.1, { status: 'pending', nextAttemptAt: 1_000 + 30_000 }],
    ['too many attempts', refused(), 5, 0, 0.5, { status: 'dead', reason: 'gave up after 5 attempts: ECONNREFUSED' }],
    ['too old by the next attempt', refused(), 2, -3599_000, 1, { status: 'dead', reason: 'older than 60 min: ECONNREFUSED' }],
  ])('%s', (_name, outcome, attempts, createdAt, random, expected) => {
    expect(afterAttempt(outcome, attempts, createdAt, 1_000, policy, () => random)).toEqual(expected);
  });

  it('caps the delay', () => {
    const r = afterAttempt(refused(), 4, 0, 0, { ...policy, maxDelayMs: 7_000, maxAttempts: 99 }, () => 1);
    expect(r).toEqual({ status: 'pending', nextAttemptAt: 7_000 });
  });
});
