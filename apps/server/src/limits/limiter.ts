// One named rate limit: GCRA over a state store, per key (a client address, a key, an account).
// A refused request answers with a Refusal: what was limited, when to retry, in words.
import { conform, retryAfterSeconds, type Rate } from './gcra.ts';
import type { StateStore } from './state-store.ts';

/** A rate as configured (`30/1m`, `100/1s burst 20`); null: no limit. */
export interface RateSetting extends Rate {
  /** as written in the configuration, for messages */
  text: string;
}

/** Why a request was not served. Sent as code RATE_LIMITED with a Retry-After of `retryAfterSeconds`. */
export interface Refusal {
  /** which limit, e.g. `login-address` */
  limit: string;
  /** whole seconds, at least 1 */
  retryAfterSeconds: number;
  message: string;
}

/** Counts one request for `key`; the wait in ms when it is over the limit, else 0. */
export type RateLimiter = (key: string) => Promise<number>;

export interface RateLimiterOptions {
  rate: RateSetting | null;
  store: StateStore<number>;
  now: () => number;
}

export function createRateLimiter({ rate, store, now }: RateLimiterOptions): RateLimiter {
  if (!rate) return async () => 0;
  return (key) => {
    const at = now();
    return store.update(key, at, (tat) => {
      const v = conform(tat, at, rate);
      // a full bucket (TAT in the past) is the same as no state: it expires at its TAT
      return v.allowed ? { state: v.tat, expiresAt: v.tat, result: 0 } : { state: tat, expiresAt: tat ?? at, result: v.retryAfterMs };
    });
  };
}

/** A refusal saying what was limited and when to come back. */
export function refusal(limit: string, waitMs: number, what: string): Refusal {
  const seconds = retryAfterSeconds(waitMs);
  return { limit, retryAfterSeconds: seconds, message: `${what}; retry in ${seconds} s` };
}
