// The client factory every part of esmon uses: PostgreSQL through @prisma/adapter-pg when a URL
// is given, otherwise an embedded PGlite in a data directory. One schema, one code path.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client.ts';
import { sqlFromPglite, sqlFromPool, type Sql } from './sql.ts';

export type { PrismaClient };

export interface Database {
  prisma: PrismaClient;
  sql: Sql;
  /** Where the data lives, safe to print (no password). */
  describe: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** postgresql:// URL; when absent the embedded PGlite in `dataDir` is used. */
  url?: string | undefined;
  /** PGlite data directory, or `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  poolSize?: number;
}

/** A database problem worth a clear message rather than a stack trace. */
export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** Parses a PostgreSQL URL, failing with a message that never echoes the password. */
export function parsePostgresUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseError('DATABASE_URL is not a valid URL (expected postgresql://user@host:5432/db)');
  }
  if (parsed.protocol !== 'postgresql:' && parsed.protocol !== 'postgres:') {
    throw new DatabaseError(
      `DATABASE_URL must start with postgresql:// or postgres:// (got ${parsed.protocol}//…)`,
    );
  }
  if (!parsed.hostname) throw new DatabaseError('DATABASE_URL names no host');
  return parsed;
}

/** The URL with its password replaced, for logs and messages. */
export function redactUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const parsed = parsePostgresUrl(url);
  const describe = redactUrl(parsed);
  const pool = new pg.Pool({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5000 });
  pool.on('error', () => undefined); // idle-client errors surface on the next query instead
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end().catch(() => undefined);
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseError(`cannot reach PostgreSQL at ${describe}: ${reason}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const sql = sqlFromPool(pool);
  return {
    prisma,
    sql,
    describe,
    close: async () => {
      await prisma.$disconnect();
      await sql.close();
    },
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  let db: PGlite;
  try {
    db = await PGlite.create(dataDir);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new DatabaseError(`cannot open the embedded database in ${dataDir}: ${reason}`);
  }
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(db) });
  const sql = sqlFromPglite(db);
  return {
    prisma,
    sql,
    describe: inMemory ? 'embedded PGlite in memory' : `embedded PGlite in ${dataDir}`,
    close: async () => {
      await prisma.$disconnect();
      await sql.close();
    },
  };
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? './data');
}
