// Writes are kept out twice: by the statement guard, and by the database (a read-only transaction
// for `generic`, an always rolled back one for `db2`). Proven on a real PostgreSQL.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withCredentials } from '../src/connection-string.ts';
import { connectOdbc } from '../src/odbc.ts';
import { createDb2Plugin } from '../src/plugin.ts';
import { ConnectionPool } from '../src/pool.ts';
import { describeOdbcError, runQuery } from '../src/query.ts';
import {
  createScratchDatabase,
  PASSWORD,
  PG_USER,
  queryParams,
  runStep,
  type ScratchDatabase,
} from './harness.ts';

let db: ScratchDatabase;
const plugin = createDb2Plugin();

const rowCount = async () => (await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM escstatus'))[0]!.n;

beforeAll(async () => {
  db = await createScratchDatabase();
  await db.sql('CREATE TABLE escstatus (escalation text, active int)');
  // a function that writes: it passes any statement check, only the database can stop it
  await db.sql(`CREATE FUNCTION esmon_bump() RETURNS int LANGUAGE sql AS $$
    INSERT INTO escstatus VALUES ('BUMP', 1); SELECT count(*)::int FROM escstatus $$`);
});

beforeEach(async () => {
  await db.sql('TRUNCATE escstatus');
  await db.sql("INSERT INTO escstatus VALUES ('ESCWOSTATUS', 1)");
});

afterAll(async () => {
  await plugin.close();
  await db.drop();
});

describe('the statement guard', () => {
  it.each([
    'DELETE FROM escstatus',
    'SELECT 1; DELETE FROM escstatus',
    'WITH gone AS (DELETE FROM escstatus RETURNING *) SELECT count(*) FROM gone',
  ])('refuses %s before it reaches the database', async (sql) => {
    await expect(runStep(plugin, queryParams(db, { sql }))).rejects.toThrow(/read-only|one statement only/);
    expect(await rowCount()).toBe(1);
  });
});

describe('the database', () => {
  it('refuses a write inside a read-only transaction (generic)', async () => {
    const r = await runStep(plugin, queryParams(db, { sql: 'SELECT esmon_bump() AS n' }));
    expect(r.status).toBe('error');
    expect(r.error).toMatch(
      /^query failed: ERROR: cannot execute INSERT in a read-only transaction.*\(SQLSTATE 25006\)$/,
    );
    expect(await rowCount()).toBe(1);
  });

  it('rolls a write back (db2, which has no read-only transaction)', async () => {
    const r = await runStep(plugin, queryParams(db, { dialect: 'db2', sql: 'SELECT esmon_bump() AS n' }));
    expect(r.status).toBe('ok');
    expect(r.rows).toEqual([{ n: 2 }]);
    expect(await rowCount()).toBe(1);
  });

  it('refuses a data-modifying CTE that got past the guard', async () => {
    const connectionString = withCredentials(db.connectionString, { user: PG_USER, password: PASSWORD });
    const pool = new ConnectionPool(
      (loginTimeoutSeconds) => connectOdbc(connectionString, { loginTimeoutSeconds }),
      { max: 1, idleMs: 60_000 },
    );
    try {
      const outcome = await runQuery(
        pool,
        {
          sql: 'WITH gone AS (DELETE FROM escstatus RETURNING *) SELECT count(*) AS n FROM gone',
          parameters: [],
          readOnly: 'read-only-transaction',
          rowLimit: 10,
          timeoutMs: 10_000,
        },
        new AbortController().signal,
      );
      expect(outcome.status).toBe('error');
      // PostgreSQL names the top-level command: SELECT
      expect(outcome.status === 'error' && describeOdbcError(outcome.error)).toMatch(
        /cannot execute SELECT in a read-only transaction.*\(SQLSTATE 25006\)$/,
      );
    } finally {
      await pool.drain();
    }
    expect(await rowCount()).toBe(1);
  });
});

describe('allowWrites', () => {
  it('lets an INSERT through, committed, with bound values', async () => {
    const r = await runStep(
      plugin,
      queryParams(db, {
        sql: 'INSERT INTO escstatus VALUES (?, ?);',
        parameters: ['ESCPMWO', 0],
        allowWrites: true,
      }),
    );
    expect(r).toMatchObject({ status: 'ok', rows: [], output: '0 rows, 1 affected' });
    expect(await db.sql('SELECT escalation, active FROM escstatus ORDER BY escalation')).toEqual([
      { escalation: 'ESCPMWO', active: 0 },
      { escalation: 'ESCWOSTATUS', active: 1 },
    ]);
  });
});
