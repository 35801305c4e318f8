// When to try again after a failed send: exponential backoff with full jitter (a fleet of agents
// that lost the server together does not come back in step), unless the server said when.

export const BACKOFF = {
  baseMs: 1000,
  capMs: 60_000,
  /** A Retry-After longer than this is read as this: a confused server must not park the agent for a day. */
  retryAfterCapMs: 300_000,
} as const;

/** Full jitter: uniform between 0 and min(cap, base · 2^attempt); attempt 0 is the first retry. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(BACKOFF.capMs, BACKOFF.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(random() * ceiling);
}

/** Retry-After in milliseconds from now: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null | undefined, now: number): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  // an HTTP date names its weekday and month; anything else that is not whole seconds is noise
  const ms = /^\d+$/.test(text) ? Number(text) * 1000 : /[A-Za-z]{3}/.test(text) ? Date.parse(text) - now : NaN;
  if (!Number.isFinite(ms)) return undefined;
  return Math.min(BACKOFF.retryAfterCapMs, Math.max(0, ms));
}

/** The wait before retry number `attempt`: the server's Retry-After when it gave one, else backoff. */
export function retryDelayMs(attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  return retryAfterMs ?? backoffMs(attempt, random);
}
