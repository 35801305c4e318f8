// One execution: resolve the secrets, run the query on the pool, turn rows into samples. Failure is
// data ({status, error}); every message passes the secret scrubber before it leaves.
import type { StepContext, StepResult } from '@esmon/schema';
import { scrubSecrets, withCredentials } from './connection-string.ts';
import type { PoolSet } from './pool.ts';
import { resolveCredentials, type Db2Prepared } from './prepare.ts';
import { describeOdbcError, runQuery, type QueryOutcome } from './query.ts';
import { ColumnError, plainRows, rowsToSamples } from './samples.ts';

/** The query's own timeout when it has one, never beyond the step's. */
export function effectiveTimeout(
  prepared: Pick<Db2Prepared, 'timeoutMs'>,
  ctx: Pick<StepContext, 'timeoutMs'>,
): number {
  return prepared.timeoutMs === undefined ? ctx.timeoutMs : Math.min(prepared.timeoutMs, ctx.timeoutMs);
}

/** What went wrong, in the driver's words, for a result or a check message (not yet scrubbed). */
export function outcomeMessage(outcome: Exclude<QueryOutcome, { status: 'ok' }>, timeoutMs: number): string {
  if (outcome.status === 'timeout')
    return `no answer within ${timeoutMs} ms: the query was cancelled and its connection dropped`;
  return `${outcome.phase === 'connect' ? 'could not connect' : 'query failed'}: ${describeOdbcError(outcome.error)}`;
}

function scrubRows(
  rows: Record<string, unknown>[],
  scrub: (text: string) => string,
): Record<string, unknown>[] {
  return rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'string' ? scrub(v) : v])),
  );
}

export async function executeDb2(
  prepared: Db2Prepared,
  ctx: StepContext,
  pools: PoolSet,
): Promise<StepResult> {
  const started = ctx.now();
  const done = (
    result: Omit<StepResult, 'durationMs' | 'samples'> & { samples?: StepResult['samples'] },
  ): StepResult => ({
    samples: [],
    ...result,
    durationMs: ctx.now() - started,
  });

  const resolved = resolveCredentials(prepared, ctx);
  if (!resolved.ok) return done({ status: 'error', error: resolved.error });
  const scrub = (text: string) => scrubSecrets(text, resolved.secrets);

  const timeoutMs = effectiveTimeout(prepared, ctx);
  const pool = pools.get(withCredentials(prepared.base, resolved.credentials));
  const outcome = await runQuery(pool, { ...prepared, timeoutMs }, ctx.signal);
  if (outcome.status !== 'ok')
    return done({ status: outcome.status, error: scrub(outcomeMessage(outcome, timeoutMs)) });

  // the database can echo a credential (SELECT CURRENT USER …): rows are outputs too
  const result = { ...outcome.result, rows: scrubRows(outcome.result.rows, scrub) };
  const rows = plainRows(result.rows);
  try {
    const samples = rowsToSamples(result, { ...prepared, ts: ctx.now() });
    return done({
      status: 'ok',
      samples,
      rows,
      output: `${result.rows.length} rows${result.columns.length === 0 ? `, ${result.count} affected` : ''}`,
    });
  } catch (err) {
    if (!(err instanceof ColumnError)) throw err;
    return done({ status: 'error', rows, error: scrub(err.message) });
  }
}
