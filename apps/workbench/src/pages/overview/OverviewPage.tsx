// Every host at a glance. (First cut: the list of hosts and their status; live gauges follow.)
import { useQuery } from 'urql';
import type { PageProps } from '../../app/pages.ts';

const HOSTS = `{ hosts(first: 500) { edges { node { id hostname status os lastSeenAt } } } }`;

interface HostRow {
  id: string;
  hostname: string;
  status: string;
  os: string | null;
  lastSeenAt: string | null;
}

export default function OverviewPage(_props: PageProps) {
  const [{ data, error, fetching }] = useQuery<{ hosts: { edges: { node: HostRow }[] } }>({ query: HOSTS });
  if (error) return <p className="error" role="alert">{error.message}</p>;
  if (!data) return <p className="muted">{fetching ? 'Loading…' : 'No data'}</p>;
  return (
    <section>
      <h1>Overview</h1>
      <ul className="host-grid">
        {data.hosts.edges.map(({ node: h }) => (
          <li key={h.id} className={`card host status-${h.status}`} data-testid="host-card">
            <strong>{h.hostname}</strong> <span className="status">{h.status}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
