// The host's alerts: open ones first, then the newest closed ones, each coloured by severity and
// linking to its page. Alert events for the host make the list read again (live, no polling).
import { useEffect, useMemo } from 'react';
import { useQuery, useSubscription } from 'urql';
import { Link } from '../../app/router.tsx';
import { ago, at } from '../../ui/figures.ts';
import { orderAlerts, type HostAlert } from './host-model.ts';

const ALERTS = `query HostAlerts($filter: AlertFilter!) {
  alerts(filter: $filter, first: 50) {
    totalCount
    edges { node { id state severity open acknowledged flapping startedAt resolvedAt value rule { id name } } }
  }
}`;

const EVENTS = `subscription HostAlertEvents($filter: AlertEventFilter!) { alertEvents(filter: $filter) { id alertId } }`;

export function HostAlerts({ hostId }: { hostId: string }) {
  const filter = useMemo(() => ({ hostIds: [hostId] }), [hostId]);
  const [{ data, error }, reread] = useQuery<{ alerts: { totalCount: number; edges: { node: HostAlert }[] } }>({
    query: ALERTS,
    variables: { filter },
  });
  const [live] = useSubscription<{ alertEvents: { id: string } }, number>({ query: EVENTS, variables: { filter } }, (n = 0) => n + 1);
  useEffect(() => {
    if (live.data) reread({ requestPolicy: 'network-only' });
  }, [live.data, reread]);
  const alerts = useMemo(() => (data ? orderAlerts(data.alerts.edges.map((e) => e.node)) : undefined), [data]);
  const open = alerts?.filter((a) => a.open).length ?? 0;
  return (
    <section className="host-alerts">
      <h2>
        Alerts {alerts && <span className="muted">({open} open{data!.alerts.totalCount > alerts.length ? `, newest ${alerts.length} of ${data!.alerts.totalCount}` : ''})</span>}
      </h2>
      {error && <p className="error" role="alert">{error.message}</p>}
      {live.error && <p className="error" role="alert">Live updates: {live.error.message}</p>}
      {alerts && alerts.length === 0 && <p className="muted">No alert for this host.</p>}
      {alerts && alerts.length > 0 && (
        <ul className="host-alert-list">
          {alerts.map((a) => (
            <li key={a.id} className={`card host-alert sev-${a.severity ?? 'none'}${a.open ? ' open' : ' closed'}`} data-testid="host-alert">
              <Link to={`/alerts/${a.id}`}>{a.rule.name}</Link>
              <span className="severity">{a.severity?.replace('_', ' ') ?? 'no severity'}</span>
              <span className="state">
                {a.state}
                {a.acknowledged && ' · acknowledged'}
                {a.flapping && ' · flapping'}
              </span>
              {a.value != null && <span className="muted">value {Number(a.value.toPrecision(4))}</span>}
              <span className="muted" title={at(a.startedAt)}>
                started {ago(a.startedAt)}
                {a.resolvedAt && `, closed ${ago(a.resolvedAt)}`}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
