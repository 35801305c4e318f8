// Test databases: a fresh PostgreSQL database per call when TEST_DATABASE_URL is set (created
// here, dropped on close), otherwise a throwaway in-memory PGlite. Both are fully migrated.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from './migrate.ts';
import { openDatabase, type Database } from './open-database.ts';

export interface TestDatabase extends Database {
  /** The URL tests can hand to a child process, or undefined on PGlite. */
  url: string | undefined;
}

export const testDatabaseKind = (): 'postgres' | 'pglite' =>
  process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite';

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** Creates an empty PostgreSQL database on the TEST_DATABASE_URL server; returns its URL. */
export async function createPostgresTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `esmon_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(adminUrl, `CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: () => adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

export async function openTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (!process.env.TEST_DATABASE_URL) {
    const db = await openDatabase({ dataDir: 'memory://' });
    if (migrated) await migrate(db.sql);
    return { ...db, url: undefined };
  }
  const { url, drop } = await createPostgresTestDatabase();
  const db = await openDatabase({ url, poolSize: 4 });
  if (migrated) await migrate(db.sql);
  return {
    ...db,
    url,
    close: async () => {
      await db.close();
      await drop();
    },
  };
}
