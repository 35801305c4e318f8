// The probes whose targets cover the host, each with its last run here: when, how long, and
// whether it failed (the agent's error counter for the probe went up). Kept live from the agent's
// probe metrics (esmon.agent.probe.duration_ms / errors_total, labelled probe=<id>).
import { useMemo } from 'react';
import { useQuery, useSubscription } from 'urql';
import { Link } from '../../app/router.tsx';
import { ago, at } from '../../ui/figures.ts';
import { selectorFor } from './charts.ts';
import { foldRuns, mergeRuns, type LiveEvent, type LiveRuns, type Run } from './host-model.ts';

const PROBES = `query HostProbes($id: ID!) { host(id: $id) { id probes { id name enabled intervalSeconds } } }`;

const LAST_RUN = `query HostProbeRun($id: ID!, $labels: JSON!, $errors: String!, $from: DateTime!, $to: DateTime!) {
  host(id: $id) { id duration: latest(metric: "esmon.agent.probe.duration_ms", labels: $labels) { ts value } }
  samples(selector: $errors, from: $from, to: $to, maxPoints: 1000, aggregation: last) { seriesId points { ts value } }
}`;

const LIVE = `subscription HostProbeLive($hostId: ID!, $metric: String) {
  samplesAdded(hostId: $hostId, metric: $metric) { hostId samples { metric labels ts value } }
}`;

interface ProbeRow {
  id: string;
  name: string;
  enabled: boolean;
  intervalSeconds: number;
}

export function HostProbes({ hostId, hostname }: { hostId: string; hostname: string }) {
  const [{ data, error }] = useQuery<{ host: { probes: ProbeRow[] } | null }>({ query: PROBES, variables: { id: hostId } });
  const [durations] = useSubscription<LiveEvent, LiveRuns>({ query: LIVE, variables: { hostId, metric: 'esmon.agent.probe.duration_ms' } }, foldRuns);
  const [errors] = useSubscription<LiveEvent, LiveRuns>({ query: LIVE, variables: { hostId, metric: 'esmon.agent.probe.errors_total' } }, foldRuns);
  const probes = data?.host?.probes;
  return (
    <section className="host-probes">
      <h2>Probes</h2>
      {error && <p className="error" role="alert">{error.message}</p>}
      {(durations.error || errors.error) && <p className="error" role="alert">Live updates: {(durations.error ?? errors.error)!.message}</p>}
      {probes && probes.length === 0 && <p className="muted">No probe targets this host.</p>}
      {probes && probes.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Probe</th>
              <th>Every</th>
              <th>Last run here</th>
              <th>Result</th>
              <th>Took</th>
            </tr>
          </thead>
          <tbody>
            {probes.map((p) => (
              <ProbeLine
                key={p.id}
                probe={p}
                hostId={hostId}
                hostname={hostname}
                live={mergeRuns(durations.data?.[p.id], errors.data?.[p.id])}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ProbeLine({ probe, hostId, hostname, live }: { probe: ProbeRow; hostId: string; hostname: string; live: Run | undefined }) {
  // the last few runs' error counts: enough to compare the last with the one before
  const variables = useMemo(() => {
    const to = Date.now() + 1000;
    return {
      id: hostId,
      labels: { probe: probe.id },
      errors: selectorFor('esmon.agent.probe.errors_total', hostname, { probe: probe.id }),
      from: new Date(to - Math.max(4 * probe.intervalSeconds, 60) * 1000).toISOString(),
      to: new Date(to).toISOString(),
    };
  }, [hostId, hostname, probe.id, probe.intervalSeconds]);
  const [{ data, error }] = useQuery<{
    host: { duration: { ts: string; value: number } | null } | null;
    samples: { points: { ts: string; value: number }[] }[];
  }>({ query: LAST_RUN, variables });
  const points = data?.samples[0]?.points ?? [];
  const last = points[points.length - 1];
  const stored: Run | undefined = data?.host?.duration
    ? { ts: data.host.duration.ts, durationMs: data.host.duration.value, errors: last?.value, before: points[points.length - 2]?.value }
    : undefined;
  // a live run newer than the stored one wins; the stored count is then the one before it
  const run = live && (!stored || Date.parse(live.ts) > Date.parse(stored.ts)) ? { ...live, before: live.before ?? stored?.errors } : stored;
  const failed = run?.errors == null ? undefined : run.before != null ? run.errors > run.before : run.errors > 0;
  return (
    <tr data-testid="host-probe" className={probe.enabled ? undefined : 'muted'}>
      <td>
        <Link to={`/probes/${probe.id}`}>{probe.name}</Link>
        {!probe.enabled && <span className="muted"> (disabled)</span>}
      </td>
      <td>{probe.intervalSeconds} s</td>
      <td title={run ? at(run.ts) : undefined}>{error ? <span className="error">{error.message}</span> : run ? ago(run.ts) : 'not run here yet'}</td>
      <td className={failed ? 'probe-failed' : failed === false ? 'probe-ok' : undefined}>{failed == null ? '—' : failed ? 'failed' : 'ok'}</td>
      <td>{run?.durationMs != null ? `${Math.round(run.durationMs)} ms` : '—'}</td>
    </tr>
  );
}
