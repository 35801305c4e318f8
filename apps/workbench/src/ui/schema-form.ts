// The logic behind SchemaForm, without React: what kind of input a JSON Schema property needs,
// the editable draft of a configuration, and the configuration a draft stands for. Secret fields
// are write-only: their draft starts empty, empty means "keep what is stored", and a cleared one
// is sent as null (the server's convention for "remove this secret").

export interface JsonSchema {
  type?: string | string[];
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  items?: JsonSchema;
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: string;
  pattern?: string;
}

export type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'strings' | 'map' | 'object' | 'json';

/** A draft value: text for strings, enums, numbers, lists (one per line) and JSON; pairs for maps. */
export type Draft = string | boolean | undefined | [string, string][] | { [name: string]: Draft };

export interface FormState {
  values: Record<string, Draft>;
  /** secret fields the user asked to clear */
  cleared: string[];
}

export interface SecretInfo {
  secretFields: readonly string[];
  /** the secret fields that hold a value on the server */
  secretsSet: readonly string[];
  /** creating (a secret left empty is simply absent) or updating (left empty keeps it) */
  mode: 'create' | 'update';
}

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

export function kindOf(s: JsonSchema): FieldKind {
  if (Array.isArray(s.enum) && s.enum.every((v) => typeof v === 'string')) return 'enum';
  const t = typeOf(s);
  if (t === 'string' || t === 'number' || t === 'integer' || t === 'boolean') return t;
  if (t === 'array' && s.items && typeOf(s.items) === 'string' && !s.items.enum) return 'strings';
  if (t === 'object' && s.properties && Object.keys(s.properties).length > 0) return 'object';
  if (t === 'object' && typeof s.additionalProperties === 'object' && typeOf(s.additionalProperties) === 'string') return 'map';
  return 'json';
}

/** "timeoutSeconds" → "Timeout seconds", "tlsRejectUnauthorized" → "Tls reject unauthorized". */
export function labelOf(name: string, s?: JsonSchema): string {
  if (s?.title) return s.title;
  const words = name.replace(/_/g, ' ').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The editable draft of a stored value (or of the schema's default when there is none). */
export function draftOf(s: JsonSchema, value: unknown): Draft {
  const v = value === undefined ? s.default : value;
  switch (kindOf(s)) {
    case 'string':
    case 'enum':
      return typeof v === 'string' ? v : '';
    case 'number':
    case 'integer':
      return typeof v === 'number' ? String(v) : '';
    case 'boolean':
      return typeof v === 'boolean' ? v : undefined;
    case 'strings':
      return Array.isArray(v) ? v.map(String).join('\n') : '';
    case 'map':
      return v && typeof v === 'object' ? Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, String(x)]) : [];
    case 'object': {
      const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, p]) => [k, draftOf(p, o[k])]));
    }
    default:
      return v === undefined ? '' : JSON.stringify(v, null, 2);
  }
}

/** The draft of a whole configuration; secret fields start empty (their values never come back). */
export function initialState(schema: JsonSchema, config: Record<string, unknown> | undefined, secretFields: readonly string[] = []): FormState {
  const values: Record<string, Draft> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    values[name] = secretFields.includes(name) ? draftOf({ ...prop, default: undefined }, undefined) : draftOf(prop, config?.[name]);
  }
  return { values, cleared: [] };
}

/** Whether a draft holds nothing the user typed. */
export function isEmpty(d: Draft): boolean {
  if (d === undefined || d === '') return true;
  if (typeof d === 'string') return d.trim() === '';
  if (Array.isArray(d)) return d.every(([k, v]) => !k.trim() && !v.trim());
  if (typeof d === 'object') return Object.values(d).every(isEmpty);
  return false;
}

type Result = { ok: true; value: unknown } | { ok: false; error: string };

/** The value a draft stands for; `undefined` when it is empty (the field is left out). */
export function valueOf(s: JsonSchema, d: Draft, path: string): Result {
  if (isEmpty(d) && kindOf(s) !== 'object') return { ok: true, value: undefined };
  switch (kindOf(s)) {
    case 'string':
    case 'enum':
      return { ok: true, value: d };
    case 'number':
    case 'integer': {
      const n = Number(String(d).trim());
      if (!Number.isFinite(n)) return { ok: false, error: `${path}: a number` };
      if (kindOf(s) === 'integer' && !Number.isInteger(n)) return { ok: false, error: `${path}: a whole number` };
      return { ok: true, value: n };
    }
    case 'boolean':
      return { ok: true, value: d };
    case 'strings':
      return { ok: true, value: String(d).split('\n').map((l) => l.trim()).filter(Boolean) };
    case 'map': {
      const out: Record<string, string> = {};
      for (const [k, v] of d as [string, string][]) {
        if (!k.trim() && !v.trim()) continue;
        if (!k.trim()) return { ok: false, error: `${path}: a name for the value "${v}"` };
        if (Object.hasOwn(out, k.trim())) return { ok: false, error: `${path}: ${k.trim()} is given twice` };
        out[k.trim()] = v;
      }
      return { ok: true, value: out };
    }
    case 'object': {
      const o = (d ?? {}) as Record<string, Draft>;
      const out: Record<string, unknown> = {};
      for (const [k, p] of Object.entries(s.properties ?? {})) {
        const r = valueOf(p, o[k], `${path}.${k}`);
        if (!r.ok) return r;
        if (r.value !== undefined) out[k] = r.value;
        else if (s.required?.includes(k)) return { ok: false, error: `${path}.${k}: required` };
      }
      return { ok: true, value: Object.keys(out).length || s.required?.length ? out : undefined };
    }
    default:
      try {
        return { ok: true, value: JSON.parse(String(d)) };
      } catch {
        return { ok: false, error: `${path}: not valid JSON` };
      }
  }
}

/**
 * The configuration to send. Non-secret fields are always sent whole (the server removes what is
 * left out); a secret is sent when typed, as null when cleared, and left out to keep it.
 */
export function configOf(schema: JsonSchema, state: FormState, secrets: SecretInfo): { ok: true; config: Record<string, unknown> } | { ok: false; error: string } {
  const config: Record<string, unknown> = {};
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    const required = schema.required?.includes(name) ?? false;
    const secret = secrets.secretFields.includes(name);
    const label = labelOf(name, prop);
    if (secret && state.cleared.includes(name)) {
      if (required) return { ok: false, error: `${label}: required, it cannot be cleared (type a new value instead)` };
      if (secrets.mode === 'update') config[name] = null;
      continue;
    }
    const r = valueOf(prop, state.values[name], label);
    if (!r.ok) return r;
    if (r.value !== undefined) config[name] = r.value;
    else if (required && !(secret && secrets.mode === 'update' && secrets.secretsSet.includes(name))) {
      return { ok: false, error: `${label}: required` };
    }
  }
  return { ok: true, config };
}
