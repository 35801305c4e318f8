// The list's filters: state, severity, host, rule, acknowledged, search text and open only. The
// page keeps them in the URL query; this form only edits them. Hosts are searched on the server as
// you type (HostPicker): a fleet does not fit one page; the rules do.
import { useEffect, useState } from 'react';
import { useQuery } from 'urql';
import { HostPicker } from '../../ui/HostPicker.tsx';
import { FILTER_CHOICES, type FilterChoicesData } from './queries.ts';
import { DEFAULT_FILTERS, SEVERITIES, errorText, STATES, severityLabel, toggle, type ListFilters } from './alert-model.ts';

export function AlertFilters({ value, onChange }: { value: ListFilters; onChange(f: ListFilters): void }) {
  const [{ data, error }] = useQuery<FilterChoicesData>({ query: FILTER_CHOICES });
  const [search, setSearch] = useState(value.search);
  useEffect(() => setSearch(value.search), [value.search]);
  const set = (patch: Partial<ListFilters>) => onChange({ ...value, ...patch });
  const rules = data?.rules ?? [];
  return (
    <form
      className="alert-filters"
      aria-label="alert filters"
      onSubmit={(e) => {
        e.preventDefault();
        set({ search });
      }}
    >
      <label>
        Search
        <input type="search" value={search} placeholder="rule, host or fingerprint" maxLength={200} onChange={(e) => setSearch(e.target.value)} onBlur={() => search !== value.search && set({ search })}
          // Enter applies it: with the host picker's box beside it the form no longer submits implicitly
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              set({ search });
            }
          }}
        />
      </label>
      <fieldset>
        <legend>State</legend>
        {STATES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={value.states.includes(s)} onChange={() => set({ states: toggle(value.states, s, STATES) })} />
            {s === 'nodata' ? 'no data' : s}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Severity</legend>
        {SEVERITIES.map((s) => (
          <label key={s} className="check">
            <input type="checkbox" checked={value.severities.includes(s)} onChange={() => set({ severities: toggle(value.severities, s, SEVERITIES) })} />
            {severityLabel(s)}
          </label>
        ))}
      </fieldset>
      <HostPicker value={value.hostId} onChange={(hostId) => set({ hostId })} />
      <label>
        Rule
        <select value={value.ruleId} onChange={(e) => set({ ruleId: e.target.value })}>
          <option value="">any rule</option>
          {value.ruleId && !rules.some((r) => r.id === value.ruleId) && <option value={value.ruleId}>rule {value.ruleId}</option>}
          {rules.map((r) => (
            <option key={r.id} value={r.id}>{r.name}</option>
          ))}
        </select>
      </label>
      <label>
        Acknowledged
        <select value={value.ack} onChange={(e) => set({ ack: e.target.value as ListFilters['ack'] })}>
          <option value="">either</option>
          <option value="yes">acknowledged</option>
          <option value="no">not acknowledged</option>
        </select>
      </label>
      <label className="check">
        <input type="checkbox" checked={value.openOnly} onChange={(e) => set({ openOnly: e.target.checked })} />
        Open only
      </label>
      <button type="button" className="secondary" onClick={() => onChange(DEFAULT_FILTERS)}>Reset</button>
      {error && <p className="error" role="alert">Rules for the filter: {errorText(error)}</p>}
    </form>
  );
}
