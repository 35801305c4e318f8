// Every host at a glance: a card per host with its status, CPU / memory / disk gauges and firing
// alerts, all live from subscriptions; search, label and status filters live in the URL.
import { useMemo, useSyncExternalStore } from 'react';
import type { PageProps } from '../../app/page-props.ts';
import { navigate, useLocation } from '../../app/router.tsx';
import { filterSearch, labelChoices, matcher, parseFilter, toggleLabel, type OverviewFilter } from './filters.ts';
import { HostCard } from './HostCard.tsx';
import type { HostStatus } from './store.ts';
import { useOverviewData } from './useOverviewData.ts';
import './overview.css';

const STATUSES: HostStatus[] = ['online', 'stale', 'offline', 'unknown'];

export default function OverviewPage(_props: PageProps) {
  const { query } = useLocation();
  const search = query.toString();
  const filter = useMemo(() => parseFilter(new URLSearchParams(search)), [search]);
  const { store, loaded, errors } = useOverviewData();
  const hosts = useSyncExternalStore(store.subscribeList, store.getList);
  const shown = useMemo(() => hosts.filter(matcher(filter)), [hosts, filter]);
  const choices = useMemo(() => labelChoices(hosts), [hosts]);
  const byStatus = useMemo(() => {
    const n: Record<HostStatus, number> = { online: 0, stale: 0, offline: 0, unknown: 0 };
    for (const h of hosts) n[h.status]++;
    return n;
  }, [hosts]);
  // typing replaces the history entry; a chip or the status is a step back can undo
  const setFilter = (f: OverviewFilter, replace = false) => navigate(`/${filterSearch(f)}`, replace);
  const filtered = filter.q !== '' || filter.labels.length > 0 || filter.status !== '';
  // labels chosen in the URL stay offered even when no host carries them (any more)
  const chips = [...choices, ...filter.labels.filter((l) => !choices.some((c) => c.label === l)).map((label) => ({ label, count: 0 }))];

  return (
    <section className="overview">
      <div className="overview-head">
        <h1>Overview</h1>
        <p className="muted" data-testid="host-summary">
          {hosts.length} {hosts.length === 1 ? 'host' : 'hosts'} · {STATUSES.map((s) => `${byStatus[s]} ${s}`).join(' · ')}
          {filtered && ` · ${shown.length} shown`}
        </p>
      </div>
      {errors.map((e) => (
        <p key={e} className="error" role="alert">{e}</p>
      ))}
      <div className="overview-filters" role="search">
        <label>
          Search hosts
          <input type="search" placeholder="part of a hostname" value={filter.q} onChange={(e) => setFilter({ ...filter, q: e.target.value }, true)} />
        </label>
        <label>
          Status
          <select value={filter.status} onChange={(e) => setFilter({ ...filter, status: e.target.value as HostStatus | '' })}>
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{s}</option>
            ))}
          </select>
        </label>
        {filtered && (
          <button type="button" className="secondary" onClick={() => setFilter({ q: '', labels: [], status: '' })}>Clear filters</button>
        )}
      </div>
      {chips.length > 0 && (
        <div className="label-chips" aria-label="labels">
          {chips.map(({ label, count }) => (
            <button
              key={label}
              type="button"
              className="chip"
              aria-pressed={filter.labels.includes(label)}
              onClick={() => setFilter(toggleLabel(filter, label))}
            >
              {label} <span className="chip-count">{count}</span>
            </button>
          ))}
        </div>
      )}
      {!loaded && errors.length === 0 && <p className="muted">Loading…</p>}
      {loaded && hosts.length === 0 && <p className="muted">No hosts yet: a host appears once its agent sends samples.</p>}
      {loaded && hosts.length > 0 && shown.length === 0 && <p className="muted">No host matches these filters.</p>}
      <ul className="overview-grid">
        {shown.map((h) => (
          <HostCard key={h.id} id={h.id} store={store} />
        ))}
      </ul>
    </section>
  );
}
