// Test harness. A scratch PostgreSQL database per test file, reached the way the plugin reaches DB2: through the
// npm `odbc` package and the psqlODBC driver (Debian odbc-postgresql). The server is the one CI
// starts (TEST_DATABASE_URL or PG_ADMIN_URL, else 127.0.0.1:5432 as postgres with trust auth).
import { randomBytes } from 'node:crypto';
import { parseParams, type StepContext, type StepResult } from '@esmon/schema';
import { stepContext } from '@esmon/schema/testing';
import odbc from 'odbc';
import { expect, vi } from 'vitest';
import type { Db2Plugin } from '../src/plugin.ts';

/** The psqlODBC driver as /etc/odbcinst.ini names it. */
export const PG_DRIVER = 'PostgreSQL Unicode';

const adminUrl = new URL(
  process.env.TEST_DATABASE_URL ??
    process.env.PG_ADMIN_URL ??
    'postgresql://postgres@127.0.0.1:5432/postgres',
);

/** The server's login role; with trust auth any password passes, which the secret tests rely on. */
export const PG_USER = decodeURIComponent(adminUrl.username) || 'postgres';

/** A driver connection string without credentials, as a probe would store it. */
export function pgConnectionString(database: string): string {
  return `DRIVER={${PG_DRIVER}};SERVER=${adminUrl.hostname};PORT=${adminUrl.port || '5432'};DATABASE=${database}`;
}

function adminConnectionString(database: string): string {
  const password = decodeURIComponent(adminUrl.password);
  return `${pgConnectionString(database)};UID=${PG_USER}${password ? `;PWD={${password}}` : ''}`;
}

export interface ScratchDatabase {
  name: string;
  /** the plugin's stored connection string (no credentials) */
  connectionString: string;
  /** runs SQL as the admin on the scratch database */
  sql<T = Record<string, unknown>>(text: string, parameters?: (string | number)[]): Promise<T[]>;
  /** backends on the scratch database other than the admin's own: the plugin's connections */
  pluginConnections(): Promise<{ pid: number; query: string }[]>;
  drop(): Promise<void>;
}

export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const name = `esmon_test_db2_${process.pid}_${randomBytes(4).toString('hex')}`;
  const server = await odbc.connect(adminConnectionString(adminUrl.pathname.slice(1) || 'postgres'));
  await server.query(`CREATE DATABASE "${name}"`);
  const admin = await odbc.connect(adminConnectionString(name));
  const sql = async <T>(text: string, parameters: (string | number)[] = []): Promise<T[]> => [
    ...(await admin.query<T>(text, parameters)),
  ];
  return {
    name,
    connectionString: pgConnectionString(name),
    sql,
    pluginConnections: () =>
      sql<{ pid: number; query: string }>(
        'SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY pid',
      ),
    drop: async () => {
      await admin.close();
      await server.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await server.close();
    },
  };
}

/** A step context holding the given secrets; the clock is real, the pool's idle close runs on it. */
export function withSecrets(
  secrets: Record<string, string>,
  overrides: Partial<StepContext> = {},
): StepContext {
  return stepContext({ now: () => Date.now(), secret: (ref) => secrets[ref], ...overrides });
}

/** The secrets every test agent holds: the server's role, and a password built to break quoting. */
export const PASSWORD = `Pw;{x}=DATABASE=postgres-${randomBytes(6).toString('hex')}`;
export const SECRETS = { 'secret:pg_user': PG_USER, 'secret:pg_password': PASSWORD };

/** Parameters for a query on the scratch database through the driver connection string. */
export function queryParams(db: ScratchDatabase, params: Record<string, unknown>): Record<string, unknown> {
  return {
    dialect: 'generic',
    connection: 'connectionString',
    connectionString: db.connectionString,
    user: 'secret:pg_user',
    password: 'secret:pg_password',
    ...params,
  };
}

/** Validates, prepares and executes one step, as the agent does. */
export async function runStep(
  plugin: Db2Plugin,
  params: Record<string, unknown>,
  ctx: StepContext = withSecrets(SECRETS),
): Promise<StepResult> {
  return plugin.execute(plugin.prepare(parseParams(plugin.manifest, params)), ctx);
}

/** Waits until the plugin holds this many connections on the scratch database. */
export async function expectConnections(db: ScratchDatabase, count: number): Promise<void> {
  await vi.waitFor(async () => expect(await db.pluginConnections()).toHaveLength(count), {
    timeout: 10_000,
    interval: 50,
  });
}
