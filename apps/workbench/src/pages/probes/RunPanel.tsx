// "Run on host now": pick an online host, run the saved probe on its agent (runProbeNow), and read
// the trace: each step's status, duration, rows and samples, its error and output; then every
// sample the run produced and the values that became none.
import { useState } from 'react';
import type { HostRow } from './api.ts';
import { formatLabels, type ProbeTrace, type TraceSample } from './trace.ts';

interface Props {
  hosts: HostRow[];
  onRun(hostId: string): void;
  running: boolean;
  /** why running is not possible now (nothing to run yet) */
  blocked?: string;
  dirty: boolean;
  error?: string;
  trace?: ProbeTrace;
  samplesByStep?: ReadonlyMap<string, TraceSample[]>;
  hostname?: string | undefined;
  /** the saved version that ran (the agent runs the definition it is sent and does not know it) */
  version?: number;
}

export function RunPanel({ hosts, onRun, running, blocked, dirty, error, trace, samplesByStep, hostname, version }: Props) {
  const online = hosts.filter((h) => h.status === 'online');
  const [picked, setPicked] = useState('');
  const hostId = online.some((h) => h.id === picked) ? picked : (online[0]?.id ?? '');
  return (
    <section className="run card" aria-label="Run the probe on a host">
      <div className="row">
        <label>
          Host
          <select value={hostId} onChange={(e) => setPicked(e.target.value)} aria-label="Run on host">
            {online.length === 0 && <option value="">no host is online</option>}
            {online.map((h) => (
              <option key={h.id} value={h.id}>
                {h.hostname}
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={running || !hostId || !!blocked} onClick={() => onRun(hostId)}>
          {running ? 'Running…' : dirty ? 'Save and run on host now' : 'Run on host now'}
        </button>
        {blocked && <span className="muted">{blocked}</span>}
      </div>
      {error && (
        <p className="error" role="alert" data-testid="run-error">
          {error}
        </p>
      )}
      {trace && (
        <div className="trace" data-testid="trace">
          <p>
            <span className={`badge st-${trace.status}`} data-testid="trace-status">
              {trace.status}
            </span>{' '}
            version {version ?? trace.version} on {hostname ?? 'the host'} · {trace.durationMs} ms · {trace.samples.length} sample{trace.samples.length === 1 ? '' : 's'} · started{' '}
            {new Date(trace.startedAt).toLocaleTimeString()}
          </p>
          <table className="trace-steps">
            <thead>
              <tr>
                <th>#</th>
                <th>Step</th>
                <th>Status</th>
                <th>Duration</th>
                <th>Rows</th>
                <th>Samples</th>
                <th>Error</th>
              </tr>
            </thead>
            <tbody>
              {trace.steps.map((s, i) => (
                <tr key={s.id} data-testid="trace-step" data-step-id={s.id} className={`st-row-${s.status}`}>
                  <td>{i + 1}</td>
                  <td>
                    {s.id} <span className="muted">({s.plugin})</span>
                  </td>
                  <td>
                    <span className={`badge st-${s.status}`}>{s.status}</span>
                  </td>
                  <td>{s.durationMs} ms</td>
                  <td>{s.rowCount ?? '—'}</td>
                  <td data-testid="trace-step-samples">{samplesByStep?.get(s.id)?.length ?? 0}</td>
                  <td className="error">{s.error ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {trace.steps.map((s) =>
            s.output || s.input !== undefined ? (
              <details key={s.id} className="step-io">
                <summary>
                  {s.id}: input and output
                </summary>
                {s.input !== undefined && <pre>{JSON.stringify(s.input, null, 2)}</pre>}
                {s.output && <pre>{s.output}</pre>}
              </details>
            ) : null,
          )}
          <h4>Samples</h4>
          <table className="trace-samples">
            <thead>
              <tr>
                <th>Metric</th>
                <th>Labels</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {trace.samples.map((x, i) => (
                <tr key={i} data-testid="trace-sample" data-metric={x.metric}>
                  <td>{x.metric}</td>
                  <td className="muted">{formatLabels(x.labels)}</td>
                  <td data-testid="trace-sample-value">{x.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {trace.problems.length > 0 && (
            <>
              <h4>Values that became no sample</h4>
              <ul className="problems" data-testid="trace-problems">
                {trace.problems.map((p, i) => (
                  <li key={i} className="error">
                    {p}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
    </section>
  );
}
