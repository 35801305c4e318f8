// The notification pipeline in one place for main.ts: each dispatcher round routes new alert
// events into groups, lets due groups speak into the outbox, then sends what is due; a notifying
// alert event wakes it at once. A fresh install gets the seed's "log" channel, which the default
// policy sends every alert to.
import type { Sql } from '@esmon/db';
import type { EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import { speakGroups } from './groups.ts';
import { createOutbox, type Outbox, type OutboxOptions } from './outbox.ts';
import { routeEvents } from './router.ts';
import type { NotifyServices } from './services.ts';

export function createNotificationPipeline(options: { sql: Sql; notify: NotifyServices; log: Logger } & Partial<OutboxOptions>): Outbox {
  const { sql, notify, log } = options;
  return createOutbox({
    ...options,
    prepare: async (now) => {
      await routeEvents(sql, now, log);
      await speakGroups(sql, now, notify.publicUrl());
    },
  });
}

/** Wakes the dispatcher on every alert event that notifies; returns the unsubscribe. */
export function wakeOnAlertEvents(bus: EventBus, outbox: Outbox): () => void {
  const iterator = bus.subscribe('alertEvents')[Symbol.asyncIterator]();
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const next = await iterator.next();
      if (next.done) return;
      if (next.value.notify) outbox.wake();
    }
  })();
  return () => {
    stopped = true;
    void iterator.return?.();
  };
}

/** The seed's log channel, made while no channel exists (a fresh install). */
export async function ensureDefaultChannels(sql: Sql): Promise<string[]> {
  const [{ n }] = (await sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM notification_channels`)) as [{ n: number }];
  const [{ seeded }] = (await sql.query<{ seeded: boolean }>(`SELECT EXISTS (SELECT 1 FROM notification_policy) AS seeded`)) as [{ seeded: boolean }];
  if (n > 0 || seeded) return [];
  await sql.query(`INSERT INTO notification_channels (name, type, config, templates, updated_at) VALUES ('log', 'log', '{}', '{}', now()) ON CONFLICT (name) DO NOTHING`);
  return ['log'];
}
