// "Test connection": a fresh connection (not a pooled one, so the test proves the credentials and
// the network as they are now) and the dialect's SELECT 1.
import type { StepContext } from '@esmon/schema';
import { scrubSecrets, withCredentials } from './connection-string.ts';
import { effectiveTimeout, outcomeMessage } from './execute.ts';
import type { OdbcConnect } from './odbc.ts';
import { ConnectionPool } from './pool.ts';
import { checkSql, resolveCredentials, type Db2Prepared } from './prepare.ts';
import { runQuery } from './query.ts';

export async function checkDb2(
  prepared: Db2Prepared,
  ctx: StepContext,
  connect: OdbcConnect,
): Promise<{ ok: boolean; message: string }> {
  const resolved = resolveCredentials(prepared, ctx);
  if (!resolved.ok) return { ok: false, message: resolved.error };

  const connectionString = withCredentials(prepared.base, resolved.credentials);
  const pool = new ConnectionPool(
    (loginTimeoutSeconds) => connect(connectionString, { loginTimeoutSeconds }),
    { max: 1, idleMs: 60_000 },
  );
  const timeoutMs = effectiveTimeout(prepared, ctx);
  const sql = checkSql(prepared.dialect);
  try {
    const outcome = await runQuery(
      pool,
      { sql, parameters: [], readOnly: 'none', rowLimit: 1, timeoutMs },
      ctx.signal,
    );
    if (outcome.status === 'ok') return { ok: true, message: `connected; ${sql} answered` };
    return { ok: false, message: scrubSecrets(outcomeMessage(outcome, timeoutMs), resolved.secrets) };
  } finally {
    await pool.drain();
  }
}
