// Host liveness: a host is online while samples or heartbeats arrive; a periodic sweep marks it
// offline after `offlineAfterMs` of silence and publishes the change.
import type { Sql } from '@esmon/db';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import { markOfflineHosts } from '../store/hosts.ts';

export interface LivenessOptions {
  sql: Sql;
  bus: EventBus;
  log: Logger;
  offlineAfterMs: number;
  now?: () => Date;
}

/** One sweep; exported for tests, which pass their own clock. */
export async function sweepLiveness({ sql, bus, offlineAfterMs, now = () => new Date() }: Omit<LivenessOptions, 'log'>) {
  const at = now();
  const gone = await markOfflineHosts(sql, at, offlineAfterMs);
  for (const host of gone) {
    bus.publish('hostStatusChanged', { hostId: host.id, hostname: host.hostname, status: 'offline', previous: 'online', at });
  }
  return gone;
}

/** Sweeps every quarter of the timeout (at most every 5 s); returns the stop function. */
export function startLiveness(options: LivenessOptions): () => void {
  const every = Math.min(5000, Math.max(250, options.offlineAfterMs / 4));
  const timer = setInterval(() => {
    sweepLiveness(options).catch((err: unknown) => options.log.warn({ err }, 'liveness sweep failed'));
  }, every);
  timer.unref();
  return () => clearInterval(timer);
}
