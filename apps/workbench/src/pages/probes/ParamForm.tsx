// A form drawn from a plugin's parameter schema (JSON Schema with `ui` metadata): text, number,
// checkbox, select, lists (one item per line), key/value pairs, secret references, JSON for the
// rest, and Monaco for SQL, PowerShell and WQL, loaded only when such a field is shown.
import { lazy, Suspense, useEffect, useState, type ReactNode } from 'react';
import { arrayToLines, fieldKind, isVisible, linesToArray, monacoLanguage, SECRET_HELP, SECRET_REF } from './form-logic.ts';
import type { JsonSchema } from './model.ts';

const MonacoField = lazy(() => import('./MonacoField.tsx'));

export interface ParamFormProps {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange(next: Record<string, unknown>): void;
  /** by parameter name */
  errors: Record<string, string | undefined>;
  disabled: boolean;
}

export function ParamForm({ schema, value, onChange, errors, disabled }: ParamFormProps) {
  const props = schema.properties ?? {};
  const set = (name: string, v: unknown) => {
    const next = { ...value };
    if (v === undefined) delete next[name];
    else next[name] = v;
    onChange(next);
  };
  return (
    <div className="param-form">
      {Object.entries(props)
        .filter(([, s]) => isVisible(s, value, props))
        .map(([name, s]) => (
          <Field
            key={name}
            name={name}
            schema={s}
            required={!!schema.required?.includes(name) && s.default === undefined}
            value={value[name]}
            onChange={(v) => set(name, v)}
            error={errors[name]}
            disabled={disabled}
          />
        ))}
    </div>
  );
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange(v: unknown): void;
  error: string | undefined;
  disabled: boolean;
}

function Field({ name, schema: s, required, value, onChange, error, disabled }: FieldProps) {
  const kind = fieldKind(s);
  const label = `${s.ui?.label ?? name}${required ? ' *' : ''}`;
  const help = kind === 'secret' ? [s.ui?.help, SECRET_HELP].filter(Boolean).join(' — ') : s.ui?.help;
  const shown = value ?? s.default;
  const secretBad = kind === 'secret' && typeof value === 'string' && value !== '' && !SECRET_REF.test(value);
  const describe = (control: ReactNode) => (
    <div className={`field field-${kind}${error ? ' has-error' : ''}`} data-param={name}>
      {control}
      {help && <small className="muted">{help}</small>}
      {secretBad && <small className="error">not a secret reference: the server will refuse it</small>}
      {error && (
        <small className="error" role="alert" data-testid={`param-error-${name}`}>
          {error}
        </small>
      )}
    </div>
  );
  const text = (v: string) => onChange(v === '' ? undefined : v);

  switch (kind) {
    case 'checkbox':
      return describe(
        <label className="inline">
          <input type="checkbox" disabled={disabled} checked={shown === true} onChange={(e) => onChange(e.target.checked)} /> {label}
        </label>,
      );
    case 'select':
      return describe(
        <label>
          {label}
          <select disabled={disabled} value={shown === undefined ? '' : String(shown)} onChange={(e) => text(e.target.value)}>
            {s.default === undefined && <option value="">—</option>}
            {(s.enum ?? []).map((o) => (
              <option key={String(o)} value={String(o)}>
                {String(o)}
              </option>
            ))}
          </select>
        </label>,
      );
    case 'number':
      return describe(
        <label>
          {label}
          <input
            type="number"
            disabled={disabled}
            value={typeof value === 'number' ? value : ''}
            placeholder={s.default !== undefined ? String(s.default) : (s.ui?.placeholder ?? '')}
            min={s.minimum}
            max={s.maximum}
            onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
          />
        </label>,
      );
    case 'lines':
      return describe(
        <label>
          {label} <span className="muted">(one per line)</span>
          <TextBuffer
            value={value}
            format={arrayToLines}
            parse={(t) => ({ value: linesToArray(t, s.items) })}
            onChange={onChange}
            disabled={disabled}
            placeholder={s.default !== undefined ? arrayToLines(s.default) : (s.ui?.placeholder ?? '')}
          />
        </label>,
      );
    case 'keyvalue':
      return describe(
        <label>
          {label} <span className="muted">(Name: value, one per line)</span>
          <TextBuffer
            value={value}
            format={(v) => Object.entries((v ?? {}) as Record<string, string>).map(([k, x]) => `${k}: ${x}`).join('\n')}
            parse={parsePairs}
            onChange={onChange}
            disabled={disabled}
            placeholder="X-Api-Key: secret:api_key"
          />
        </label>,
      );
    case 'json':
      return describe(
        <label>
          {label} <span className="muted">(JSON)</span>
          <TextBuffer
            value={value}
            format={(v) => (v === undefined ? '' : JSON.stringify(v, null, 2))}
            parse={parseJson}
            onChange={onChange}
            disabled={disabled}
            placeholder={s.default !== undefined ? JSON.stringify(s.default) : ''}
            rows={5}
          />
        </label>,
      );
    case 'monaco':
      return describe(
        <div className="monaco-label" role="group" aria-label={label}>
          <span>{label}</span>
          <Suspense fallback={<p className="muted">Loading the editor…</p>}>
            <MonacoField value={typeof value === 'string' ? value : ''} language={monacoLanguage(s.ui?.widget)} readOnly={disabled} label={label} onChange={text} />
          </Suspense>
        </div>,
      );
    case 'textarea':
      return describe(
        <label>
          {label}
          <textarea disabled={disabled} rows={4} value={typeof value === 'string' ? value : ''} onChange={(e) => text(e.target.value)} />
        </label>,
      );
    default:
      return describe(
        <label>
          {label}
          <input
            type="text"
            disabled={disabled}
            value={typeof value === 'string' ? value : ''}
            placeholder={kind === 'secret' ? 'secret:NAME' : typeof s.default === 'string' ? s.default : (s.ui?.placeholder ?? '')}
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => text(e.target.value)}
          />
        </label>,
      );
  }
}

function parsePairs(text: string): { value?: unknown; error?: string } {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const i = line.indexOf(':');
    if (i <= 0) return { error: `"${line.trim()}": write Name: value` };
    out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return { value: Object.keys(out).length ? out : undefined };
}

function parseJson(text: string): { value?: unknown; error?: string } {
  if (!text.trim()) return { value: undefined };
  try {
    return { value: JSON.parse(text) };
  } catch (err) {
    return { error: `not JSON: ${(err as Error).message}` };
  }
}

/** A textarea whose text is kept as typed while the value it stands for goes up on every change. */
function TextBuffer(props: {
  value: unknown;
  format(v: unknown): string;
  parse(text: string): { value?: unknown; error?: string };
  onChange(v: unknown): void;
  disabled: boolean;
  placeholder: string;
  rows?: number;
}) {
  const { value, format, parse, onChange } = props;
  const [text, setText] = useState(() => format(value));
  const [problem, setProblem] = useState<string>();
  // a change from elsewhere (loading, undo) replaces the text; our own edits round-trip to the same value
  useEffect(() => {
    const mine = parse(text);
    if (!mine.error && JSON.stringify(mine.value) !== JSON.stringify(value)) setText(format(value));
  }, [value]);
  return (
    <>
      <textarea
        rows={props.rows ?? 3}
        disabled={props.disabled}
        value={text}
        placeholder={props.placeholder}
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          const r = parse(e.target.value);
          setProblem(r.error);
          if (!r.error) onChange(r.value);
        }}
      />
      {problem && <small className="error">{problem}</small>}
    </>
  );
}
