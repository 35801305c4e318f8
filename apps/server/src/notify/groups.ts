// From notification groups to deliveries. Each group due to look at itself (wake_at passed) is
// claimed (FOR UPDATE SKIP LOCKED), its alerts read as they are now, and group-timing decides:
// a message to the group's channel (firing, resolved or renotify), escalation messages to the
// channels of the steps now due, or nothing until the next wake. The message is enqueued in the
// same transaction that records it was said: it is in the outbox exactly when the group thinks so.
import type { Sql } from '@esmon/db';
import { digestOf, highestSeverity, isFiring, notifiedAlert, readAlerts, type AlertRow } from './alert-rows.ts';
import type { Notification, NotificationKind } from './channel.ts';
import { decide, earliest, escalationsDue, type GroupMemory, type GroupTiming } from './group-timing.ts';
import { enqueue } from './outbox.ts';
import { notificationTitle } from './template-data.ts';

interface GroupRow {
  id: number;
  channel_id: number;
  group_labels: Record<string, string>;
  timing: GroupTiming;
  alert_ids: number[];
  created_at: Date;
  firing_since: Date | null;
  last_sent_at: Date | null;
  last_sent_digest: string | null;
  escalated: number[];
}

const ms = (d: Date | null) => (d ? new Date(d).getTime() : undefined);

function message(kind: NotificationKind, alerts: AlertRow[], groupLabels: Record<string, string>, workbenchUrl: string, now: number): Omit<Notification, 'id'> {
  const notified = alerts.map((a) => notifiedAlert(a, workbenchUrl));
  const severity = highestSeverity(alerts);
  return { kind, severity, groupLabels, alerts: notified, title: notificationTitle(severity, notified), at: new Date(now).toISOString(), workbenchUrl };
}

/** Looks at up to `batch` due groups; resolves with how many messages were enqueued. */
export async function speakGroups(sql: Sql, now: number, workbenchUrl: string, batch = 100): Promise<number> {
  return sql.transaction(async (tx) => {
    const at = new Date(now);
    const groups = await tx.query<GroupRow>(
      `SELECT id, channel_id, group_labels, timing, alert_ids, created_at, firing_since, last_sent_at, last_sent_digest, escalated
       FROM notification_groups WHERE wake_at <= $1 ORDER BY wake_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [at, batch],
    );
    if (groups.length === 0) return 0;
    let enqueued = 0;
    const escalationChannels = new Map(
      (await tx.query<{ id: number; name: string }>(`SELECT id, name FROM notification_channels`)).map((c) => [c.name, c.id]),
    );
    for (const g of groups) {
      const alerts = await readAlerts(tx, g.alert_ids ?? []);
      const firing = alerts.filter(isFiring);
      const view = { digest: digestOf(alerts), firing: firing.length, acknowledged: firing.length > 0 && firing.every((a) => a.acknowledged_at !== null) };
      const firingSince = firing.length === 0 ? undefined : (ms(g.firing_since) ?? now);
      const memory: GroupMemory = {
        createdAt: ms(g.created_at)!,
        ...(firingSince !== undefined ? { firingSince } : {}),
        ...(g.last_sent_at ? { lastSentAt: ms(g.last_sent_at)!, lastSentDigest: g.last_sent_digest ?? '' } : {}),
        escalated: g.escalated ?? [],
      };
      const d = decide(memory, view, g.timing, now);
      const esc = escalationsDue(memory, view, g.timing, now);
      if (!d.send && d.done) {
        await tx.query(`DELETE FROM notification_groups WHERE id = $1`, [g.id]);
        continue;
      }
      let kept = g.alert_ids ?? [];
      let sentAt = g.last_sent_at;
      let sentDigest = g.last_sent_digest;
      if (d.send) {
        await enqueue(tx, g.channel_id, message(d.send, alerts, g.group_labels, workbenchUrl, now), now);
        enqueued++;
        // what resolved has been said: it leaves the group, whose next message is about the rest
        kept = firing.map((a) => a.id);
        sentAt = at;
        sentDigest = digestOf(firing);
      }
      for (const i of esc.due) {
        for (const name of g.timing.escalate[i]!.channels) {
          const channelId = escalationChannels.get(name);
          if (channelId === undefined) continue;
          await enqueue(tx, channelId, message('escalation', firing, g.group_labels, workbenchUrl, now), now);
          enqueued++;
        }
      }
      if (d.send && kept.length === 0) {
        await tx.query(`DELETE FROM notification_groups WHERE id = $1`, [g.id]);
        continue;
      }
      // after a message, the next look is when a repeat or an escalation falls due
      const next = d.send ? decide({ ...memory, lastSentAt: now, lastSentDigest: sentDigest! }, { ...view, digest: sentDigest! }, g.timing, now).wakeAt : d.wakeAt;
      await tx.query(
        `UPDATE notification_groups SET alert_ids = $2::int[], firing_since = $3, last_sent_at = $4, last_sent_digest = $5,
                escalated = $6::int[], wake_at = $7 WHERE id = $1`,
        [g.id, kept, firingSince !== undefined ? new Date(firingSince) : null, sentAt, sentDigest, [...(g.escalated ?? []), ...esc.due], ((w) => (w === undefined ? null : new Date(w)))(earliest(next, esc.wakeAt))],
      );
    }
    return enqueued;
  });
}
