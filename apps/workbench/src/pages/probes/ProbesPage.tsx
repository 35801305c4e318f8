// Every probe: its name, its steps (plugin ids in order), interval, targets and version; analysts
// start a new one from here.
import { useQuery } from 'urql';
import { useSession } from '../../api/session.tsx';
import type { PageProps } from '../../app/page-props.ts';
import { Link, navigate } from '../../app/router.tsx';
import { PROBES, useHosts, type ProbeRow } from './api.ts';
import type { ProbeDefinition } from './model.ts';
import './probes.css';

function every(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}

function targetsText(t: ProbeDefinition['targets'], hostname: (id: number) => string): string {
  const parts: string[] = [];
  if (t?.hostIds?.length) parts.push(t.hostIds.map(hostname).join(', '));
  for (const [k, v] of Object.entries(t?.labels ?? {})) parts.push(`${k}=${v}`);
  if (t?.hostnamePattern) parts.push(`hostname ${t.hostnamePattern}`);
  return parts.length ? parts.join(' · ') : 'every host';
}

export default function ProbesPage(_props: PageProps) {
  const { can } = useSession();
  const [{ data, error, fetching }] = useQuery<{ probes: ProbeRow[] }>({ query: PROBES });
  const { hosts } = useHosts();
  const hostname = (id: number) => hosts.find((h) => h.id === String(id))?.hostname ?? `host ${id}`;
  return (
    <section className="probes-page">
      <header className="builder-head">
        <h1>Probes</h1>
        <span className="spacer" />
        {can('analyst') && (
          <button type="button" onClick={() => navigate('/probes/new')}>
            New probe
          </button>
        )}
      </header>
      {error && <p className="error" role="alert">{error.message}</p>}
      {!data && !error && <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>}
      {data && data.probes.length === 0 && <p className="muted">No probes yet.</p>}
      {data && data.probes.length > 0 && (
        <table className="probes-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Steps</th>
              <th>Every</th>
              <th>Runs on</th>
              <th>Version</th>
            </tr>
          </thead>
          <tbody>
            {data.probes.map((p) => {
              const d = p.definition as ProbeDefinition;
              return (
                <tr key={p.id} data-testid="probe-row" className={p.enabled ? '' : 'disabled-row'}>
                  <td>
                    <Link to={`/probes/${p.id}`}>{p.name}</Link>
                    {!p.enabled && <span className="muted"> (disabled)</span>}
                  </td>
                  <td>{d.steps.map((s) => s.plugin).join(' → ')}</td>
                  <td>{every(p.intervalSeconds)}</td>
                  <td>{targetsText(d.targets, hostname)}</td>
                  <td>{p.version}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
