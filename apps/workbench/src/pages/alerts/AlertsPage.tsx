// The alerts list, live: the alerts the filters (kept in the URL query) pick, refreshed whenever an
// alertEvents event arrives — new alerts appear, changed ones update, resolved ones leave the open
// view — and the open-alert counts at the top. No polling.
import { useMemo, useState } from 'react';
import { useQuery } from 'urql';
import type { PageProps } from '../../app/page-props.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { AlertCountsBar, type CountPick } from './AlertCountsBar.tsx';
import { AlertFilters } from './AlertFilters.tsx';
import { SeverityBadge, StateBadge } from './Badges.tsx';
import { useNow } from '../../ui/useNow.ts';
import { useAlertEvents, useCoalesced } from './live.ts';
import { ALERTS, type AlertRow, type AlertsData } from './queries.ts';
import { errorText, filtersToQuery, formatValue, parseFilters, rowClass, since, toAlertFilter, type ListFilters } from './alert-model.ts';
import './alerts.css';

const PAGE = 100;
/** the server's page limit for alerts: beyond it, the filters narrow the list */
const MAX_ROWS = 500;

export default function AlertsPage(_props: PageProps) {
  const { query } = useLocation();
  const search = query.toString();
  const filters = useMemo(() => parseFilters(new URLSearchParams(search)), [search]);
  const variables = useMemo(() => ({ filter: toAlertFilter(filters) }), [filters]);
  const [limit, setLimit] = useState(PAGE);
  const [{ data, error, fetching }, refetch] = useQuery<AlertsData>({ query: ALERTS, variables: { ...variables, first: limit } });
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const refresh = useCoalesced(() => refetch({ requestPolicy: 'network-only' }));
  // only the events that can change this view: by rule, host and severity as filtered
  const eventFilter = useMemo(() => {
    const f: Record<string, unknown> = {};
    if (filters.ruleId) f.ruleIds = [filters.ruleId];
    if (filters.hostId) f.hostIds = [filters.hostId];
    if (filters.severities.length) f.severities = filters.severities;
    return f;
  }, [filters]);
  const liveError = useAlertEvents(eventFilter, (e) => {
    setFresh((s) => (s.has(e.alertId) ? s : new Set(s).add(e.alertId)));
    refresh();
  });
  const now = useNow();

  const apply = (f: ListFilters) => {
    setLimit(PAGE);
    navigate(`/alerts${filtersToQuery(f)}`, true);
  };
  const pick = (p: CountPick) =>
    apply({ ...filters, states: p.states, severities: p.severities, ack: p.acknowledged ? 'yes' : '', openOnly: true });

  const rows = data?.alerts.edges.map((e) => e.node) ?? [];
  return (
    <section>
      <h1>Alerts</h1>
      <AlertCountsBar onPick={pick} />
      <AlertFilters value={filters} onChange={apply} />
      {liveError && <p className="error" role="alert">Live updates stopped: {liveError}</p>}
      {error && <p className="error" role="alert">{errorText(error)}</p>}
      {!data && !error && <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>}
      {data && (
        <>
          <p className="muted" data-testid="alert-total">
            {data.alerts.totalCount === 0
              ? filters.openOnly ? 'No open alert matches.' : 'No alert matches.'
              : `${data.alerts.totalCount} ${filters.openOnly ? 'open ' : ''}alert${data.alerts.totalCount === 1 ? '' : 's'}`}
          </p>
          {rows.length > 0 && (
            <table className="alerts" aria-label="alerts">
              <thead>
                <tr>
                  <th>Severity</th>
                  <th>State</th>
                  <th>Rule</th>
                  <th>Host</th>
                  <th>Value</th>
                  <th>Since</th>
                  <th>Acknowledged by</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((a) => (
                  <AlertTableRow key={a.id} alert={a} now={now} fresh={fresh.has(a.id)} />
                ))}
              </tbody>
            </table>
          )}
          {rows.length < data.alerts.totalCount && (
            <p>
              <span className="muted">Showing {rows.length} of {data.alerts.totalCount}. </span>
              {limit < MAX_ROWS ? (
                <button type="button" className="secondary" onClick={() => setLimit((n) => Math.min(n + PAGE, MAX_ROWS))}>Show more</button>
              ) : (
                <span className="muted">Narrow the filters to see the rest.</span>
              )}
            </p>
          )}
        </>
      )}
    </section>
  );
}

function AlertTableRow({ alert: a, now, fresh }: { alert: AlertRow; now: number; fresh: boolean }) {
  const at = a.open ? a.startedAt : (a.resolvedAt ?? a.startedAt);
  return (
    <tr className={`${rowClass(a)}${fresh ? ' fresh' : ''}`} data-severity={a.severity ?? 'none'} data-testid="alert-row" data-alert-id={a.id}>
      <td><SeverityBadge severity={a.severity} /></td>
      <td><StateBadge state={a.state} flapping={a.flapping} suppressed={a.suppressed} /></td>
      <td className="rule"><Link to={`/alerts/${a.id}`}>{a.rule.name}</Link></td>
      <td>{a.host ? <Link to={`/hosts/${a.host.id}`}>{a.host.hostname}</Link> : <span className="muted">{a.fingerprint}</span>}</td>
      <td>{formatValue(a.value)}</td>
      <td title={new Date(at).toLocaleString()}>{a.open ? '' : 'closed '}{since(at, now)}</td>
      <td>{a.acknowledgedBy ?? (a.acknowledged ? 'someone' : <span className="muted">—</span>)}</td>
    </tr>
  );
}
