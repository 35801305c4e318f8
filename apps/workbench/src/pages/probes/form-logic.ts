// How the step form draws a plugin parameter from its JSON Schema and `ui` metadata: which input,
// whether it is shown now (visibleWhen), and list text ⇄ arrays. Pure; ParamForm.tsx renders it.
import type { JsonSchema } from './model.ts';

export type FieldKind = 'monaco' | 'secret' | 'select' | 'checkbox' | 'number' | 'lines' | 'keyvalue' | 'textarea' | 'text' | 'json';

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

/** A list of plain values: strings, numbers, or either (db2's bound parameters). */
function plainItems(s: JsonSchema | undefined): boolean {
  if (!s) return false;
  if (s.anyOf) return s.anyOf.every((a) => ['string', 'number', 'integer'].includes(typeOf(a) ?? ''));
  return ['string', 'number', 'integer'].includes(typeOf(s) ?? '');
}

export function fieldKind(s: JsonSchema): FieldKind {
  const widget = s.ui?.widget ?? '';
  const t = typeOf(s);
  if (widget.startsWith('monaco:')) return 'monaco';
  if (s.ui?.secret) return 'secret';
  if (Array.isArray(s.enum)) return 'select';
  if (t === 'boolean') return 'checkbox';
  if (t === 'integer' || t === 'number') return 'number';
  if (t === 'array' && plainItems(s.items)) return 'lines';
  if (t === 'object' && typeof s.additionalProperties === 'object' && typeOf(s.additionalProperties) === 'string') return 'keyvalue';
  if (t === 'string') return widget === 'textarea' || (s as { maxLength?: number }).maxLength! > 4096 ? 'textarea' : 'text';
  return 'json';
}

/** The Monaco language of a `monaco:*` widget; WQL is close enough to SQL to colour it as SQL. */
export function monacoLanguage(widget: string | undefined): 'sql' | 'powershell' {
  return widget === 'monaco:powershell' ? 'powershell' : 'sql';
}

/** Whether a parameter is shown, given the others (its `visibleWhen`, defaults counted). */
export function isVisible(s: JsonSchema, params: Record<string, unknown>, all: Record<string, JsonSchema>): boolean {
  const when = s.ui?.visibleWhen;
  if (!when) return true;
  const v = params[when.param] ?? all[when.param]?.default;
  return when.equals.some((e) => e === v);
}

/** One item per line; blank lines dropped; numbers kept as numbers where the items are numbers only. */
export function linesToArray(text: string, items: JsonSchema | undefined): unknown[] | undefined {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  if (lines.length === 0) return undefined;
  const numeric = items && !items.anyOf && ['number', 'integer'].includes(typeOf(items) ?? '');
  return lines.map((l) => (numeric && /^-?\d+(\.\d+)?$/.test(l.trim()) ? Number(l.trim()) : l));
}

export function arrayToLines(value: unknown): string {
  return Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') : '';
}

/** A secret parameter holds a reference, never the secret: `secret:NAME`. */
export const SECRET_REF = /^secret:[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

export const SECRET_HELP =
  'a reference secret:NAME to a secret in the agent’s own configuration; the server refuses the secret itself';
