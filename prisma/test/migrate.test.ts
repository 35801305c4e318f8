import { mkdtemp, mkdir, writeFile, cp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate, migrationsDir, MigrationError, readMigrations } from '../src/migrate.ts';
import { openDatabase, type Database } from '../src/open-database.ts';
import { createPostgresTestDatabase, openTestDatabase, testDatabaseKind } from '../src/testing.ts';

async function folderWith(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'esmon-mig-'));
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(join(dir, name));
    await writeFile(join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

describe(`the migrator (${testDatabaseKind()})`, () => {
  let db: Database | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });

  it('applies pending migrations in name order and records them as Prisma does', async () => {
    db = await openTestDatabase({ migrated: false });
    const dir = await folderWith({
      '20260101000000_b': 'ALTER TABLE t ADD COLUMN b int;',
      '20250101000000_a': 'CREATE TABLE t (a int);',
    });
    const first = await migrate(db.sql, await readMigrations(dir));
    expect(first.applied).toEqual(['20250101000000_a', '20260101000000_b']);
    const rows = await db.sql.query<{ migration_name: string; checksum: string; applied_steps_count: number; finished: boolean }>(
      'SELECT migration_name, checksum, applied_steps_count, finished_at IS NOT NULL AS finished FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(first.applied);
    expect(rows.every((r) => /^[0-9a-f]{64}$/.test(r.checksum) && r.finished && r.applied_steps_count === 1)).toBe(true);
    const again = await migrate(db.sql, await readMigrations(dir));
    expect(again).toEqual({ applied: [], alreadyApplied: 2 });
  });

  it('refuses to continue when an applied migration file has changed', async () => {
    db = await openTestDatabase({ migrated: false });
    const dir = await folderWith({ '1_a': 'CREATE TABLE t (a int);' });
    await migrate(db.sql, await readMigrations(dir));
    await writeFile(join(dir, '1_a', 'migration.sql'), 'CREATE TABLE t (a bigint);');
    await expect(migrate(db.sql, await readMigrations(dir))).rejects.toThrow(/1_a was modified after it was applied/);
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    db = await openTestDatabase({ migrated: false });
    const dir = await folderWith({
      '1_ok': 'CREATE TABLE t (a int);',
      '2_bad': 'CREATE TABLE u (a int); INSERT INTO nowhere VALUES (1);',
    });
    const err = await migrate(db.sql, await readMigrations(dir)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MigrationError);
    expect((err as Error).message).toMatch(/2_bad failed and was rolled back: .*nowhere/);
    const tables = await db.sql.query<{ n: string }>(
      `SELECT table_name AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name IN ('t', 'u')`,
    );
    expect(tables.map((r) => r.n)).toEqual(['t']);
    const names = await db.sql.query<{ migration_name: string }>('SELECT migration_name FROM "_prisma_migrations"');
    expect(names.map((r) => r.migration_name)).toEqual(['1_ok']);
  });

  it('refuses a database that has a migration the files do not', async () => {
    db = await openTestDatabase({ migrated: false });
    const dir = await folderWith({ '1_a': 'CREATE TABLE t (a int);', '2_b': 'CREATE TABLE u (a int);' });
    await migrate(db.sql, await readMigrations(dir));
    const older = await folderWith({ '1_a': 'CREATE TABLE t (a int);' });
    await expect(migrate(db.sql, await readMigrations(older))).rejects.toThrow(/2_b is applied in the database but missing/);
  });

  it('lets two servers start at once: one migrates, the other waits', async () => {
    // PostgreSQL: two pools on one database, as two servers would be. PGlite: one process only.
    const target = process.env.TEST_DATABASE_URL ? await createPostgresTestDatabase() : undefined;
    const a = await openDatabase(target ? { url: target.url } : { dataDir: 'memory://' });
    const b = target ? await openDatabase({ url: target.url }) : a;
    try {
      const dir = await mkdtemp(join(tmpdir(), 'esmon-mig-'));
      await cp(migrationsDir, dir, { recursive: true });
      // a slow migration widens the window in which the second server would otherwise start too
      await mkdir(join(dir, '99999999999999_slow'));
      await writeFile(join(dir, '99999999999999_slow', 'migration.sql'), 'SELECT pg_sleep(0.3);');
      const files = await readMigrations(dir);
      const results = await Promise.all([migrate(a.sql, files), migrate(b.sql, files)]);
      const appliedCounts = results.map((r) => r.applied.length).sort();
      expect(appliedCounts).toEqual([0, files.length]);
      const rows = await a.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM "_prisma_migrations"');
      expect(rows[0]?.n).toBe(files.length);
    } finally {
      await a.close();
      if (b !== a) await b.close();
      await target?.drop();
    }
  });
});
