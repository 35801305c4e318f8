// Parameters → the exact query the agent will run, checked once; secrets stay references until the
// agent resolves them at connect time.
import type { StepContext } from '@esmon/schema';
import { hasCredentials, type Credentials, type Secret } from './connection-string.ts';
import type { Db2Params } from './manifest.ts';
import type { ReadOnlyMode } from './query.ts';
import { checkStatement } from './statement.ts';

export interface Db2Prepared {
  dialect: 'db2' | 'generic';
  /** `DSN=…` or the driver connection string, never with credentials */
  base: string;
  userRef?: string;
  passwordRef?: string;
  /** the statement as sent: checked, without a trailing `;` or comment */
  sql: string;
  parameters: readonly (string | number)[];
  readOnly: ReadOnlyMode;
  valueColumns?: readonly string[];
  labelColumns: readonly string[];
  metricPrefix: string;
  rowLimit: number;
  timeoutMs?: number;
}

/** The connection test's statement: Db2 has no FROM-less SELECT. */
export function checkSql(dialect: Db2Prepared['dialect']): string {
  return dialect === 'db2' ? 'SELECT 1 FROM SYSIBM.SYSDUMMY1' : 'SELECT 1';
}

/** Throws "db2: what: why" on parameters that slipped past validation. */
export function prepareDb2(params: Db2Params): Db2Prepared {
  const base =
    params.connection === 'dsn' ? (params.dsn ? `DSN=${params.dsn}` : undefined) : params.connectionString;
  if (!base)
    throw new Error(
      `db2: connection: a ${params.connection === 'dsn' ? 'DSN' : 'connection string'} is needed`,
    );
  if (hasCredentials(base))
    throw new Error('db2: connectionString: leave UID and PWD out, give them as secrets');
  let sql: string;
  try {
    sql = checkStatement(params.sql, { allowWrites: params.allowWrites });
  } catch (err) {
    throw new Error(`db2: sql: ${(err as Error).message}`, { cause: err });
  }
  return {
    dialect: params.dialect,
    base,
    userRef: params.user,
    passwordRef: params.password,
    sql,
    parameters: params.parameters,
    readOnly: params.allowWrites ? 'none' : params.dialect === 'db2' ? 'rollback' : 'read-only-transaction',
    valueColumns: params.valueColumns,
    labelColumns: params.labelColumns,
    metricPrefix: params.metricPrefix,
    rowLimit: params.rowLimit,
    timeoutMs: params.timeoutMs,
  };
}

export type ResolvedCredentials =
  { ok: true; credentials: Credentials; secrets: Secret[] } | { ok: false; error: string };

/** Looks the user and password up in the agent's secrets; names the reference that is missing. */
export function resolveCredentials(
  prepared: Db2Prepared,
  ctx: Pick<StepContext, 'secret'>,
): ResolvedCredentials {
  const credentials: Credentials = {};
  const secrets: Secret[] = [];
  for (const [field, ref] of [
    ['user', prepared.userRef],
    ['password', prepared.passwordRef],
  ] as const) {
    if (ref === undefined) continue;
    const value = ctx.secret(ref);
    if (value === undefined) return { ok: false, error: `${field}: ${ref} is not defined on this agent` };
    credentials[field] = value;
    secrets.push({ ref, value });
  }
  return { ok: true, credentials, secrets };
}
