// The notification delivery log of one alert: each message to each channel, its status and every
// attempt (code, error, duration). Admins may send a dead or failing one again (the server lets
// only admins retry). Read again whenever the alert changes, and on request.
import { useEffect, useRef } from 'react';
import { useMutation, useQuery } from 'urql';
import { useSession } from '../../api/session.tsx';
import { DELIVERIES, RETRY_DELIVERY, type DeliveriesData, type DeliveryRow } from './queries.ts';
import { errorText } from './alert-model.ts';

export function Deliveries({ alertId, changed }: { alertId: string; changed: number }) {
  const [{ data, error, fetching }, refetch] = useQuery<DeliveriesData>({ query: DELIVERIES, variables: { alertId } });
  const seen = useRef(changed);
  useEffect(() => {
    if (seen.current === changed) return;
    seen.current = changed;
    refetch({ requestPolicy: 'network-only' });
  }, [changed, refetch]);
  const list = data?.notificationDeliveries ?? [];
  return (
    <section aria-label="notification deliveries">
      <h2>
        Notifications{' '}
        <button type="button" className="link" disabled={fetching} onClick={() => refetch({ requestPolicy: 'network-only' })}>
          {fetching ? 'reading…' : 'refresh'}
        </button>
      </h2>
      {error && <p className="error" role="alert">{errorText(error)}</p>}
      {data && list.length === 0 && <p className="muted" data-testid="no-deliveries">No notification was sent about this alert.</p>}
      {list.length > 0 && (
        <table className="deliveries" aria-label="deliveries">
          <thead>
            <tr>
              <th>Channel</th>
              <th>Kind</th>
              <th>Status</th>
              <th>Message</th>
              <th>Attempts</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((d) => (
              <DeliveryLine key={d.id} d={d} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function DeliveryLine({ d }: { d: DeliveryRow }) {
  const { can } = useSession();
  const [{ fetching, error }, retry] = useMutation(RETRY_DELIVERY);
  const failing = d.status === 'dead' || (d.status === 'pending' && d.attemptCount > 0 && d.lastError != null);
  return (
    <tr className={`delivery-${d.status}`} data-testid="delivery">
      <td>
        {d.channel.name} <span className="muted">({d.channel.type})</span>
      </td>
      <td>{d.kind}</td>
      <td>
        {d.status}
        {d.deliveredAt && <div className="muted">{new Date(d.deliveredAt).toLocaleString()}</div>}
        {d.status === 'pending' && <div className="muted">next try {new Date(d.nextAttemptAt).toLocaleTimeString()}</div>}
      </td>
      <td>
        {d.title}
        {d.lastError && <div className="error">{d.lastError}</div>}
      </td>
      <td>
        {d.attemptCount}
        {d.attempts.length > 0 && (
          <ol className="attempts">
            {d.attempts.map((a, i) => (
              <li key={i} className={a.ok ? 'ok' : 'failed'}>
                {new Date(a.at).toLocaleTimeString()} — {a.ok ? 'ok' : 'failed'}
                {a.status != null && `, code ${a.status}`}, {a.durationMs} ms
                {a.error && `: ${a.error}`}
                {!a.ok && a.retryable === false && ' (not retryable)'}
              </li>
            ))}
          </ol>
        )}
      </td>
      <td>
        {failing && can('admin') && (
          <button type="button" className="secondary" disabled={fetching} onClick={() => void retry({ id: d.id })}>
            {fetching ? 'Retrying…' : 'Retry'}
          </button>
        )}
        {error && <p className="error" role="alert">{errorText(error)}</p>}
      </td>
    </tr>
  );
}
