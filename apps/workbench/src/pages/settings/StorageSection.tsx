// Admins: how long each resolution of the samples is kept (changed here, enforced at the next
// maintenance run) and how much the store takes.
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { bytes, count } from '../../ui/figures.ts';
import { says } from '../../ui/server-error.ts';

const RETENTION = `{ retentionPolicies { resolution keepDays keepSeconds source } }`;
const SET = `mutation ($resolution: Resolution!, $keepDays: Float) { setRetentionPolicy(resolution: $resolution, keepDays: $keepDays) { resolution keepDays keepSeconds source } }`;
const STORAGE = `{ storage { table partitions bytes rows samples bytesPerSample } }`;

interface Policy {
  resolution: 'raw' | 'minute' | 'hour';
  keepDays: number;
  keepSeconds: number;
  source: string;
}

interface Table {
  table: string;
  partitions: number;
  bytes: number;
  rows: number;
  samples: number | null;
  bytesPerSample: number | null;
}

const RESOLUTION: Record<Policy['resolution'], string> = { raw: 'Raw samples', minute: '1-minute rollups', hour: '1-hour rollups' };
const days = (d: number) => String(Math.round(d * 1000) / 1000);

function PolicyRow({ p, onSaved }: { p: Policy; onSaved(): void }) {
  const [value, setValue] = useState(days(p.keepDays));
  const [{ fetching, error }, set] = useMutation<{ setRetentionPolicy: Policy[] }>(SET);
  const [problem, setProblem] = useState<string | null>(null);

  async function save(keepDays: number | null) {
    setProblem(null);
    const r = await set({ resolution: p.resolution, keepDays });
    if (r.data) onSaved();
  }

  function submit() {
    const n = Number(value);
    if (!value.trim() || !Number.isFinite(n)) return setProblem('a number of days');
    void save(n);
  }

  return (
    <tr data-testid="retention-row">
      <td>{RESOLUTION[p.resolution]}</td>
      <td>
        <input aria-label={`Keep days of ${RESOLUTION[p.resolution]}`} className="days" type="number" min={0.05} step="any" value={value} onChange={(e) => setValue(e.target.value)} />{' '}
        days
      </td>
      <td>{p.source === 'admin' ? 'set here' : 'environment default'}</td>
      <td>
        <button type="button" className="secondary" disabled={fetching || value === days(p.keepDays)} onClick={submit}>Save</button>{' '}
        {p.source === 'admin' && <button type="button" className="link" disabled={fetching} onClick={() => void save(null)}>Use default</button>}
        {(problem ?? error) && <div className="error" role="alert">{problem ?? (error ? says(error) : '')}</div>}
      </td>
    </tr>
  );
}

export function StorageSection() {
  const [retention, refetchRetention] = useQuery<{ retentionPolicies: Policy[] }>({ query: RETENTION });
  const [storage] = useQuery<{ storage: Table[] }>({ query: STORAGE });
  const [version, setVersion] = useState(0);
  const policies = retention.data?.retentionPolicies ?? [];
  return (
    <>
      <section aria-labelledby="retention-title">
        <h2 id="retention-title">Retention</h2>
        {retention.error && <p className="error" role="alert">{says(retention.error)}</p>}
        {policies.length > 0 && (
          <table>
            <thead><tr><th>Resolution</th><th>Keep</th><th>Source</th><th /></tr></thead>
            <tbody>
              {policies.map((p) => (
                <PolicyRow
                  key={`${p.resolution}:${p.keepSeconds}:${p.source}:${version}`}
                  p={p}
                  onSaved={() => {
                    setVersion((v) => v + 1);
                    refetchRetention({ requestPolicy: 'network-only' });
                  }}
                />
              ))}
            </tbody>
          </table>
        )}
        <p className="muted">Older data goes at the next maintenance run. Raw samples must outlive ESMON_INGEST_MAX_AGE.</p>
      </section>
      <section aria-labelledby="storage-title">
        <h2 id="storage-title">Storage</h2>
        {storage.error && <p className="error" role="alert">{says(storage.error)}</p>}
        {storage.data && (
          <table className="storage">
            <thead><tr><th>Table</th><th>Partitions</th><th>Rows</th><th>Samples</th><th>On disk</th><th>Bytes per sample</th></tr></thead>
            <tbody>
              {storage.data.storage.map((t) => (
                <tr key={t.table} data-testid="storage-row">
                  <td><code>{t.table}</code></td>
                  <td>{count(t.partitions)}</td>
                  <td>{count(t.rows)}</td>
                  <td>{count(t.samples)}</td>
                  <td>{bytes(t.bytes)}</td>
                  <td>{t.bytesPerSample == null ? '—' : t.bytesPerSample.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th>Total</th>
                <td />
                <td>{count(storage.data.storage.reduce((s, t) => s + t.rows, 0))}</td>
                <td />
                <td>{bytes(storage.data.storage.reduce((s, t) => s + t.bytes, 0))}</td>
                <td />
              </tr>
            </tfoot>
          </table>
        )}
      </section>
    </>
  );
}
