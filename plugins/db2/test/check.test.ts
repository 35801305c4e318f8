// "Test connection" for real: a fresh connection and the dialect's SELECT 1.
import { parseParams } from '@esmon/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb2Plugin } from '../src/plugin.ts';
import {
  createScratchDatabase,
  expectConnections,
  PASSWORD,
  queryParams,
  SECRETS,
  withSecrets,
  type ScratchDatabase,
} from './harness.ts';

let db: ScratchDatabase;
const plugin = createDb2Plugin();

const check = (params: Record<string, unknown>, secrets: Record<string, string> = SECRETS) =>
  plugin.check(
    plugin.prepare(parseParams(plugin.manifest, queryParams(db, { sql: 'SELECT 1', ...params }))),
    withSecrets(secrets),
  );

beforeAll(async () => {
  db = await createScratchDatabase();
});

afterAll(async () => {
  await plugin.close();
  await db.drop();
});

describe('check', () => {
  it('connects and runs SELECT 1, leaving no connection behind', async () => {
    expect(await check({ dialect: 'generic' })).toEqual({
      ok: true,
      message: 'connected; SELECT 1 answered',
    });
    await expectConnections(db, 0);
  });

  it('asks Db2 for SYSIBM.SYSDUMMY1 (which PostgreSQL does not have)', async () => {
    const r = await check({ dialect: 'db2' });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^query failed: ERROR: relation "sysibm.sysdummy1" does not exist/);
  });

  it('gives the driver’s reason when it cannot connect, without the secrets', async () => {
    const r = await check({
      dialect: 'generic',
      connectionString: db.connectionString.replace(db.name, 'esmon_no_such_db'),
    });
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/^could not connect: .*database "esmon_no_such_db" does not exist/);
    expect(r.message).not.toContain(PASSWORD);
  });

  it('names a missing secret', async () => {
    expect(await check({ dialect: 'generic' }, {})).toEqual({
      ok: false,
      message: 'user: secret:pg_user is not defined on this agent',
    });
  });
});
