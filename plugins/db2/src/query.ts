// One query on a pooled connection, with the two things a monitoring query must never do ruled
// out: write (a read-only transaction that is always rolled back) and hang (a deadline that cancels
// the query, drops its connection and answers `timeout` while the driver is still busy).
import type { OdbcConnection, OdbcDiagnostics, OdbcResult } from './odbc.ts';
import type { ConnectionPool } from './pool.ts';

/**
 * How writes are kept out at the database:
 * - `read-only-transaction`: SET TRANSACTION READ ONLY, then rollback (PostgreSQL, MySQL, Oracle…);
 * - `rollback`: a transaction that is always rolled back (Db2 LUW has no read-only transaction, and
 *   its CLI treats SQL_ATTR_ACCESS_MODE as a locking hint only);
 * - `none`: autocommit, for allowWrites.
 */
export type ReadOnlyMode = 'read-only-transaction' | 'rollback' | 'none';

export interface QueryRequest {
  sql: string;
  parameters: readonly (string | number)[];
  readOnly: ReadOnlyMode;
  rowLimit: number;
  timeoutMs: number;
}

export type QueryOutcome =
  | { status: 'ok'; result: OdbcResult }
  | { status: 'error'; phase: 'connect' | 'query'; error: unknown }
  | { status: 'timeout' };

/** SQLSTATE classes that blame the statement, not the connection: the connection stays pooled. */
const STATEMENT_CLASSES = new Set(['0A', '21', '22', '23', '42', '44', '54']);

export function sqlState(err: unknown): string | undefined {
  return (err as OdbcDiagnostics | undefined)?.odbcErrors?.[0]?.state;
}

/** The driver's own words (every diagnostic record), on one line. */
export function describeOdbcError(err: unknown): string {
  const diagnostics = (err as OdbcDiagnostics | undefined)?.odbcErrors;
  if (Array.isArray(diagnostics) && diagnostics.length > 0) {
    return diagnostics
      .map(
        (d) =>
          `${(d.message ?? '').replace(/\s+/g, ' ').replace(/;$/, '').trim()}${d.state ? ` (SQLSTATE ${d.state})` : ''}`,
      )
      .join('; ');
  }
  return err instanceof Error ? err.message : String(err);
}

/** A failed query and whether its connection can serve the next one. */
class QueryFailure {
  constructor(
    readonly cause: unknown,
    readonly keepConnection: boolean,
    readonly connectionLost: boolean,
    readonly phase: 'connect' | 'query' = 'query',
  ) {}
}

async function runOn(connection: OdbcConnection, request: QueryRequest): Promise<OdbcResult> {
  // the statement attribute is whole seconds; the deadline in runQuery is the precise one
  const options = { timeoutSeconds: Math.ceil(request.timeoutMs / 1000), maxRows: request.rowLimit };
  try {
    if (request.readOnly === 'none') return await connection.query(request.sql, request.parameters, options);
    await connection.beginTransaction();
    if (request.readOnly === 'read-only-transaction')
      await connection.query('SET TRANSACTION READ ONLY', [], { ...options, maxRows: 1 });
    const result = await connection.query(request.sql, request.parameters, options);
    await connection.rollback();
    return result;
  } catch (err) {
    let rolledBack = request.readOnly === 'none';
    if (!rolledBack)
      rolledBack = await connection.rollback().then(
        () => true,
        () => false,
      );
    const state = sqlState(err) ?? '';
    const lost = !connection.connected || state.startsWith('08');
    throw new QueryFailure(err, rolledBack && !lost && STATEMENT_CLASSES.has(state.slice(0, 2)), lost);
  }
}

/** The connection an execution holds; the deadline takes it away (and drops it) on timeout. */
interface Holder {
  connection?: OdbcConnection;
}

async function attempt(
  pool: ConnectionPool,
  request: QueryRequest,
  deadline: AbortSignal,
  holder: Holder,
  mayRetry: boolean,
): Promise<OdbcResult> {
  let lease;
  try {
    lease = await pool.acquire(deadline, Math.max(1, Math.ceil(request.timeoutMs / 1000)));
  } catch (err) {
    throw new QueryFailure(err, false, false, 'connect');
  }
  const { connection } = lease;
  holder.connection = connection;
  try {
    const result = await runOn(connection, request);
    if (holder.connection === connection) pool.release(connection);
    return result;
  } catch (err) {
    const failure = err as QueryFailure;
    if (holder.connection === connection) {
      if (failure.keepConnection) pool.release(connection);
      else pool.discard(connection);
    }
    // A pooled connection found dead (the database restarted since): try once on a new one. Only
    // when nothing can have been written, so never with allowWrites.
    if (
      mayRetry &&
      lease.reused &&
      failure.connectionLost &&
      request.readOnly !== 'none' &&
      !deadline.aborted
    ) {
      return attempt(pool, request, deadline, holder, false);
    }
    throw failure;
  } finally {
    if (holder.connection === connection) holder.connection = undefined;
  }
}

/** Runs one query within request.timeoutMs (or until `signal` aborts); never throws. */
export async function runQuery(
  pool: ConnectionPool,
  request: QueryRequest,
  signal: AbortSignal,
): Promise<QueryOutcome> {
  const deadline = AbortSignal.any([signal, AbortSignal.timeout(request.timeoutMs)]);
  const holder: Holder = {};
  const expired = new Promise<QueryOutcome>((resolve) => {
    if (deadline.aborted) resolve({ status: 'timeout' });
    deadline.addEventListener('abort', () => resolve({ status: 'timeout' }), { once: true });
  });
  const work = attempt(pool, request, deadline, holder, true).then(
    (result): QueryOutcome => ({ status: 'ok', result }),
    (err: unknown): QueryOutcome => {
      if (deadline.aborted) return { status: 'timeout' };
      return err instanceof QueryFailure
        ? { status: 'error', phase: err.phase, error: err.cause }
        : { status: 'error', phase: 'query', error: err };
    },
  );
  const outcome = await Promise.race([work, expired]);
  if (outcome.status === 'timeout') {
    const stuck = holder.connection;
    holder.connection = undefined;
    if (stuck) {
      // the cancel ends the query; the connection closes only once the driver is done with it
      const cancelled = stuck.cancel().catch(() => {});
      pool.discard(stuck, Promise.allSettled([work, cancelled]));
    }
  }
  return outcome;
}
