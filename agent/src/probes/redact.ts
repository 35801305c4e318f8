// What a trace may show of a step: its prepared request and output as JSON, with secrets taken
// out. Three nets, because a plugin's own scrubbing is not the last word: every secret value the
// step resolved (replaced wherever it appears), values under credential-like keys (a secret
// reference such as `secret:db2_password` stays: it names, it does not tell), and the password of
// a URL's user info.
import { SECRET_REF } from '@esmon/schema';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

const SENSITIVE_KEY =
  /pass(word|wd|phrase)?$|secret|token|authorization|api[-_]?key|credential|private[-_]?key|cookie/i;
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*:)[^\s@/]+@/gi;
const REDACTED = '[redacted]';

/** Bounds for a trace: it travels to the workbench and must stay readable. */
const MAX_DEPTH = 8;
const MAX_ITEMS = 200;
const MAX_STRING = 4096;

export interface Redactor {
  text(s: string): string;
  /** A JSON-safe copy (no undefined, functions, cycles, bigints or non-finite numbers), redacted. */
  json(value: unknown): JsonValue;
}

export function createRedactor(secrets: Iterable<string>): Redactor {
  // longest first, so a secret containing another is replaced whole
  const known = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  const text = (s: string) =>
    known.reduce((t, secret) => t.split(secret).join('[secret]'), s).replace(URL_PASSWORD, `$1${REDACTED}@`);
  const seen = new WeakSet<object>();

  const hidden = (key: string, v: unknown) =>
    typeof v === 'string' && SENSITIVE_KEY.test(key) && !SECRET_REF.test(v);

  function json(v: unknown, depth: number): JsonValue | undefined {
    if (v === null) return null;
    switch (typeof v) {
      case 'string': {
        const t = text(v);
        return t.length > MAX_STRING ? `${t.slice(0, MAX_STRING)}…` : t;
      }
      case 'number':
        return Number.isFinite(v) ? v : String(v);
      case 'boolean':
        return v;
      case 'bigint':
        return v.toString();
      case 'object':
        break;
      default:
        return undefined; // undefined, functions, symbols
    }
    if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v.toISOString();
    if (v instanceof RegExp) return String(v);
    if (ArrayBuffer.isView(v)) return `[${v.byteLength} bytes]`;
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (seen.has(v)) return '[circular]';
    seen.add(v);
    try {
      if (Array.isArray(v) || v instanceof Set)
        return [...v].slice(0, MAX_ITEMS).map((x) => json(x, depth + 1) ?? null);
      const entries =
        v instanceof Map ? [...v.entries()].map(([k, x]) => [String(k), x] as const) : Object.entries(v);
      // {name: 'Authorization', value: 'Bearer …'}: a header list hides its values behind `value`
      const named = typeof (v as { name?: unknown }).name === 'string' ? (v as { name: string }).name : '';
      const out: Record<string, JsonValue> = {};
      for (const [key, x] of entries.slice(0, MAX_ITEMS)) {
        if (hidden(key, x) || (key === 'value' && hidden(named, x))) out[key] = REDACTED;
        else {
          const j = json(x, depth + 1);
          if (j !== undefined) out[key] = j;
        }
      }
      return out;
    } finally {
      seen.delete(v);
    }
  }

  return { text, json: (v) => json(v, 0) ?? null };
}
