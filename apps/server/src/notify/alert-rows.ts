// Alerts as notifications see them: read from the database in their current state (a message
// says what is true when it is made, not what was true when the event came), turned into the
// NotifiedAlert of a Notification, the RoutedAlert of the routing tree, and a group's digest.
import type { SqlRunner } from '@esmon/db';
import type { NotifiedAlert, Severity } from './channel.ts';
import type { RoutedAlert } from './routing.ts';

export interface AlertRow {
  id: number;
  fingerprint: string;
  rule_id: number;
  rule: string;
  hostname: string | null;
  labels: Record<string, string>;
  state: 'ok' | 'pending' | 'firing' | 'resolved' | 'nodata' | 'stale';
  severity: Severity | null;
  value: number | null;
  started_at: Date;
  fired_at: Date | null;
  resolved_at: Date | null;
  acknowledged_at: Date | null;
  annotations: Record<string, string>;
}

export async function readAlerts(runner: SqlRunner, ids: readonly number[]): Promise<AlertRow[]> {
  if (ids.length === 0) return [];
  return runner.query<AlertRow>(
    `SELECT a.id, a.fingerprint, a.rule_id, r.name AS rule, h.hostname, a.labels, a.state::text AS state, a.severity::text AS severity,
            a.value, a.started_at, a.fired_at, a.resolved_at, a.acknowledged_at, a.annotations
     FROM alerts a JOIN rules r ON r.id = a.rule_id LEFT JOIN hosts h ON h.id = a.host_id
     WHERE a.id = ANY($1::int[]) ORDER BY a.id`,
    [ids],
  );
}

/** An alert still wants attention (no data and stale included); ok and resolved do not. */
export const isFiring = (a: AlertRow) => a.state !== 'ok' && a.state !== 'resolved';

export function routedAlert(a: AlertRow): RoutedAlert {
  return { severity: isFiring(a) ? a.severity : null, rule: a.rule, hostname: a.hostname, labels: a.labels };
}

export function notifiedAlert(a: AlertRow, workbenchUrl: string): NotifiedAlert {
  const firing = isFiring(a);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : undefined);
  return {
    id: String(a.id),
    fingerprint: a.fingerprint,
    rule: { id: String(a.rule_id), name: a.rule },
    hostname: a.hostname,
    state: firing ? 'firing' : 'resolved',
    severity: firing ? a.severity : null,
    value: a.value,
    since: iso(a.fired_at ?? a.started_at)!,
    ...(firing ? {} : { resolvedAt: iso(a.resolved_at) ?? new Date().toISOString() }),
    labels: a.labels,
    ...(a.annotations.summary ? { summary: a.annotations.summary } : {}),
    ...(a.annotations.description ? { description: a.annotations.description } : {}),
    links: {
      alert: `${workbenchUrl}/alerts/${a.id}`,
      acknowledge: `${workbenchUrl}/alerts/${a.id}?action=acknowledge`,
      silence: `${workbenchUrl}/silences/new?alert=${a.id}`,
    },
  };
}

/** What a message about these alerts would say, as one comparable string. */
export function digestOf(alerts: readonly AlertRow[]): string {
  return alerts
    .map((a) => `${a.id}:${isFiring(a) ? `firing/${a.severity ?? ''}` : 'resolved'}`)
    .sort()
    .join(',');
}

const RANK: Record<Severity, number> = { warning: 1, critical: 2, very_critical: 3 };

export function highestSeverity(alerts: readonly AlertRow[]): Severity | null {
  let best: Severity | null = null;
  for (const a of alerts) if (isFiring(a) && a.severity && (!best || RANK[a.severity] > RANK[best])) best = a.severity;
  return best;
}
