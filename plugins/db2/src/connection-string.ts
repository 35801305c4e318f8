// ODBC connection strings: the stored part never holds credentials; the agent appends the resolved
// user and password when it connects, and scrubs both from every message it hands back.

/** Keys that carry credentials in DB2 CLI, psqlODBC and most other drivers. */
const CREDENTIAL_KEY = /(^|;)\s*(UID|PWD|USER|USERID|USERNAME|PASSWORD)\s*=/i;

export function hasCredentials(connectionString: string): boolean {
  return CREDENTIAL_KEY.test(connectionString);
}

/** A DSN name may not smuggle in more keys. */
export const DSN_NAME = /^[^;{}=]+$/;

/** ODBC braces a value holding `;` or braces (a `}` doubled), so a password cannot add keys. */
export function odbcValue(value: string): string {
  return /[;{}]|^\s|\s$/.test(value) ? `{${value.replaceAll('}', '}}')}}` : value;
}

export interface Credentials {
  user?: string;
  password?: string;
}

/** The connection string the driver gets: the stored part plus UID=…;PWD=… */
export function withCredentials(base: string, credentials: Credentials): string {
  let text = base.trim().replace(/;+$/, '');
  if (credentials.user !== undefined) text += `;UID=${odbcValue(credentials.user)}`;
  if (credentials.password !== undefined) text += `;PWD=${odbcValue(credentials.password)}`;
  return text;
}

/** A resolved secret and the reference it came from, which stands in for it in messages. */
export interface Secret {
  ref: string;
  value: string;
}

/**
 * Replaces every resolved secret in a text with its reference, longest first so that a secret
 * containing another is replaced whole: `role "secret:db2_user" does not exist`.
 */
export function scrubSecrets(text: string, secrets: readonly Secret[]): string {
  const sorted = secrets.filter((s) => s.value.length > 0).sort((a, b) => b.value.length - a.value.length);
  let out = text;
  for (const s of sorted) {
    // the braced form first, should a driver echo the connection string
    out = out.replaceAll(odbcValue(s.value), s.ref).replaceAll(s.value, s.ref);
  }
  return out;
}
