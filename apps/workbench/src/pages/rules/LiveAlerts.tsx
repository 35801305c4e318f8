// The saved rule's open alerts, live: read once, then again whenever an alert event of this rule
// arrives (alertEvents). Acknowledging and the rest happen on the alert's own page.
import { useEffect, useRef } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useSession } from '../../api/session.tsx';
import { Link } from '../../app/router.tsx';
import { says } from '../../ui/server-error.ts';
import { OPEN_ALERTS, RULE_EVENTS, type OpenAlertsData, type RuleEventData } from './queries.ts';

export function LiveAlerts({ ruleId }: { ruleId: string }) {
  const { can } = useSession();
  const [{ data, error }, refetch] = useQuery<OpenAlertsData>({ query: OPEN_ALERTS, variables: { ruleId }, requestPolicy: 'network-only' });
  const [live] = useSubscription<RuleEventData>({ query: RULE_EVENTS, variables: { filter: { ruleIds: [ruleId] } } });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // a burst of events costs one read
  useEffect(() => {
    if (!live.data) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => refetch({ requestPolicy: 'network-only' }), 150);
  }, [live.data, refetch]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const alerts = data?.alerts.edges.map((e) => e.node) ?? [];
  return (
    <section className="card live-alerts" aria-label="open alerts of this rule">
      <strong>Open alerts of this rule</strong> <span className="badge" data-testid="open-alert-count">{data ? data.alerts.totalCount : '…'}</span>
      {live.error && <p className="error" role="alert">Live updates stopped: {says(live.error)}</p>}
      {error && <p className="error" role="alert">{says(error)}</p>}
      {data && alerts.length === 0 && <p className="muted">None: nothing breaches the rule now.</p>}
      {alerts.length > 0 && (
        <table aria-label="open alerts">
          <thead>
            <tr>
              <th>Host</th>
              <th>State</th>
              <th>Severity</th>
              <th>Value</th>
              <th>Since</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={a.id} data-testid="rule-alert" data-state={a.state}>
                <td>{a.host?.hostname ?? '—'}</td>
                <td>{a.state}{a.acknowledged ? ' · acknowledged' : ''}</td>
                <td className={a.severity ? `sev-${a.severity}` : undefined}>{a.severity ?? '—'}</td>
                <td>{a.value ?? '—'}</td>
                <td>{new Date(a.startedAt).toLocaleTimeString()}</td>
                <td>
                  <Link to={`/alerts/${a.id}`}>Details</Link>
                  {can('analyst') && !a.acknowledged && (
                    <>
                      {' · '}
                      <Link to={`/alerts/${a.id}?action=acknowledge`}>Acknowledge…</Link>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
