// One alert: what fires where (rule, host, severity, state, value, annotations), what analysts can
// do about it, its whole history and the notifications sent about it. Live: the alert's events
// (alertEvents) read it again. `?action=acknowledge` (the link in notifications) opens that form.
import { useMemo } from 'react';
import { useQuery } from 'urql';
import type { PageProps } from '../../app/page-props.ts';
import { Link, useLocation } from '../../app/router.tsx';
import { AlertActions, isAction } from './AlertActions.tsx';
import { SeverityBadge, StateBadge } from './Badges.tsx';
import { Deliveries } from './Deliveries.tsx';
import { useNow } from '../../ui/useNow.ts';
import { useAlertEvents, useCoalesced } from './live.ts';
import { ALERT, type AlertData, type AlertDetail } from './queries.ts';
import { Timeline } from './Timeline.tsx';
import { errorText, formatValue, since } from './alert-model.ts';
import './alerts.css';

export default function AlertDetailPage({ params }: PageProps) {
  const id = params.id ?? '';
  const { query } = useLocation();
  const action = query.get('action');
  const [{ data, error, fetching }, refetch] = useQuery<AlertData>({ query: ALERT, variables: { id }, pause: !/^\d+$/.test(id) });
  const refresh = useCoalesced(() => refetch({ requestPolicy: 'network-only' }));
  const alert = data?.alert;
  const ruleId = alert?.rule.id;
  const hostId = alert?.host?.id;
  const filter = useMemo(() => (ruleId ? { ruleIds: [ruleId], ...(hostId ? { hostIds: [hostId] } : {}) } : null), [ruleId, hostId]);
  const liveError = useAlertEvents(filter, (e) => {
    if (e.alertId === id) refresh();
  });

  if (!/^\d+$/.test(id)) return <p className="error" role="alert">“{id}” is not an alert id.</p>;
  if (error && !alert) return <p className="error" role="alert">{errorText(error)}</p>;
  if (!alert) return <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>;
  return (
    <section>
      <p>
        <Link to="/alerts">← Alerts</Link>
      </p>
      <h1>{alert.rule.name}</h1>
      {liveError && <p className="error" role="alert">Live updates stopped: {liveError}</p>}
      {error && <p className="error" role="alert">{errorText(error)}</p>}
      <AlertHeader alert={alert} />
      <AlertActions alert={alert} requested={isAction(action) ? action : undefined} />
      <h2>History</h2>
      <Timeline events={alert.history} />
      <Deliveries alertId={alert.id} changed={alert.version} />
    </section>
  );
}

function AlertHeader({ alert: a }: { alert: AlertDetail }) {
  const now = useNow();
  const annotations = Object.entries(a.annotations ?? {}).filter(([, v]) => v != null && v !== '');
  const labels = Object.entries(a.labels ?? {});
  return (
    <>
      <dl className="alert-head card sev-border" data-severity={a.severity ?? 'none'} data-testid="alert-head">
        <div>
          <dt>Severity</dt>
          <dd><SeverityBadge severity={a.severity} /></dd>
        </div>
        <div>
          <dt>State</dt>
          <dd><StateBadge state={a.state} flapping={a.flapping} suppressed={a.suppressed} /></dd>
        </div>
        <div>
          <dt>Host</dt>
          <dd>{a.host ? <Link to={`/hosts/${a.host.id}`}>{a.host.hostname}</Link> : <span className="muted">none</span>}</dd>
        </div>
        <div>
          <dt>Rule</dt>
          <dd><Link to={`/alerts?rule=${a.rule.id}&open=all`}>{a.rule.name}</Link></dd>
        </div>
        <div>
          <dt>Value</dt>
          <dd data-testid="alert-value">{formatValue(a.value)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd title={new Date(a.startedAt).toLocaleString()}>{since(a.startedAt, now)}</dd>
        </div>
        {a.firedAt && (
          <div>
            <dt>Fired</dt>
            <dd title={new Date(a.firedAt).toLocaleString()}>{since(a.firedAt, now)}</dd>
          </div>
        )}
        {a.resolvedAt && (
          <div>
            <dt>Closed</dt>
            <dd title={new Date(a.resolvedAt).toLocaleString()}>{since(a.resolvedAt, now)}</dd>
          </div>
        )}
        <div>
          <dt>Acknowledged</dt>
          <dd data-testid="alert-ack">
            {a.acknowledged ? (
              <>
                <span className="badge acked">by {a.acknowledgedBy ?? 'someone'}</span>
                {a.ackComment && <div>“{a.ackComment}”</div>}
              </>
            ) : (
              <span className="muted">no</span>
            )}
          </dd>
        </div>
        {labels.length > 0 && (
          <div>
            <dt>Labels</dt>
            <dd>{labels.map(([k, v]) => `${k}=${String(v)}`).join(', ')}</dd>
          </div>
        )}
      </dl>
      {annotations.length > 0 && (
        <dl className="annotations card" aria-label="annotations">
          {annotations.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{typeof v === 'string' ? v : JSON.stringify(v)}</dd>
            </div>
          ))}
        </dl>
      )}
    </>
  );
}
