// Host liveness: a host is online while samples or heartbeats arrive; a periodic sweep calls it
// stale after `staleAfterMs` of silence and offline after `offlineAfterMs`, publishing each change.
import type { Sql } from '@esmon/db';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import { markSilentHosts } from '../store/hosts.ts';

export interface LivenessOptions {
  sql: Sql;
  bus: EventBus;
  log: Logger;
  /** silence before an online host is stale (at least offlineAfterMs: never stale) */
  staleAfterMs: number;
  offlineAfterMs: number;
  now?: () => Date;
}

/** One sweep; exported for tests, which pass their own clock. */
export async function sweepLiveness({ sql, bus, staleAfterMs, offlineAfterMs, now = () => new Date() }: Omit<LivenessOptions, 'log'>) {
  const at = now();
  const changed = await markSilentHosts(sql, at, staleAfterMs, offlineAfterMs);
  for (const host of changed) {
    bus.publish('hostStatusChanged', { hostId: host.id, hostname: host.hostname, status: host.status, previous: host.previous, at });
  }
  return changed;
}

/** Sweeps every quarter of the shorter timeout (at most every 5 s); returns the stop function. */
export function startLiveness(options: LivenessOptions): () => void {
  const every = Math.min(5000, Math.max(250, Math.min(options.staleAfterMs, options.offlineAfterMs) / 4));
  const timer = setInterval(() => {
    sweepLiveness(options).catch((err: unknown) => options.log.warn({ err }, 'liveness sweep failed'));
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}
