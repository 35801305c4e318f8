// The alerts pages' GraphQL operations and the shapes they answer. Mutations ask for the alert's
// fields and history again, so graphcache updates every view showing it.

const ALERT_FIELDS = `
  id state severity value open acknowledged acknowledgedAt acknowledgedBy ackComment
  startedAt firedAt resolvedAt flapping suppressed fingerprint labels version
  rule { id name }
  host { id hostname }
`;

const EVENT_FIELDS = `id alertId at kind fromState toState fromSeverity severity value message user mutedBy notify`;

export interface AlertRow {
  id: string;
  state: string;
  severity: string | null;
  value: number | null;
  open: boolean;
  acknowledged: boolean;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  ackComment: string | null;
  startedAt: string;
  firedAt: string | null;
  resolvedAt: string | null;
  flapping: boolean;
  suppressed: boolean;
  fingerprint: string;
  labels: Record<string, unknown>;
  version: number;
  rule: { id: string; name: string };
  host: { id: string; hostname: string } | null;
}

export interface AlertEventRow {
  id: string;
  alertId: string;
  at: string;
  kind: string;
  fromState: string | null;
  toState: string;
  fromSeverity: string | null;
  severity: string | null;
  value: number | null;
  message: string | null;
  user: string | null;
  mutedBy: string | null;
  notify: boolean;
}

export interface AlertDetail extends AlertRow {
  annotations: Record<string, unknown>;
  history: AlertEventRow[];
}

export const ALERTS = `query Alerts($filter: AlertFilter, $first: Int) {
  alerts(filter: $filter, first: $first) { totalCount edges { node { ${ALERT_FIELDS} } } }
}`;

export interface AlertsData {
  alerts: { totalCount: number; edges: { node: AlertRow }[] };
}

/** The rules the list's filter offers (hosts are searched as you type, see ui/HostPicker). */
export const FILTER_CHOICES = `query FilterChoices { rules { id name } }`;

export interface FilterChoicesData {
  rules: { id: string; name: string }[];
}

export const ALERT_EVENTS = `subscription AlertEvents($filter: AlertEventFilter) {
  alertEvents(filter: $filter) { ${EVENT_FIELDS} ruleId hostId }
}`;

export interface AlertEventsData {
  alertEvents: AlertEventRow & { ruleId: string; hostId: string | null };
}

const COUNT_FIELDS = `open pending nodata stale acknowledged firing { warning critical veryCritical total }`;

export const ALERT_COUNTS = `subscription AlertCounts { alertCounts { ${COUNT_FIELDS} } }`;

export interface AlertCountsData {
  alertCounts: {
    open: number;
    pending: number;
    nodata: number;
    stale: number;
    acknowledged: number;
    firing: { warning: number; critical: number; veryCritical: number; total: number };
  };
}

const DETAIL_FIELDS = `${ALERT_FIELDS} annotations history { ${EVENT_FIELDS} }`;

export const ALERT = `query Alert($id: ID!) { alert(id: $id) { ${DETAIL_FIELDS} } }`;

export interface AlertData {
  alert: AlertDetail;
}

export const ACKNOWLEDGE = `mutation Acknowledge($id: ID!, $comment: String) { acknowledgeAlert(id: $id, comment: $comment) { ${DETAIL_FIELDS} } }`;
export const UNACKNOWLEDGE = `mutation Unacknowledge($id: ID!, $comment: String) { unacknowledgeAlert(id: $id, comment: $comment) { ${DETAIL_FIELDS} } }`;
export const COMMENT = `mutation Comment($id: ID!, $comment: String!) { commentAlert(id: $id, comment: $comment) { ${DETAIL_FIELDS} } }`;
export const RESOLVE = `mutation Resolve($id: ID!, $comment: String) { resolveAlert(id: $id, comment: $comment) { ${DETAIL_FIELDS} } }`;

const DELIVERY_FIELDS = `id kind status title attemptCount createdAt deliveredAt nextAttemptAt lastError
  channel { id name type }
  attempts { at ok status error durationMs retryable }`;

export const DELIVERIES = `query Deliveries($alertId: ID!) { notificationDeliveries(alertId: $alertId, first: 100) { ${DELIVERY_FIELDS} } }`;
export const RETRY_DELIVERY = `mutation Retry($id: ID!) { retryNotificationDelivery(id: $id) { ${DELIVERY_FIELDS} } }`;

export interface DeliveryRow {
  id: string;
  kind: string;
  status: string;
  title: string;
  attemptCount: number;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string;
  lastError: string | null;
  channel: { id: string; name: string; type: string };
  attempts: { at: string; ok: boolean; status: number | null; error: string | null; durationMs: number; retryable: boolean | null }[];
}

export interface DeliveriesData {
  notificationDeliveries: DeliveryRow[];
}

export const CREATE_SILENCE = `mutation CreateSilence($input: SilenceInput!) {
  createSilence(input: $input) { id state startsAt endsAt comment sendFirstRecovery matchers { name op value } }
}`;

export interface CreatedSilence {
  createSilence: { id: string; state: string; startsAt: string; endsAt: string; comment: string; sendFirstRecovery: boolean; matchers: { name: string; op: string; value: string }[] };
}
