// Queries for real: the npm odbc package, psqlODBC and a scratch PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb2Plugin } from '../src/plugin.ts';
import {
  createScratchDatabase,
  PASSWORD,
  PG_USER,
  queryParams,
  runStep,
  SECRETS,
  withSecrets,
  type ScratchDatabase,
} from './harness.ts';

let db: ScratchDatabase;
const plugin = createDb2Plugin();

beforeAll(async () => {
  db = await createScratchDatabase();
  await db.sql(
    'CREATE TABLE tablespace (name varchar(300), member int, used_pages bigint, utilization numeric(5,2), note text)',
  );
  await db.sql(
    `INSERT INTO tablespace VALUES
    ('  MAXDATA  ', 0, 9007199254740993, 87.25, 'busy'),
    ('MAXINDEX', 0, 1200, NULL, 'quiet'),
    (?, 1, 7, 1.5, NULL)`,
    ['L'.repeat(300)],
  );
});

afterAll(async () => {
  await plugin.close();
  await db.drop();
});

describe('rows to samples', () => {
  it('names samples <prefix>.<column>, labels them, skips NULL and converts BIGINT and NUMERIC', async () => {
    const r = await runStep(
      plugin,
      queryParams(db, {
        sql: 'SELECT name, member, used_pages, utilization, note FROM tablespace ORDER BY member, used_pages DESC',
        labelColumns: ['name', 'member'],
        metricPrefix: 'maximo.db.tbsp',
      }),
    );
    expect(r.status).toBe('ok');
    expect(r.samples.map(({ metric, value, labels }) => ({ metric, value, labels }))).toEqual([
      {
        metric: 'maximo.db.tbsp.used_pages',
        value: 9007199254740992,
        labels: { name: 'MAXDATA', member: '0' },
      },
      { metric: 'maximo.db.tbsp.utilization', value: 87.25, labels: { name: 'MAXDATA', member: '0' } },
      { metric: 'maximo.db.tbsp.used_pages', value: 1200, labels: { name: 'MAXINDEX', member: '0' } },
      { metric: 'maximo.db.tbsp.used_pages', value: 7, labels: { name: 'L'.repeat(256), member: '1' } },
      { metric: 'maximo.db.tbsp.utilization', value: 1.5, labels: { name: 'L'.repeat(256), member: '1' } },
    ]);
    expect(r.rows![0]).toMatchObject({ name: '  MAXDATA  ', used_pages: '9007199254740993', note: 'busy' });
    expect(() => JSON.stringify(r)).not.toThrow();
    expect(r.samples.every((s) => s.ts > 0)).toBe(true);
  });

  it('turns numeric text into samples when the column is named', async () => {
    const r = await runStep(
      plugin,
      queryParams(db, {
        sql: "SELECT '42.5'::text AS ratio, 'n/a'::text AS other",
        valueColumns: ['RATIO', 'other'],
      }),
    );
    expect(r.samples.map((s) => [s.metric, s.value])).toEqual([['db2.ratio', 42.5]]);
  });

  it('returns rowLimit rows at most', async () => {
    const r = await runStep(
      plugin,
      queryParams(db, { sql: 'SELECT g AS n FROM generate_series(1, 5000) AS g', rowLimit: 10 }),
    );
    expect(r.rows).toHaveLength(10);
    expect(r.samples).toHaveLength(10);
  });

  it('reports a value column the query does not return, with the rows it did return', async () => {
    const r = await runStep(plugin, queryParams(db, { sql: 'SELECT 1 AS one', valueColumns: ['two'] }));
    expect(r).toMatchObject({
      status: 'error',
      error: 'value column two is not in the result (columns: one)',
      rows: [{ one: 1 }],
    });
  });

  it('reports a failing statement in the driver’s words', async () => {
    const r = await runStep(plugin, queryParams(db, { sql: 'SELECT * FROM MAXIMO.ESCSTATUS' }));
    expect(r.status).toBe('error');
    expect(r.error).toMatch(
      /^query failed: ERROR: relation "maximo.escstatus" does not exist.*\(SQLSTATE 42P01\)/,
    );
  });
});

describe('bound parameters', () => {
  it('binds ? placeholders as data, so injection text stays text', async () => {
    const attack = "MAXDATA' OR '1'='1'; DROP TABLE tablespace; --";
    const r = await runStep(
      plugin,
      queryParams(db, {
        sql: 'SELECT count(*) AS matches, ?::text AS echoed FROM tablespace WHERE name = ? AND member = ?',
        parameters: [attack, attack, 0],
      }),
    );
    expect(r.status).toBe('ok');
    expect(r.rows).toEqual([{ matches: 0, echoed: attack }]);
    expect(await db.sql('SELECT count(*)::int AS n FROM tablespace')).toEqual([{ n: 3 }]);

    const hit = await runStep(
      plugin,
      queryParams(db, {
        sql: 'SELECT count(*) AS matches FROM tablespace WHERE trim(name) = ? AND member = ?',
        parameters: ['MAXDATA', 0],
      }),
    );
    expect(hit.rows).toEqual([{ matches: 1 }]);
  });
});

describe('secrets', () => {
  it('appends the resolved credentials, quoted so a password cannot add keys', async () => {
    const r = await runStep(plugin, queryParams(db, { sql: 'SELECT current_database() AS db' }));
    expect(r.rows).toEqual([{ db: db.name }]);
  });

  it('never shows a resolved secret, in errors or in what the database echoes', async () => {
    const failing = await runStep(plugin, queryParams(db, { sql: 'SELECT * FROM missing_table' }));
    const echo = await runStep(
      plugin,
      queryParams(db, { sql: 'SELECT current_user AS who, ?::text AS pw', parameters: [PASSWORD] }),
    );
    for (const r of [failing, echo]) expect(JSON.stringify(r)).not.toContain(PASSWORD);
    expect(echo.rows).toEqual([{ who: 'secret:pg_user', pw: 'secret:pg_password' }]);
    expect(JSON.stringify(echo)).not.toContain(`"${PG_USER}"`);
  });

  it('names a secret the agent does not hold', async () => {
    const r = await runStep(plugin, queryParams(db, { sql: 'SELECT 1', password: 'secret:unknown' }));
    expect(r).toMatchObject({
      status: 'error',
      error: 'password: secret:unknown is not defined on this agent',
      samples: [],
    });
  });

  it('explains refused credentials and unknown databases without the secrets', async () => {
    const nobody = `esmon_nobody_${process.pid}`;
    const ctx = withSecrets({ ...SECRETS, 'secret:pg_user': nobody });
    const badUser = await runStep(plugin, queryParams(db, { sql: 'SELECT 1' }), ctx);
    expect(badUser.status).toBe('error');
    expect(badUser.error).toMatch(/^could not connect: .*role "secret:pg_user" does not exist/);

    const badDb = await runStep(
      plugin,
      queryParams(db, {
        sql: 'SELECT 1',
        connectionString: db.connectionString.replace(db.name, 'esmon_no_such_db'),
      }),
    );
    expect(badDb.status).toBe('error');
    expect(badDb.error).toMatch(
      /^could not connect: .*database "esmon_no_such_db" does not exist \(SQLSTATE 08001\)/,
    );

    for (const r of [badUser, badDb]) {
      expect(JSON.stringify(r)).not.toContain(PASSWORD);
      expect(JSON.stringify(r)).not.toContain(nobody);
    }
  });
});
