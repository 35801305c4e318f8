// "What would this rule have done?": the draft run over stored history (backtestRule) for a
// chosen range, drawn over the metric with its thresholds and the alert timeline, with counts.
import { useMemo, useState } from 'react';
import { useClient } from 'urql';
import { says } from '../../ui/server-error.ts';
import { bandsOf, RANGES, type ThresholdLine } from './backtest-model.ts';
import { BacktestChart, severityColor, type ChartSeries } from './BacktestChart.tsx';
import { BACKTEST, SAMPLES, type BacktestData, type SamplesData } from './queries.ts';
import type { FieldErrors } from './rule-draft.ts';

interface Props {
  input: Record<string, unknown> | undefined;
  formErrors: FieldErrors;
  ruleId: string | undefined;
  selector: string | undefined;
  lines: ThresholdLine[];
  /** a condition's value is true (1) or false (0) */
  condition: boolean;
}

interface Run {
  label: string;
  from: number;
  to: number;
  result?: BacktestData['backtestRule'];
  series: ChartSeries[];
  error?: string;
}

const MAX_SERIES = 6;
const time = (iso: string) => new Date(iso).toLocaleString();

export function BacktestPanel({ input, formErrors, ruleId, selector, lines, condition }: Props) {
  const client = useClient();
  const [run, setRun] = useState<Run>();
  const [busy, setBusy] = useState(false);

  const start = async (label: string, ms: number) => {
    const to = Date.now();
    const from = to - ms;
    if (!input) {
      setRun({ label, from, to, series: [], error: `Fix the form first: ${Object.entries(formErrors).map(([k, v]) => `${k}: ${v}`).join('; ')}` });
      return;
    }
    setBusy(true);
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const [bt, samples] = await Promise.all([
      client.query<BacktestData>(BACKTEST, { draft: { ...input, name: input.name || 'backtest draft' }, ...range, ruleId: ruleId ?? null }, { requestPolicy: 'network-only' }).toPromise(),
      selector ? client.query<SamplesData>(SAMPLES, { selector, ...range }, { requestPolicy: 'network-only' }).toPromise() : Promise.resolve(undefined),
    ]);
    setBusy(false);
    const result = bt.data?.backtestRule;
    const hosts = new Set(result?.transitions.map((t) => t.hostname));
    const all = samples?.data?.samples ?? [];
    const shown = (hosts.size > 0 ? all.filter((s) => hosts.has(s.hostname)) : all).slice(0, MAX_SERIES);
    const series = shown.map((s) => {
      const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',');
      return { label: labels ? `${s.hostname} {${labels}}` : s.hostname, xs: s.points.map((p) => Date.parse(p.ts) / 1000), ys: s.points.map((p) => p.value) };
    });
    const error = bt.error ? says(bt.error) : samples?.error ? `The metric could not be read: ${says(samples.error)}` : undefined;
    setRun({ label, from, to, series, ...(result ? { result } : {}), ...(error ? { error } : {}) });
  };

  const bands = useMemo(() => (run?.result ? bandsOf(run.result.transitions, run.to) : []), [run]);
  const r = run?.result;
  return (
    <section className="card backtest" aria-label="backtest">
      <div className="backtest-head">
        <strong>Backtest</strong>
        <span className="muted">what the rule would have done over the last</span>
        {RANGES.map((x) => (
          <button key={x.label} type="button" className={run?.label === x.label ? '' : 'secondary'} aria-pressed={run?.label === x.label} disabled={busy} onClick={() => void start(x.label, x.ms)}>
            {x.label}
          </button>
        ))}
        {busy && <span className="muted">running…</span>}
      </div>
      {run?.error && (
        <p className="error" role="alert">
          {run.error}
        </p>
      )}
      {r && run && (
        <>
          <p data-testid="backtest-summary">
            <strong>{r.transitions.length} transitions</strong> over the last {run.label} for {r.instances} instance{r.instances === 1 ? '' : 's'} ({r.points} points, {r.evaluations} evaluations)
            {r.truncated ? '; only the first 5000 are listed' : ''}
          </p>
          <ul className="backtest-counts" data-testid="backtest-counts">
            <li>pending {r.counts.pending}</li>
            <li>firing {r.counts.firing}</li>
            <li>resolved {r.counts.resolved}</li>
            <li>closed before firing {r.counts.ok}</li>
            <li>no data {r.counts.nodata}</li>
            <li>severity changes {r.counts.severityChanges}</li>
          </ul>
          <BacktestChart from={run.from} to={run.to} series={run.series} lines={lines} bands={bands} />
          <p className="backtest-legend muted">
            <span className="swatch" style={{ background: severityColor('warning'), opacity: 0.4 }} /> pending
            <span className="swatch" style={{ background: severityColor('critical'), opacity: 0.5 }} /> firing (severity colour)
            <span className="swatch dashed" /> thresholds{lines.length === 0 ? ' (none to draw)' : ''}
            {!selector && ' · the rule reads no metric to draw'}
          </p>
          {r.transitions.length > 0 && (
            <table className="transitions" aria-label="transitions">
              <thead>
                <tr>
                  <th>At</th>
                  <th>Host</th>
                  <th>Change</th>
                  <th>Severity</th>
                  <th>Value</th>
                </tr>
              </thead>
              <tbody>
                {r.transitions.slice(0, 20).map((t, i) => (
                  <tr key={i}>
                    <td>{time(t.at)}</td>
                    <td>{t.hostname}</td>
                    <td>
                      {t.kind === 'state' ? `${t.fromState} → ${t.toState}` : t.kind}
                    </td>
                    <td className={t.severity ? `sev-${t.severity}` : undefined}>{t.severity ?? '—'}</td>
                    <td>{t.value == null ? '—' : condition ? String(t.value !== 0) : t.value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
