// The project's own migrator: applies prisma/migrations/<name>/migration.sql in order, each in a
// transaction, and records them in `_prisma_migrations` exactly as Prisma Migrate would, so a user
// with the Prisma CLI can still run `prisma migrate status` / `deploy` against the same database.
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { Sql, SqlRunner } from './sql.ts';

export const migrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));

/** Prisma Migrate's own advisory lock id, so we also exclude a concurrent `prisma migrate deploy`. */
const MIGRATE_LOCK_ID = 72707369;

export interface MigrationFile {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: number;
}

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export async function readMigrations(dir = migrationsDir): Promise<MigrationFile[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

const createTable = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

/** Refuses to go on when history and files disagree, the way `prisma migrate deploy` does. */
function checkHistory(files: MigrationFile[], rows: AppliedRow[]): Set<string> {
  const byName = new Map(files.map((f) => [f.name, f]));
  const done = new Set<string>();
  for (const row of rows) {
    if (row.rolled_back_at) continue;
    if (!row.finished_at) {
      throw new MigrationError(
        `migration ${row.migration_name} started but did not finish; repair the database, then mark it rolled back`,
      );
    }
    const file = byName.get(row.migration_name);
    if (!file) {
      throw new MigrationError(
        `migration ${row.migration_name} is applied in the database but missing from ${migrationsDir}`,
      );
    }
    if (file.checksum !== row.checksum) {
      throw new MigrationError(
        `migration ${row.migration_name} was modified after it was applied (checksum differs); restore the original file`,
      );
    }
    done.add(row.migration_name);
  }
  return done;
}

async function applyOne(sql: Sql, file: MigrationFile): Promise<void> {
  await sql.transaction(async (tx: SqlRunner) => {
    try {
      await tx.exec(file.sql);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new MigrationError(`migration ${file.name} failed and was rolled back: ${reason}`);
    }
    await tx.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), now(), 1)`,
      [randomUUID(), file.checksum, file.name],
    );
  });
}

/** Applies pending migrations under an advisory lock; safe to call from several servers at once. */
export async function migrate(sql: Sql, files?: MigrationFile[]): Promise<MigrateResult> {
  const migrations = files ?? (await readMigrations());
  return sql.withConnection(async (conn) => {
    await conn.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK_ID]);
    try {
      await conn.exec(createTable);
      const rows = await conn.query<AppliedRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
      );
      const done = checkHistory(migrations, rows);
      const applied: string[] = [];
      for (const file of migrations) {
        if (done.has(file.name)) continue;
        // PGlite runs on one connection, so the transaction goes through `sql` there; on
        // PostgreSQL a second pooled connection applies it while this one holds the lock.
        await applyOne(sql, file);
        applied.push(file.name);
      }
      return { applied, alreadyApplied: done.size };
    } finally {
      await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK_ID]);
    }
  });
}
