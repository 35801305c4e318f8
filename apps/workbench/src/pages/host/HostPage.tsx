// One host: who it is (name, status, OS, addresses, labels, agent), its metrics over a range as
// charts kept live, the probes that run on it and its alerts.
import { useMemo, useState } from 'react';
import { useQuery, useSubscription } from 'urql';
import type { PageProps } from '../../app/page-props.ts';
import { Link, navigate, useLocation } from '../../app/router.tsx';
import { ago, at } from '../../ui/figures.ts';
import { useNow } from '../../ui/useNow.ts';
import { CHARTS, otherChart, RANGES, rangeOf } from './charts.ts';
import { HostAlerts } from './HostAlerts.tsx';
import { HostChart } from './HostChart.tsx';
import { HostProbes } from './HostProbes.tsx';
import './host.css';

const HOST = `query HostDetail($id: ID!) {
  host(id: $id) {
    id hostname status os osVersion arch ips labels lastSeenAt createdAt
    agent { id version startedAt lastHeartbeatAt bufferDepth }
    series { id metric }
  }
}`;

const STATUS = `subscription HostDetailStatus { hostStatusChanged { hostId status at } }`;
// only that the host reported: no sample is sent
const SEEN = `subscription HostDetailSeen($hostId: ID!) { samplesAdded(hostId: $hostId) { hostId } }`;

interface HostData {
  id: string;
  hostname: string;
  status: 'online' | 'offline' | 'unknown';
  os: string | null;
  osVersion: string | null;
  arch: string | null;
  ips: string[];
  labels: Record<string, string>;
  lastSeenAt: string | null;
  createdAt: string;
  agent: { id: string; version: string | null; startedAt: string | null; lastHeartbeatAt: string | null; bufferDepth: number } | null;
  series: { id: string; metric: string }[];
}


export default function HostPage({ params }: PageProps) {
  const id = params.id ?? '';
  if (!/^[1-9]\d{0,9}$/.test(id)) return <NoHost id={id} />;
  return <HostDetail key={id} id={id} />;
}

function NoHost({ id }: { id: string }) {
  return (
    <section>
      <h1>No host {id}</h1>
      <p className="muted" role="alert">
        There is no host {id}. <Link to="/">Back to the overview</Link>
      </p>
    </section>
  );
}

function HostDetail({ id }: { id: string }) {
  const { query } = useLocation();
  const range = rangeOf(query.get('range'));
  // the charts' range ends when it was picked; from then on they move with live samples
  const [to, setTo] = useState(() => Date.now());
  // a metric outside the system charts, charted on request
  const [other, setOther] = useState('');
  const [{ data, error, fetching }] = useQuery<{ host: HostData | null }>({ query: HOST, variables: { id } });
  const [statusEvent] = useSubscription<{ hostStatusChanged: { hostId: string; status: string; at: string } }, { status: string; at: string } | null>(
    { query: STATUS },
    (prev = null, e) => (e.hostStatusChanged.hostId === id ? e.hostStatusChanged : prev),
  );
  const [seen] = useSubscription<{ samplesAdded: { hostId: string } }, number>({ query: SEEN, variables: { hostId: id } }, () => Date.now());
  const now = useNow(5_000);
  const host = data?.host;
  const metrics = useMemo(() => new Set(host?.series.map((s) => s.metric)), [host]);
  const charts = CHARTS.filter((c) => c.metrics.some((m) => metrics.has(m)));
  const charted = new Set(CHARTS.flatMap((c) => c.metrics));
  const others = [...metrics].filter((m) => !charted.has(m)).sort();
  const otherDef = useMemo(() => (other ? otherChart(other) : null), [other]);

  if (error && !host) return <p className="error" role="alert">{error.message}</p>;
  if (!data) return <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>;
  if (!host) return <NoHost id={id} />;

  const lastSeen = Math.max(host.lastSeenAt ? Date.parse(host.lastSeenAt) : 0, seen.data ?? 0);
  // the server's word: online, stale (silent longer than ESMON_HOST_STALE_AFTER), offline; the newest wins
  const status = statusEvent.data && Date.parse(statusEvent.data.at) >= (host.lastSeenAt ? Date.parse(host.lastSeenAt) : 0) ? statusEvent.data.status : host.status;
  const pick = (key: string) => {
    setTo(Date.now());
    navigate(`/hosts/${id}?range=${key}`, true);
  };

  return (
    <section className="host-page">
      <header className={`host-head status-${status}`}>
        <h1>
          {host.hostname} <span className="status host-status" data-testid="host-status">{status}</span>
        </h1>
        {error && <p className="error" role="alert">{error.message}</p>}
        {statusEvent.error && <p className="error" role="alert">Live status: {statusEvent.error.message}</p>}
        <dl className="host-facts">
          <dt>OS</dt>
          <dd>{[host.os, host.osVersion, host.arch].filter(Boolean).join(' · ') || '—'}</dd>
          <dt>Addresses</dt>
          <dd>{host.ips.length ? host.ips.join(', ') : '—'}</dd>
          <dt>Labels</dt>
          <dd>
            {Object.keys(host.labels).length === 0
              ? '—'
              : Object.entries(host.labels).map(([k, v]) => (
                  <span key={k} className="host-label">
                    {k}={v}
                  </span>
                ))}
          </dd>
          <dt>Agent</dt>
          <dd>
            {host.agent ? (host.agent.version ?? 'version unknown') : 'none (samples pushed by other means)'}
            {host.agent && host.agent.bufferDepth > 0 && <span className="muted"> · {host.agent.bufferDepth} samples buffered</span>}
          </dd>
          <dt>Last seen</dt>
          <dd title={lastSeen ? at(new Date(lastSeen).toISOString()) : undefined} data-testid="host-last-seen">
            {lastSeen ? ago(new Date(lastSeen).toISOString(), now) : 'never'}
          </dd>
          <dt>Known since</dt>
          <dd title={at(host.createdAt)}>{ago(host.createdAt, now)}</dd>
        </dl>
      </header>

      <div className="host-range" role="group" aria-label="Range">
        <span className="muted">Range</span>
        {RANGES.map((r) => (
          <button key={r.key} type="button" className={r.key === range.key ? undefined : 'secondary'} aria-pressed={r.key === range.key} onClick={() => pick(r.key)}>
            {r.key}
          </button>
        ))}
      </div>
      {charts.length === 0 && <p className="muted">This host has sent none of the system metrics yet.</p>}
      <div className="host-charts">
        {charts.map((def) => (
          <HostChart key={def.key} def={def} hostId={host.id} hostname={host.hostname} range={range} to={to} />
        ))}
        {otherDef && <HostChart key={otherDef.title} def={otherDef} hostId={host.id} hostname={host.hostname} range={range} to={to} />}
      </div>
      {others.length > 0 && (
        <label className="host-other">
          Chart another metric of this host
          <select value={other} onChange={(e) => setOther(e.target.value)}>
            <option value="">—</option>
            {others.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        </label>
      )}

      <HostProbes hostId={host.id} hostname={host.hostname} />
      <HostAlerts hostId={host.id} />
    </section>
  );
}
