// What happens to a delivery after an attempt: delivered, tried again later (exponential backoff
// with full jitter, never sooner than the receiver's Retry-After), or dead-lettered (refused for
// its content, too many attempts, or too old). Pure; the randomness is given.
import type { SendOutcome } from './channel.ts';

export interface RetryPolicy {
  /** the first retry's ceiling; each next one doubles it */
  baseDelayMs: number;
  maxDelayMs: number;
  /** attempts after which a delivery is dead */
  maxAttempts: number;
  /** a delivery older than this is dead rather than sent late */
  maxAgeMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseDelayMs: 5_000, maxDelayMs: 10 * 60_000, maxAttempts: 20, maxAgeMs: 24 * 3600_000 };

export type AfterAttempt =
  | { status: 'delivered' }
  | { status: 'pending'; nextAttemptAt: number }
  | { status: 'dead'; reason: string };

export function afterAttempt(outcome: SendOutcome, attempts: number, createdAt: number, now: number, policy: RetryPolicy, random: () => number = Math.random): AfterAttempt {
  if (outcome.ok) return { status: 'delivered' };
  if (!outcome.retryable) return { status: 'dead', reason: `refused: ${outcome.error}` };
  if (attempts >= policy.maxAttempts) return { status: 'dead', reason: `gave up after ${attempts} attempts: ${outcome.error}` };
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(30, attempts - 1));
  const delay = Math.max(outcome.retryAfterMs ?? 0, Math.round(random() * ceiling));
  if (now + delay - createdAt > policy.maxAgeMs) return { status: 'dead', reason: `older than ${Math.round(policy.maxAgeMs / 60_000)} min: ${outcome.error}` };
  return { status: 'pending', nextAttemptAt: now + delay };
}
