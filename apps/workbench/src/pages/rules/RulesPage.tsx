// /rules — every alert rule: its expression, severities, whether it is enabled, and its open
// alerts, kept current by the alert event stream. Analysts start new rules here.
import { useEffect, useRef, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import { useSession } from '../../api/session.tsx';
import type { PageProps } from '../../app/page-props.ts';
import { Link, navigate } from '../../app/router.tsx';
import { says } from '../../ui/server-error.ts';
import { RULES, type RuleListItem } from './queries.ts';
import './rules.css';

const EVENTS = `subscription RulesListEvents { alertEvents { id ruleId } }`;

function severities(r: RuleListItem) {
  if (r.kind === 'condition') return r.levels.map((l) => <span key={l.severity} className={`sev-${l.severity}`}>{l.severity}</span>);
  return r.levels.map((l, i) => (
    <span key={l.severity}>
      {i > 0 ? ' · ' : ''}
      <span className={`sev-${l.severity}`}>
        {l.severity} {r.comparator} {l.threshold}
        {l.recovery != null && l.recovery !== l.threshold ? ` (↺ ${l.recovery})` : ''}
      </span>
    </span>
  ));
}

export default function RulesPage(_props: PageProps) {
  const { can } = useSession();
  const [search, setSearch] = useState('');
  const [{ data, error, fetching }, refetch] = useQuery<{ rules: RuleListItem[] }>({ query: RULES });
  const [live] = useSubscription<{ alertEvents: { id: string; ruleId: string } }>({ query: EVENTS });
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // open-alert counts follow the alert events; a burst costs one read
  useEffect(() => {
    if (!live.data) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => refetch({ requestPolicy: 'network-only' }), 300);
  }, [live.data, refetch]);
  useEffect(() => () => clearTimeout(timer.current), []);

  const rules = (data?.rules ?? []).filter((r) => r.name.toLowerCase().includes(search.trim().toLowerCase()));
  return (
    <section className="rules-list">
      <div className="rules-head">
        <h1>Rules</h1>
        <input type="search" aria-label="Search rules" placeholder="Search by name" value={search} onChange={(e) => setSearch(e.target.value)} />
        {can('analyst') && (
          <button type="button" onClick={() => navigate('/rules/new')}>
            New rule
          </button>
        )}
      </div>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {live.error && <p className="error" role="alert">Live updates stopped: {says(live.error)}</p>}
      {!data && !error && <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>}
      {data && rules.length === 0 && <p className="muted">{search ? 'No rule has that in its name.' : 'No rules yet.'}</p>}
      {rules.length > 0 && (
        <table className="rules" aria-label="rules">
          <thead>
            <tr>
              <th>Name</th>
              <th>Expression</th>
              <th>Severities</th>
              <th>Enabled</th>
              <th>Open alerts</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-testid="rule-row" className={r.enabled ? undefined : 'disabled'}>
                <td>
                  <Link to={`/rules/${r.id}`}>{r.name}</Link>
                </td>
                <td>
                  <code>{r.expression}</code>
                </td>
                <td>{severities(r)}</td>
                <td>{r.enabled ? 'yes' : 'no'}</td>
                <td data-testid="rule-open-alerts" className={r.openAlertCount > 0 ? 'has-alerts' : 'muted'}>
                  {r.openAlertCount}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
