// A step's extractions into metrics: from a row column, a JSONPath into JSON output, or a regex
// over text output; the metric name; labels (fixed text, or read beside each value: a column, a
// capture group, a sibling key); an optional arithmetic transform. Server problems on each field.
import { useBuilder } from './builder-context.ts';
import { emptyExtraction, type ExtractionDraft, type ExtractMode, type LabelKind, type StepDraft } from './model.ts';

const MODES: { mode: ExtractMode; label: string }[] = [
  { mode: 'regex', label: 'Regex over the output' },
  { mode: 'jsonPath', label: 'JSONPath into JSON output' },
  { mode: 'column', label: 'Column of the rows' },
];

/** Which label sources each extraction mode can read beside its values. */
const LABEL_KINDS: Record<ExtractMode, { kind: LabelKind; label: string }[]> = {
  regex: [{ kind: 'text', label: 'fixed text' }, { kind: 'group', label: 'capture group' }],
  jsonPath: [{ kind: 'text', label: 'fixed text' }, { kind: 'key', label: 'sibling key' }],
  column: [{ kind: 'text', label: 'fixed text' }, { kind: 'column', label: 'column' }],
};

export function ExtractionEditor({ step }: { step: StepDraft }) {
  const b = useBuilder();
  const disabled = !b.canEdit;
  const setAll = (extract: ExtractionDraft[]) => b.updateStep(step.key, (s) => ({ ...s, extract }));
  const set = (i: number, x: ExtractionDraft) => setAll(step.extract.map((e, j) => (j === i ? x : e)));
  return (
    <section className="extractions" aria-label={`extractions of ${step.id}`}>
      <h4>Extract into metrics</h4>
      {step.extract.length === 0 && <p className="muted small">None: the step’s own samples only.</p>}
      {step.extract.map((x, i) => {
        const err = (field: string) => b.errors[`step:${step.key}:extract:${i}:${field}`];
        const fieldError = (field: string) => err(field) && <small className="error" role="alert">{err(field)}</small>;
        return (
          <fieldset key={i} className="extraction" data-testid="extraction" disabled={disabled}>
            <div className="row">
              <label>
                From
                <select
                  value={x.mode}
                  onChange={(e) => {
                    const mode = e.target.value as ExtractMode;
                    const ok = new Set(LABEL_KINDS[mode].map((k) => k.kind));
                    set(i, { ...x, mode, labels: x.labels.map((l) => (ok.has(l.kind) ? l : { ...l, kind: 'text' })) });
                  }}
                >
                  {MODES.map((m) => (
                    <option key={m.mode} value={m.mode}>
                      {m.label}
                    </option>
                  ))}
                </select>
              </label>
              {!disabled && (
                <button type="button" className="link" aria-label="Remove extraction" onClick={() => setAll(step.extract.filter((_, j) => j !== i))}>
                  ✕
                </button>
              )}
            </div>
            {x.mode === 'regex' && (
              <div className="row">
                <label className="grow">
                  Regex
                  <input value={x.pattern} placeholder="(\d+)" spellCheck={false} onChange={(e) => set(i, { ...x, pattern: e.target.value })} />
                </label>
                <label className="narrow">
                  Group
                  <input value={x.group} inputMode="numeric" onChange={(e) => set(i, { ...x, group: e.target.value })} />
                </label>
              </div>
            )}
            {x.mode === 'jsonPath' && (
              <label>
                JSONPath
                <input value={x.path} placeholder="$.pools[*].active" spellCheck={false} onChange={(e) => set(i, { ...x, path: e.target.value })} />
              </label>
            )}
            {x.mode === 'column' && (
              <label>
                Column
                <input value={x.column} placeholder="ROWS_READ" spellCheck={false} onChange={(e) => set(i, { ...x, column: e.target.value })} />
              </label>
            )}
            {fieldError('from')}
            <label>
              Metric name
              <input value={x.metric} placeholder="app.queue.depth" spellCheck={false} onChange={(e) => set(i, { ...x, metric: e.target.value })} />
            </label>
            {fieldError('metric')}
            <div className="labels">
              <span className="muted small">Labels</span>
              {x.labels.map((l, j) => {
                const setLabel = (patch: Partial<typeof l>) => set(i, { ...x, labels: x.labels.map((o, k) => (k === j ? { ...o, ...patch } : o)) });
                return (
                  <div key={j} className="row label-row">
                    <input aria-label="Label name" placeholder="name" value={l.name} onChange={(e) => setLabel({ name: e.target.value })} />
                    <select aria-label="Label source" value={l.kind} onChange={(e) => setLabel({ kind: e.target.value as LabelKind })}>
                      {LABEL_KINDS[x.mode].map((k) => (
                        <option key={k.kind} value={k.kind}>
                          {k.label}
                        </option>
                      ))}
                    </select>
                    <input aria-label="Label value" placeholder={l.kind === 'group' ? '1 or name' : l.kind === 'text' ? 'value' : 'name'} value={l.value} onChange={(e) => setLabel({ value: e.target.value })} />
                    {!disabled && (
                      <button type="button" className="link" aria-label="Remove label" onClick={() => set(i, { ...x, labels: x.labels.filter((_, k) => k !== j) })}>
                        ✕
                      </button>
                    )}
                  </div>
                );
              })}
              {!disabled && (
                <button type="button" className="link" onClick={() => set(i, { ...x, labels: [...x.labels, { name: '', kind: 'text', value: '' }] })}>
                  + label
                </button>
              )}
              {fieldError('labels')}
            </div>
            <label>
              Transform <span className="muted">(optional: value / 1024, round(value, 1))</span>
              <input value={x.transform} spellCheck={false} onChange={(e) => set(i, { ...x, transform: e.target.value })} />
            </label>
            {fieldError('transform')}
            {fieldError('step')}
          </fieldset>
        );
      })}
      {!disabled && (
        <button type="button" className="secondary small" onClick={() => setAll([...step.extract, emptyExtraction()])}>
          + Extract a metric
        </button>
      )}
    </section>
  );
}
