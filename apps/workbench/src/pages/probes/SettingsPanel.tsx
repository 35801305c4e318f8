// The probe's own settings: name, description, interval, timeout, enabled, and which hosts run it
// (host ids picked from the list, labels, a hostname glob; every criterion given must hold) with a
// preview of the hosts that match now.
import { useState } from 'react';
import type { HostRow } from './api.ts';
import type { ProbeDraft, TargetsDraft } from './model.ts';
import { hostMatches, scopeIsEmpty } from './scope.ts';
import type { ErrorMap } from './server-errors.ts';

interface Props {
  draft: ProbeDraft;
  onChange(d: ProbeDraft): void;
  hosts: HostRow[];
  hostsError?: Error;
  errors: ErrorMap;
  disabled: boolean;
}

export function SettingsPanel({ draft, onChange, hosts, hostsError, errors, disabled }: Props) {
  const [filter, setFilter] = useState('');
  const set = (patch: Partial<ProbeDraft>) => onChange({ ...draft, ...patch });
  const t = draft.targets;
  const setTargets = (patch: Partial<TargetsDraft>) => set({ targets: { ...t, ...patch } });
  const scope = {
    hostIds: t.hostIds,
    labels: Object.fromEntries(t.labels.filter((l) => l.name.trim()).map((l) => [l.name.trim(), l.value])),
    hostnamePattern: t.hostnamePattern.trim() || undefined,
  };
  const matching = hosts.filter((h) => hostMatches(scope, { id: h.id, hostname: h.hostname, labels: h.labels ?? {} }));
  const err = (f: string) =>
    errors[`settings:${f}`] && (
      <small className="error" role="alert">
        {errors[`settings:${f}`]}
      </small>
    );
  const listed = hosts.filter((h) => !filter || h.hostname.toLowerCase().includes(filter.toLowerCase()) || t.hostIds.includes(Number(h.id)));

  return (
    <fieldset className="settings card" disabled={disabled} aria-label="Probe settings">
      <div className="settings-grid">
        <label>
          Name
          <input value={draft.name} onChange={(e) => set({ name: e.target.value })} />
          {err('name')}
        </label>
        <label>
          Interval (s)
          <input type="number" min={5} value={draft.intervalSeconds} onChange={(e) => set({ intervalSeconds: e.target.value })} />
          {err('intervalSeconds')}
        </label>
        <label>
          Timeout (s)
          <input type="number" min={1} value={draft.timeoutSeconds} onChange={(e) => set({ timeoutSeconds: e.target.value })} />
          {err('timeoutSeconds')}
        </label>
        <label className="inline">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> Enabled
        </label>
        <label className="wide">
          Description
          <input value={draft.description} onChange={(e) => set({ description: e.target.value })} />
          {err('description')}
        </label>
      </div>
      <h3>Runs on</h3>
      <div className="targets">
        <div>
          <label>
            Hosts <span className="muted">(none ticked: any host)</span>
            <input type="search" placeholder="filter hosts" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </label>
          {hostsError && <p className="error">{hostsError.message}</p>}
          <ul className="host-picks" aria-label="Target hosts">
            {listed.map((h) => (
              <li key={h.id}>
                <label className="inline">
                  <input
                    type="checkbox"
                    checked={t.hostIds.includes(Number(h.id))}
                    onChange={(e) =>
                      setTargets({ hostIds: e.target.checked ? [...t.hostIds, Number(h.id)] : t.hostIds.filter((id) => id !== Number(h.id)) })
                    }
                  />
                  {h.hostname} <span className={`muted small host-${h.status}`}>{h.status}</span>
                </label>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <div className="muted">Labels (all must match)</div>
          {t.labels.map((l, i) => (
            <div key={i} className="row">
              <input aria-label="Target label name" placeholder="env" value={l.name} onChange={(e) => setTargets({ labels: t.labels.map((o, j) => (j === i ? { ...o, name: e.target.value } : o)) })} />
              <input aria-label="Target label value" placeholder="prod" value={l.value} onChange={(e) => setTargets({ labels: t.labels.map((o, j) => (j === i ? { ...o, value: e.target.value } : o)) })} />
              <button type="button" className="link" aria-label="Remove target label" onClick={() => setTargets({ labels: t.labels.filter((_, j) => j !== i) })}>
                ✕
              </button>
            </div>
          ))}
          <button type="button" className="link" onClick={() => setTargets({ labels: [...t.labels, { name: '', value: '' }] })}>
            + label
          </button>
          <label>
            Hostname glob
            <input placeholder="maximo-*" value={t.hostnamePattern} onChange={(e) => setTargets({ hostnamePattern: e.target.value })} />
          </label>
          {err('targets')}
        </div>
        <div className="preview" data-testid="target-preview">
          <strong>
            {matching.length} of {hosts.length} host{hosts.length === 1 ? '' : 's'} match
          </strong>
          {scopeIsEmpty(scope) && <p className="muted small">No criteria: every host, present and future, runs this probe.</p>}
          <ul>
            {matching.slice(0, 30).map((h) => (
              <li key={h.id}>{h.hostname}</li>
            ))}
            {matching.length > 30 && <li className="muted">… and {matching.length - 30} more</li>}
          </ul>
        </div>
      </div>
    </fieldset>
  );
}
