// Everything about a rule besides its expression: severity levels (thresholds and recoveries for
// a value rule, one severity for a condition), timing, missing data, scope, labels and summary.
import type { ReactNode } from 'react';
import { COMPARATORS, NO_DATA_POLICIES, SEVERITIES, type FieldErrors, type LevelDraft, type RuleDraft, type RuleKind } from './rule-draft.ts';

interface Props {
  draft: RuleDraft;
  change(patch: Partial<RuleDraft>): void;
  kind: RuleKind | undefined;
  errors: FieldErrors;
  readOnly: boolean;
}

const NO_DATA_TEXT: Record<string, string> = {
  nodata: 'open a "no data" alert',
  ok: 'treat as fine',
  alerting: 'treat as alerting',
  keep_last: 'keep the last state',
};

function Field({ label, error, children, wide }: { label: string; error: string | undefined; children: ReactNode; wide?: boolean }) {
  return (
    <label className={wide ? 'wide' : undefined}>
      {label}
      {children}
      {error && (
        <span className="error field-error" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

export function RuleSettings({ draft, change, kind, errors, readOnly }: Props) {
  const setLevel = (i: number, patch: Partial<LevelDraft>) => change({ levels: draft.levels.map((l, j) => (j === i ? { ...l, ...patch } : l)) });
  const unused = SEVERITIES.filter((s) => !draft.levels.some((l) => l.severity === s));
  const isValue = kind !== 'condition';
  return (
    <div className="rule-settings">
      <fieldset className="card" disabled={readOnly}>
        <legend>Severity levels</legend>
        {kind === 'condition' ? (
          <p className="muted">A condition rule has one severity (set it here or in the graph's severity node); its expression decides when it fires.</p>
        ) : (
          <p className="muted">
            The value is compared with each threshold; a level clears on the good side of its recovery (empty: the threshold).
          </p>
        )}
        <table className="levels" aria-label="severity levels">
          <thead>
            <tr>
              <th>Severity</th>
              {isValue && <th>Comparator</th>}
              {isValue && <th>Threshold</th>}
              {isValue && <th>Recovery</th>}
              <th />
            </tr>
          </thead>
          <tbody>
            {(kind === 'condition' ? draft.levels.slice(0, 1) : draft.levels).map((l, i) => (
              <tr key={i} className={`sev-${l.severity}`}>
                <td>
                  <select aria-label={`Severity ${i + 1}`} value={l.severity} onChange={(e) => setLevel(i, { severity: e.target.value as LevelDraft['severity'] })}>
                    {SEVERITIES.map((s) => (
                      <option key={s} value={s} disabled={s !== l.severity && draft.levels.some((x) => x.severity === s)}>
                        {s}
                      </option>
                    ))}
                  </select>
                </td>
                {isValue && (
                  <td>
                    <select aria-label="Comparator" value={draft.comparator} onChange={(e) => change({ comparator: e.target.value as RuleDraft['comparator'] })}>
                      {COMPARATORS.map((c) => (
                        <option key={c}>{c}</option>
                      ))}
                    </select>
                  </td>
                )}
                {isValue && (
                  <td>
                    <input aria-label={`${l.severity} threshold`} inputMode="decimal" value={l.threshold} onChange={(e) => setLevel(i, { threshold: e.target.value })} />
                    {errors[`levels[${i}].threshold`] && <span className="error field-error">{errors[`levels[${i}].threshold`]}</span>}
                  </td>
                )}
                {isValue && (
                  <td>
                    <input aria-label={`${l.severity} recovery`} inputMode="decimal" placeholder={l.threshold || 'threshold'} value={l.recovery} onChange={(e) => setLevel(i, { recovery: e.target.value })} />
                    {errors[`levels[${i}].recovery`] && <span className="error field-error">{errors[`levels[${i}].recovery`]}</span>}
                  </td>
                )}
                <td>
                  {draft.levels.length > 1 && kind !== 'condition' && (
                    <button type="button" className="link" onClick={() => change({ levels: draft.levels.filter((_, j) => j !== i) })}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {(errors.levels || errors['levels[0].severity'] || errors['levels[0]']) && (
          <p className="error" role="alert">
            {errors.levels ?? errors['levels[0].severity'] ?? errors['levels[0]']}
          </p>
        )}
        {isValue && unused.length > 0 && (
          <button type="button" className="link" onClick={() => change({ levels: [...draft.levels, { severity: unused[0]!, threshold: '', recovery: '' }] })}>
            + Add a level
          </button>
        )}
      </fieldset>

      <fieldset className="card grid" disabled={readOnly}>
        <legend>When</legend>
        <Field label="For (breach lasts before firing)" error={errors.forSeconds}>
          <input value={draft.forText} placeholder="0, 90s, 5m" onChange={(e) => change({ forText: e.target.value })} />
        </Field>
        <Field label="Keep firing after it clears" error={errors.keepFiringSeconds}>
          <input value={draft.keepFiringText} placeholder="0, 90s, 5m" onChange={(e) => change({ keepFiringText: e.target.value })} />
        </Field>
        <Field label="Without data" error={errors.noDataPolicy}>
          <select value={draft.noDataPolicy} onChange={(e) => change({ noDataPolicy: e.target.value as RuleDraft['noDataPolicy'] })}>
            {NO_DATA_POLICIES.map((p) => (
              <option key={p} value={p}>
                {NO_DATA_TEXT[p]}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Enabled" error={errors.enabled}>
          <input type="checkbox" checked={draft.enabled} onChange={(e) => change({ enabled: e.target.checked })} />
        </Field>
      </fieldset>

      <fieldset className="card grid" disabled={readOnly}>
        <legend>Where and what</legend>
        <Field label="Scope" error={errors.scope}>
          <select value={draft.scopeMode} onChange={(e) => change({ scopeMode: e.target.value as RuleDraft['scopeMode'] })}>
            <option value="all">all hosts</option>
            <option value="glob">hostnames matching</option>
            <option value="labels">hosts with labels</option>
          </select>
          {draft.scopeMode === 'glob' && <input aria-label="Hostname pattern" placeholder="web-*" value={draft.hostnamePattern} onChange={(e) => change({ hostnamePattern: e.target.value })} />}
          {draft.scopeMode === 'labels' && <textarea aria-label="Host labels" rows={2} placeholder="env=prod" value={draft.scopeLabels} onChange={(e) => change({ scopeLabels: e.target.value })} />}
        </Field>
        <Field label="Labels (name=value per line)" error={errors.labels}>
          <textarea rows={2} placeholder="team=db" value={draft.labels} onChange={(e) => change({ labels: e.target.value })} />
        </Field>
        <Field label="Summary" error={errors.summary} wide>
          <input placeholder="{{host}}: load {{value}}" value={draft.summary} onChange={(e) => change({ summary: e.target.value })} />
        </Field>
        <Field label="Description" error={errors.description} wide>
          <textarea rows={2} value={draft.description} onChange={(e) => change({ description: e.target.value })} />
        </Field>
      </fieldset>
    </div>
  );
}
