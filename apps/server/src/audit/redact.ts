// The audit log's last line against secrets. Snapshots and details are built from non-secret
// fields on purpose (apps/server/src/graphql/audit-targets.ts); this pass still blanks any value
// kept under a secret-sounding key, any esmon bearer token and any password in a URL, so a field
// added to a snapshot later cannot leak one. Pure.

/** What a redacted value reads as. */
export const REDACTED = '[redacted]';

/** Keys whose values are secrets: password, token, apiKey, hmacSecret, secretHeaders, authorization… */
const SECRET_KEY = /pass(word|phrase)?$|^pwd$|secret|token|api[-_]?key|authori[sz]ation|credential|private[-_]?key|signature|cookie/i;

/** A reference to a secret held elsewhere (probe parameters: `secret:db2_password`), not a secret. */
const SECRET_REFERENCE = /^secret:[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;

/** esmon bearer tokens: sessions, agent and integration keys, enrolment tokens. */
const ESMON_TOKEN = /esm_[saie]_[A-Za-z0-9_-]{8,}/g;

/** The password part of `scheme://user:password@host`. */
const URL_PASSWORD = /(\/\/[^/\s:@]*:)[^/\s@]+@/g;

function redactText(text: string): string {
  return text.replace(ESMON_TOKEN, REDACTED).replace(URL_PASSWORD, `$1${REDACTED}@`);
}

/**
 * A copy of a JSON value with secrets blanked. Keys named like secrets keep a null (it says "not
 * set") and a secret reference; any other value becomes REDACTED.
 */
export function redactSecrets(value: unknown): unknown {
  if (typeof value === 'string') return redactText(value);
  if (Array.isArray(value)) return value.map(redactSecrets);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const keep = v === null || (typeof v === 'string' && SECRET_REFERENCE.test(v));
    out[key] = SECRET_KEY.test(key) && !keep ? REDACTED : redactSecrets(v);
  }
  return out;
}

/** The JSON text of `value` (Dates as ISO strings) with secrets blanked, or null for nothing. */
export function redactedJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(redactSecrets(JSON.parse(JSON.stringify(value))));
}
