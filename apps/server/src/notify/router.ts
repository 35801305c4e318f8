// From alert events to notification groups. An alert event with notify = true is the intent,
// stored by the alert writer in the transition's own statement; the router claims unrouted ones
// (FOR UPDATE SKIP LOCKED), runs each alert through the routing tree, adds it to the group of each
// channel it reaches (the group then looks at itself at once), and marks the events routed, all
// in one transaction: a crash leaves them unrouted, to be routed again.
import type { Sql, SqlRunner } from '@esmon/db';
import type { Logger } from '../log.ts';
import { readAlerts, routedAlert } from './alert-rows.ts';
import type { GroupTiming } from './group-timing.ts';
import { DEFAULT_POLICY, policySchema, route, type RouteNode } from './routing.ts';

/** The stored policy, or the default when none is stored (or it no longer reads). */
export async function loadPolicy(runner: SqlRunner, log?: Logger): Promise<RouteNode> {
  const [row] = await runner.query<{ policy: unknown }>(`SELECT policy FROM notification_policy WHERE id = 1`);
  if (!row) return DEFAULT_POLICY;
  const parsed = policySchema.safeParse(row.policy);
  if (parsed.success) return parsed.data;
  log?.error({ issues: parsed.error.issues.slice(0, 3) }, 'the stored notification policy does not read; using the default');
  return DEFAULT_POLICY;
}

export function timingOf(r: { groupWaitSeconds: number; groupIntervalSeconds: number; repeatIntervalSeconds: number; escalate: GroupTiming['escalate'] }): GroupTiming {
  return { groupWaitMs: r.groupWaitSeconds * 1000, groupIntervalMs: r.groupIntervalSeconds * 1000, repeatIntervalMs: r.repeatIntervalSeconds * 1000, escalate: r.escalate };
}

/** Routes up to `batch` events; resolves with how many. */
export async function routeEvents(sql: Sql, now: number, log: Logger, batch = 500): Promise<number> {
  return sql.transaction(async (tx) => {
    const events = await tx.query<{ id: number; alert_id: number }>(
      `SELECT id, alert_id FROM alert_events WHERE notify AND routed_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [batch],
    );
    if (events.length === 0) return 0;
    const policy = await loadPolicy(tx, log);
    const channels = new Map(
      (await tx.query<{ id: number; name: string }>(`SELECT id, name FROM notification_channels`)).map((c) => [c.name, c.id]),
    );
    const alerts = await readAlerts(tx, [...new Set(events.map((e) => e.alert_id))]);
    const at = new Date(now);
    for (const alert of alerts) {
      for (const r of route(policy, routedAlert(alert))) {
        for (const name of r.channels) {
          const channelId = channels.get(name);
          if (channelId === undefined) continue; // a policy may name a channel not made yet (the seed's "email")
          await tx.query(
            `INSERT INTO notification_groups (channel_id, group_key, group_labels, timing, alert_ids, created_at, wake_at)
             VALUES ($1, $2, $3::jsonb, $4::jsonb, ARRAY[$5::int], $6, $6)
             ON CONFLICT (channel_id, group_key) DO UPDATE
               SET alert_ids = CASE WHEN $5::int = ANY(notification_groups.alert_ids) THEN notification_groups.alert_ids
                                    ELSE array_append(notification_groups.alert_ids, $5::int) END,
                   timing = EXCLUDED.timing, wake_at = $6`,
            [channelId, r.groupKey, JSON.stringify(r.groupLabels), JSON.stringify(timingOf(r)), alert.id, at],
          );
        }
      }
    }
    await tx.query(`UPDATE alert_events SET routed_at = $2 WHERE id = ANY($1::int[])`, [events.map((e) => e.id), at]);
    return events.length;
  });
}
