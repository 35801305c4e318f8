// The body a webhook receives: a versioned JSON document. Its field names are a promise to the
// scripts and services that read it, so it is spelled out here field by field rather than being
// whatever the Notification type holds today: fields may be added within version 1, never renamed
// or removed; that takes version 2.
//
// Version 1:
// {
//   "version": 1,
//   "id": "…",               the notification's id: the same on every retry (also X-Esmon-Notification)
//   "kind": "firing" | "resolved" | "renotify" | "escalation" | "test",
//   "title": "[CRITICAL] CPU high on web-01 (+2 more)",
//   "severity": "warning" | "critical" | "very_critical" | null,   null when no alert fires
//   "groupLabels": { "<name>": "<value>" },                        what the group is formed on
//   "at": "2026-11-24T09:00:00.000Z",                              when the notification was made
//   "alerts": [{
//     "id": "…", "fingerprint": "…",
//     "rule": { "id": "…", "name": "…" },
//     "hostname": "web-01" | null,
//     "state": "firing" | "resolved",
//     "severity": "warning" | "critical" | "very_critical" | null,
//     "value": 93.4 | null,
//     "since": ISO 8601, "resolvedAt": ISO 8601 | null,
//     "labels": { "<name>": "<value>" },
//     "summary": "…" | null, "description": "…" | null,
//     "links": { "alert": URL, "acknowledge": URL, "silence": URL }
//   }]
// }
import type { Notification, NotifiedAlert } from '../../channel.ts';

export const WEBHOOK_VERSION = 1;

function alertDocument(a: NotifiedAlert) {
  return {
    id: a.id,
    fingerprint: a.fingerprint,
    rule: { id: a.rule.id, name: a.rule.name },
    hostname: a.hostname,
    state: a.state,
    severity: a.severity,
    value: a.value,
    since: a.since,
    resolvedAt: a.resolvedAt ?? null,
    labels: { ...a.labels },
    summary: a.summary ?? null,
    description: a.description ?? null,
    links: { alert: a.links.alert, acknowledge: a.links.acknowledge, silence: a.links.silence },
  };
}

export function webhookDocument(n: Notification) {
  return {
    version: WEBHOOK_VERSION,
    id: n.id,
    kind: n.kind,
    title: n.title,
    severity: n.severity,
    groupLabels: { ...n.groupLabels },
    at: n.at,
    alerts: n.alerts.map(alertDocument),
  };
}

export type WebhookDocument = ReturnType<typeof webhookDocument>;
