// Every agent: its host (live status), version, heartbeat, what waits in its buffer and which probe
// configuration it runs (current or behind the server's); admins make enrolment tokens for new ones.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useClient, useMutation, useSubscription } from 'urql';
import { fetchAll } from '../../api/connections.ts';
import type { PageProps } from '../../app/page-props.ts';
import { Link } from '../../app/router.tsx';
import { useSession } from '../../api/session.tsx';
import { ago, at, bytes, count } from '../../ui/figures.ts';
import { useNow } from '../../ui/useNow.ts';
import { says } from '../../ui/server-error.ts';
import { EnrolToken } from './EnrolToken.tsx';
import './agents.css';

const AGENT_FIELDS = `id version startedAt lastHeartbeatAt bufferDepth configVersion configCurrent
  host { id hostname status os
    bufferBytes: latest(metric: "esmon.agent.buffer.bytes") { ts value }
    configApplies: latest(metric: "esmon.agent.config.version") { ts value }
  }`;

const STATUS = `subscription { hostStatusChanged { hostId hostname status previous at } }`;
const PING = `mutation ($hostId: ID!) { pingAgent(hostId: $hostId) }`;

interface Latest {
  ts: string;
  value: number;
}

interface AgentRow {
  id: string;
  version: string | null;
  startedAt: string | null;
  lastHeartbeatAt: string | null;
  bufferDepth: number;
  configVersion: string | null;
  configCurrent: boolean | null;
  host: { id: string; hostname: string; status: string; os: string | null; bufferBytes: Latest | null; configApplies: Latest | null };
}

interface StatusEvent {
  hostId: string;
  status: string;
}


/** Which configuration the agent runs, and whether it is the one the server gives its host now. */
function ConfigCell({ a }: { a: AgentRow }) {
  const loads = a.host.configApplies ? `; ${count(a.host.configApplies.value)} loaded since the agent started` : '';
  if (!a.configVersion) return <span className="muted" title={`the agent has not reported its probe configuration${loads}`}>not reported</span>;
  return (
    <span title={`probe configuration ${a.configVersion}${loads}`}>
      <code>{a.configVersion.slice(0, 8)}</code>{' '}
      {a.configCurrent ? <span className="badge ok" data-testid="config-state">current</span> : <span className="badge warn" data-testid="config-state">behind</span>}
    </span>
  );
}

function Ping({ hostId }: { hostId: string }) {
  const [{ data, error, fetching }, ping] = useMutation<{ pingAgent: { version?: string; uptimeSeconds?: number; probes?: { probes?: number; applies?: number; running?: number } } }>(PING);
  const r = data?.pingAgent;
  return (
    <span className="ping">
      <button type="button" className="link" disabled={fetching} onClick={() => void ping({ hostId })}>Ping</button>
      {error && <span className="error"> {says(error)}</span>}
      {r && (
        <span className="muted" data-testid="ping-result">
          {' '}answers: {r.version ?? '?'}, up {Math.round((r.uptimeSeconds ?? 0) / 60)} min, {r.probes?.probes ?? 0} probes, {r.probes?.applies ?? 0} configs applied
        </span>
      )}
    </span>
  );
}

export default function AgentsPage(_props: PageProps) {
  const { can } = useSession();
  const client = useClient();
  const [data, setData] = useState<AgentRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fetching, setFetching] = useState(false);
  const refetch = useCallback(() => {
    setFetching(true);
    fetchAll<AgentRow>(client, 'agents', AGENT_FIELDS)
      .then((rows) => {
        setData(rows);
        setError(null);
      }, setError)
      .finally(() => setFetching(false));
  }, [client]);
  useEffect(refetch, [refetch]);
  // live host status: the newest event per host wins over what the query said
  const [{ data: live }] = useSubscription<{ hostStatusChanged: StatusEvent }, Record<string, string>>(
    { query: STATUS },
    (seen = {}, event) => ({ ...seen, [event.hostStatusChanged.hostId]: event.hostStatusChanged.status }),
  );
  const now = useNow(5000);
  const rows = useMemo(() => [...(data ?? [])].sort((a, b) => a.host.hostname.localeCompare(b.host.hostname)), [data]);
  const known = useMemo(() => new Set(rows.map((r) => r.host.id)), [rows]);
  // a host that was not listed came online (a new agent): list it
  // (once per such host: hosts fed by integrations have no agent and never appear)
  const asked = useRef(new Set<string>());
  const unknown = Object.keys(live ?? {}).filter((id) => !known.has(id) && !asked.current.has(id));
  const unknownKey = unknown.join(',');
  useEffect(() => {
    if (!unknownKey) return;
    for (const id of unknownKey.split(',')) asked.current.add(id);
    refetch();
  }, [unknownKey, refetch]);

  return (
    <section className="agents-page">
      <h1>Agents</h1>
      {can('admin') && <EnrolToken />}
      <h2>Reporting agents</h2>
      {error != null && <p className="error" role="alert">{says(error as Error)}</p>}
      {data && (
        <p>
          <button type="button" className="secondary" disabled={fetching} onClick={refetch}>Refresh</button>
        </p>
      )}
      {!data && !error && <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>}
      {data && rows.length === 0 && <p className="muted">No agent has reported yet.</p>}
      {rows.length > 0 && (
        <table className="agents-table">
          <thead>
            <tr>
              <th>Host</th>
              <th>Status</th>
              <th>Version</th>
              <th>Started</th>
              <th>Last heartbeat</th>
              <th title="samples waiting in the agent's disk buffer at its last report; bytes from esmon.agent.buffer.bytes">Buffer</th>
              <th title="the probe configuration the agent reported running with its last batch: current when it is what the server gives its host now">Config</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => {
              const status = live?.[a.host.id] ?? a.host.status;
              return (
                <tr key={a.id} data-testid="agent-row" className={`status-${status}`}>
                  <td><Link to={`/hosts/${a.host.id}`}>{a.host.hostname}</Link>{a.host.os && <span className="muted"> · {a.host.os}</span>}</td>
                  <td><span className="status" data-testid="agent-status">{status}</span></td>
                  <td>{a.version ?? '—'}</td>
                  <td title={at(a.startedAt)}>{a.startedAt ? ago(a.startedAt, now) : '—'}</td>
                  <td title={at(a.lastHeartbeatAt)}>{ago(a.lastHeartbeatAt, now)}</td>
                  <td>
                    {count(a.bufferDepth)} samples
                    {a.host.bufferBytes && <span className="muted"> · {bytes(a.host.bufferBytes.value)}</span>}
                  </td>
                  <td><ConfigCell a={a} /></td>
                  <td><Ping hostId={a.host.id} /></td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <p className="muted legend">
        Status changes as it happens. Buffer: samples the agent held on disk, unsent, at its last batch. Config: the probe
        configuration the agent reported with its last batch, current when it is the one the server gives its host now (an
        agent picks a change up within seconds and reports it with its next batch); Ping asks the agent itself.
      </p>
    </section>
  );
}
