// A form generated from a JSON Schema object: strings, numbers, integers, booleans, enums, lists of
// strings (one per line), string → string maps (headers) and nested objects, with required markers
// and descriptions as help. Secret fields are write-only: "set" when the server holds a value,
// left empty to keep it, a Clear button to remove it. The logic lives in schema-form.ts.
import type { ReactNode } from 'react';
import { kindOf, labelOf, type Draft, type FormState, type JsonSchema } from './schema-form.ts';
import './schema-form.css';

export interface SchemaFormProps {
  schema: JsonSchema;
  state: FormState;
  onChange(state: FormState): void;
  secretFields?: readonly string[];
  /** secret fields holding a value on the server */
  secretsSet?: readonly string[];
  readOnly?: boolean;
}

interface FieldProps {
  name: string;
  schema: JsonSchema;
  value: Draft;
  onChange(value: Draft): void;
  required: boolean;
  secret: boolean;
  readOnly: boolean;
  /** for a secret: what the server holds, and the user's wish to clear it */
  secretState?: { set: boolean; cleared: boolean; onClear(cleared: boolean): void };
}

function hint(s: JsonSchema): string {
  const parts: string[] = [];
  if (s.minimum !== undefined && s.maximum !== undefined) parts.push(`${s.minimum}–${s.maximum}`);
  else if (s.minimum !== undefined) parts.push(`at least ${s.minimum}`);
  else if (s.maximum !== undefined) parts.push(`at most ${s.maximum}`);
  if (s.minLength && s.minLength > 1) parts.push(`at least ${s.minLength} characters`);
  if (s.format === 'uri') parts.push('an http(s) URL');
  if (s.default !== undefined && typeof s.default !== 'object') parts.push(`default ${String(s.default)}`);
  return parts.join(' · ');
}

function Help({ schema }: { schema: JsonSchema }) {
  const h = hint(schema);
  if (!schema.description && !h) return null;
  return (
    <small className="sf-help">
      {schema.description}
      {schema.description && h ? ' · ' : ''}
      {h}
    </small>
  );
}

function SecretBadge({ s, readOnly }: { s: NonNullable<FieldProps['secretState']>; readOnly: boolean }) {
  if (s.cleared) {
    return (
      <span className="sf-secret">
        <span className="sf-badge sf-clear">will be cleared</span>
        {!readOnly && <button type="button" className="link" onClick={() => s.onClear(false)}>Undo</button>}
      </span>
    );
  }
  return (
    <span className="sf-secret">
      <span className={`sf-badge ${s.set ? 'sf-set' : ''}`}>{s.set ? 'set' : 'not set'}</span>
      {s.set && !readOnly && <button type="button" className="link" onClick={() => s.onClear(true)}>Clear</button>}
    </span>
  );
}

function Caption({ label, required, extra }: { label: string; required: boolean; extra?: ReactNode }) {
  return (
    <span className="sf-caption">
      {label}
      {required && <span className="sf-req" aria-hidden="true"> *</span>}
      {extra}
    </span>
  );
}

function MapField({ label, value, onChange, secret, readOnly }: { label: string; value: [string, string][]; onChange(v: [string, string][]): void; secret: boolean; readOnly: boolean }) {
  const rows = value.length ? value : readOnly ? [] : [['', ''] as [string, string]];
  const set = (i: number, pair: [string, string]) => onChange(rows.map((r, j) => (j === i ? pair : r)));
  return (
    <div className="sf-map">
      {rows.length === 0 && <span className="muted">none</span>}
      {rows.map(([k, v], i) => (
        <div className="sf-map-row" key={i}>
          <input aria-label={`${label} name ${i + 1}`} placeholder="name" value={k} readOnly={readOnly} onChange={(e) => set(i, [e.target.value, v])} />
          <input
            aria-label={`${label} value ${i + 1}`}
            placeholder="value"
            type={secret ? 'password' : 'text'}
            autoComplete={secret ? 'new-password' : 'off'}
            value={v}
            readOnly={readOnly}
            onChange={(e) => set(i, [k, e.target.value])}
          />
          {!readOnly && <button type="button" className="link" aria-label={`Remove ${label} ${i + 1}`} onClick={() => onChange(rows.filter((_, j) => j !== i))}>Remove</button>}
        </div>
      ))}
      {!readOnly && <button type="button" className="link" onClick={() => onChange([...rows, ['', '']])}>Add {label.toLowerCase()}</button>}
    </div>
  );
}

