// What notification templates can read: a notification flattened into plain data with the names
// the default templates and the template editor use. One place, so every channel's templates see
// the same names, and the preview can list them.
import type { Notification, NotifiedAlert, Severity } from './channel.ts';

const SEVERITY_LABEL: Record<Severity, string> = { warning: 'WARNING', critical: 'CRITICAL', very_critical: 'VERY CRITICAL' };

export function severityLabel(s: Severity | null): string {
  return s ? SEVERITY_LABEL[s] : 'RESOLVED';
}

function alertData(a: NotifiedAlert) {
  return {
    id: a.id,
    rule: a.rule.name,
    ruleId: a.rule.id,
    host: a.hostname ?? '',
    state: a.state,
    firing: a.state === 'firing',
    resolved: a.state === 'resolved',
    severity: a.severity ?? '',
    severityLabel: a.state === 'resolved' ? 'RESOLVED' : severityLabel(a.severity),
    value: a.value === null ? '' : String(Math.round(a.value * 1000) / 1000),
    since: a.since,
    resolvedAt: a.resolvedAt ?? '',
    labels: a.labels,
    labelList: Object.entries(a.labels).map(([name, value]) => ({ name, value })),
    summary: a.summary ?? '',
    description: a.description ?? '',
    links: a.links,
  };
}

/** The data every template renders with. */
export function templateData(n: Notification) {
  const alerts = n.alerts.map(alertData);
  return {
    id: n.id,
    kind: n.kind,
    title: n.title,
    severity: n.severity ?? '',
    severityLabel: severityLabel(n.severity),
    at: n.at,
    workbenchUrl: n.workbenchUrl,
    groupLabels: n.groupLabels,
    groupLabelList: Object.entries(n.groupLabels).map(([name, value]) => ({ name, value })),
    alerts,
    firing: alerts.filter((a) => a.firing),
    resolved: alerts.filter((a) => a.resolved),
    count: alerts.length,
    firingCount: alerts.filter((a) => a.firing).length,
    resolvedCount: alerts.filter((a) => a.resolved).length,
    isTest: n.kind === 'test',
  };
}

export type TemplateData = ReturnType<typeof templateData>;

/** "[CRITICAL] CPU high on web-01 (+2 more)"; "[RESOLVED] …" when nothing fires. */
export function notificationTitle(severity: Severity | null, alerts: readonly NotifiedAlert[]): string {
  const first = alerts.find((a) => a.state === 'firing') ?? alerts[0];
  if (!first) return `[${severityLabel(severity)}] no alerts`;
  const where = first.hostname ? ` on ${first.hostname}` : '';
  const more = alerts.length > 1 ? ` (+${alerts.length - 1} more)` : '';
  return `[${severityLabel(severity)}] ${first.rule.name}${where}${more}`;
}

/** A realistic notification for `testChannel` and previews: two alerts of one rule, one resolved. */
export function sampleNotification(workbenchUrl: string, now = new Date()): Notification {
  const link = (id: string) => ({
    alert: `${workbenchUrl}/alerts/${id}`,
    acknowledge: `${workbenchUrl}/alerts/${id}?action=acknowledge`,
    silence: `${workbenchUrl}/silences/new?alert=${id}`,
  });
  const since = new Date(now.getTime() - 12 * 60_000).toISOString();
  const alerts: NotifiedAlert[] = [
    {
      id: 'test-1',
      fingerprint: 'test-1',
      rule: { id: '0', name: 'Maximo JVM heap high (test)' },
      hostname: 'maximo-app-01',
      state: 'firing',
      severity: 'critical',
      value: 93.4,
      since,
      labels: { env: 'prod', app: 'maximo' },
      summary: 'Heap at 93.4 % on maximo-app-01',
      links: link('test-1'),
    },
    {
      id: 'test-2',
      fingerprint: 'test-2',
      rule: { id: '0', name: 'Maximo JVM heap high (test)' },
      hostname: 'maximo-app-02',
      state: 'resolved',
      severity: null,
      value: 61.2,
      since,
      resolvedAt: now.toISOString(),
      labels: { env: 'prod', app: 'maximo' },
      summary: 'Heap back to 61.2 % on maximo-app-02',
      links: link('test-2'),
    },
  ];
  return {
    id: `test-${now.getTime()}`,
    kind: 'test',
    severity: 'critical',
    groupLabels: { rule: 'Maximo JVM heap high (test)' },
    alerts,
    title: `[TEST] ${notificationTitle('critical', alerts)}`,
    at: now.toISOString(),
    workbenchUrl,
  };
}
