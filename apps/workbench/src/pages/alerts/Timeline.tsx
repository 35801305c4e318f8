// An alert's history, oldest first: every transition, acknowledgement, comment and manual resolve,
// with whether channels heard of it — muted notifications (silence, maintenance, flapping,
// dependency) visibly marked.
import type { AlertEventRow } from './queries.ts';
import { formatValue, severityLabel } from './alert-model.ts';

const KIND_LABEL: Record<string, string> = {
  state: 'state change',
  severity: 'severity change',
  suppressed: 'suppressed',
  unsuppressed: 'no longer suppressed',
  flapping_start: 'started flapping',
  flapping_end: 'stopped flapping',
  unmuted: 'announced after mute',
  acknowledged: 'acknowledged',
  unacknowledged: 'unacknowledged',
  comment: 'comment',
  manual_resolve: 'resolved by hand',
};

const BY_PERSON = new Set(['acknowledged', 'unacknowledged', 'comment', 'manual_resolve']);

const stateName = (s: string | null) => (s == null ? '—' : s === 'nodata' ? 'no data' : s);

function Notified({ e }: { e: AlertEventRow }) {
  if (e.mutedBy) return <span className="badge muted-by" data-testid="muted" title="the notification was held">muted: {e.mutedBy}</span>;
  if (e.notify) return <span>notified</span>;
  return <span className="muted">—</span>;
}

export function Timeline({ events }: { events: AlertEventRow[] }) {
  if (events.length === 0) return <p className="muted">No events yet.</p>;
  return (
    <table className="timeline" aria-label="history">
      <thead>
        <tr>
          <th>Time</th>
          <th>Event</th>
          <th>State</th>
          <th>Severity</th>
          <th>Value</th>
          <th>Message</th>
          <th>By</th>
          <th>Notification</th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr
            key={e.id}
            data-testid="history-event"
            data-kind={e.kind}
            className={[e.mutedBy ? 'muted-event' : '', BY_PERSON.has(e.kind) ? 'person' : ''].join(' ').trim() || undefined}
          >
            <td title={e.at}>{new Date(e.at).toLocaleString()}</td>
            <td>{KIND_LABEL[e.kind] ?? e.kind}</td>
            <td>{e.fromState === e.toState ? stateName(e.toState) : `${stateName(e.fromState)} → ${stateName(e.toState)}`}</td>
            <td>
              {e.fromSeverity && e.fromSeverity !== e.severity ? `${severityLabel(e.fromSeverity)} → ` : ''}
              {e.severity ? <span className={`sev-${e.severity}`}>{severityLabel(e.severity)}</span> : e.fromSeverity ? '—' : ''}
            </td>
            <td>{formatValue(e.value)}</td>
            <td className="message">{e.message ?? ''}</td>
            <td>{e.user ?? ''}</td>
            <td><Notified e={e} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