function Field({ name, schema, value, onChange, required, secret, readOnly, secretState }: FieldProps) {
  const label = labelOf(name, schema);
  const kind = kindOf(schema);
  const badge = secretState ? <SecretBadge s={secretState} readOnly={readOnly} /> : undefined;
  const cleared = secretState?.cleared ?? false;
  const keepHint = secretState?.set && !cleared ? 'set — leave empty to keep' : '';
  if (kind === 'object') {
    const o = (value ?? {}) as Record<string, Draft>;
    return (
      <fieldset className="sf-object">
        <legend>{label}</legend>
        <Help schema={schema} />
        {Object.entries(schema.properties ?? {}).map(([k, p]) => (
          <Field key={k} name={k} schema={p} value={o[k]} required={schema.required?.includes(k) ?? false} secret={false} readOnly={readOnly} onChange={(v) => onChange({ ...o, [k]: v })} />
        ))}
      </fieldset>
    );
  }
  if (kind === 'map') {
    return (
      <div className="sf-field">
        <Caption label={label} required={required} extra={badge} />
        {secretState?.set && !cleared && !readOnly && <small className="sf-help">set — leave empty to keep; entries given replace all of them</small>}
        {!cleared && <MapField label={label} value={value as [string, string][]} onChange={onChange} secret={secret} readOnly={readOnly} />}
        <Help schema={schema} />
      </div>
    );
  }
  if (kind === 'boolean' && (required || schema.default !== undefined)) {
    return (
      <label className="sf-check">
        <input type="checkbox" checked={value === true} disabled={readOnly} onChange={(e) => onChange(e.target.checked)} />
        <Caption label={label} required={required} />
        <Help schema={schema} />
      </label>
    );
  }
  let input: ReactNode;
  if (kind === 'boolean') {
    input = (
      <select value={value === undefined ? '' : String(value)} disabled={readOnly} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value === 'true')}>
        <option value="">(default)</option>
        <option value="true">yes</option>
        <option value="false">no</option>
      </select>
    );
  } else if (kind === 'enum') {
    input = (
      <select value={String(value ?? '')} disabled={readOnly} onChange={(e) => onChange(e.target.value)}>
        {(!required || value === '') && <option value="">{schema.default !== undefined ? `(default: ${String(schema.default)})` : '—'}</option>}
        {(schema.enum as string[]).map((o) => <option key={o} value={o}>{o}</option>)}
      </select>
    );
  } else if (kind === 'strings' || kind === 'json' || (kind === 'string' && !secret && (schema.maxLength ?? 0) > 2048)) {
    input = <textarea rows={kind === 'strings' ? 3 : 5} value={String(value ?? '')} readOnly={readOnly} placeholder={kind === 'strings' ? 'one per line' : kind === 'json' ? 'JSON' : ''} onChange={(e) => onChange(e.target.value)} />;
  } else {
    input = (
      <input
        type={secret ? 'password' : kind === 'string' ? (schema.format === 'uri' ? 'url' : 'text') : 'number'}
        autoComplete={secret ? 'new-password' : 'off'}
        value={String(value ?? '')}
        readOnly={readOnly}
        disabled={cleared}
        placeholder={keepHint}
        min={schema.minimum}
        max={schema.maximum}
        step={kind === 'integer' ? 1 : kind === 'number' ? 'any' : undefined}
        aria-required={required || undefined}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="sf-field">
      <label>
        <Caption label={label} required={required} />
        {input}
      </label>
      {badge}
      <Help schema={schema} />
    </div>
  );
}

export function SchemaForm({ schema, state, onChange, secretFields = [], secretsSet = [], readOnly = false }: SchemaFormProps) {
  return (
    <div className="sf">
      {Object.entries(schema.properties ?? {}).map(([name, prop]) => {
        const secret = secretFields.includes(name);
        return (
          <Field
            key={name}
            name={name}
            schema={prop}
            value={state.values[name]}
            required={schema.required?.includes(name) ?? false}
            secret={secret}
            readOnly={readOnly}
            onChange={(v) => onChange({ ...state, values: { ...state.values, [name]: v } })}
            {...(secret
              ? {
                  secretState: {
                    set: secretsSet.includes(name),
                    cleared: state.cleared.includes(name),
                    onClear: (c: boolean) =>
                      onChange({ values: { ...state.values, [name]: c ? (Array.isArray(state.values[name]) ? [] : '') : state.values[name] }, cleared: c ? [...state.cleared, name] : state.cleared.filter((n) => n !== name) }),
                  },
                }
              : {})}
          />
        );
      })}
    </div>
  );
}
