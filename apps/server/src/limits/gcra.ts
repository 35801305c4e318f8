// The rate limit's arithmetic: GCRA (the generic cell rate algorithm), a token bucket kept as one
// number per key, the theoretical arrival time (TAT). Pure: the clock and the state are passed in.

/** At most `burst` requests at once, refilled at `count` per `periodMs`. */
export interface Rate {
  count: number;
  periodMs: number;
  burst: number;
}

export type Verdict =
  | { allowed: true; /** the key's new TAT: its bucket is full again then */ tat: number }
  | { allowed: false; /** unchanged: a refused request costs nothing */ tat: number | undefined; retryAfterMs: number };

/** Floating-point slack: 60000/7 ms intervals must not turn an exact wait into one more second. */
const EPSILON_MS = 1e-6;

/**
 * One request at `now` against a bucket last left at `tat` (undefined: never seen, or full).
 * Allowed while the bucket holds a token; a refused request leaves the state as it was and says
 * how long until the next token.
 */
export function conform(tat: number | undefined, now: number, rate: Rate): Verdict {
  const interval = rate.periodMs / rate.count;
  const next = Math.max(tat ?? now, now) + interval;
  const over = next - now - rate.burst * interval;
  if (over > EPSILON_MS) return { allowed: false, tat, retryAfterMs: over };
  return { allowed: true, tat: next };
}

/** Retry-After in whole seconds, never 0 (a client told 0 comes straight back). */
export function retryAfterSeconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000 - EPSILON_MS / 1000));
}
