// A server process on a database of its own that outlives it: stopped (an outage) and started
// again on the same data, and that data read directly. PostgreSQL when TEST_DATABASE_URL is set
// (a fresh database, dropped at the end), else PGlite in a temporary ESMON_DATA_DIR; PGlite is
// one process at a time, so it is read only while the server is stopped.
import { rm } from 'node:fs/promises';
import { openDatabase, type Database, type Sql } from '@esmon/db';
import { createPostgresTestDatabase } from '@esmon/db/testing';
import { freePort, gql, loginToken, runTs, serverCli, tempDir, waitUntil, type Proc } from './processes.ts';

const PASSWORD = 'e2e-admin-password';

export type KeyRequest = { kind: 'agent'; hostname: string } | { kind: 'integration'; role: 'viewer' | 'analyst' | 'admin' };

export interface ServerOnDatabase {
  url: string;
  /** Starts the server process and waits until it answers /healthz. */
  start(): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
  running(): boolean;
  /** A new API key's secret (the server must be running). */
  createKey(request: KeyRequest): Promise<string>;
  /** Runs `fn` on the database (on PGlite only while the server is stopped). */
  read<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** Everything the server process wrote to stdout and stderr, over all its runs. */
  output(): string;
  /** Kills the process if still running, drops the database, removes the data directory. */
  close(): Promise<void>;
}

export async function createServerOnDatabase(): Promise<ServerOnDatabase> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const dataDir = await tempDir('esmon-e2e-db-');
  const pg = process.env.TEST_DATABASE_URL ? await createPostgresTestDatabase() : undefined;
  const env = { PORT: String(port), ESMON_DATA_DIR: dataDir, ESMON_ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'warn', DATABASE_URL: pg?.url ?? '' };
  let proc: Proc | undefined;
  let earlier = '';
  let pool: Database | undefined;
  const running = () => proc !== undefined && proc.child.exitCode === null && proc.child.signalCode === null;

  return {
    url,
    running,
    output: () => earlier + (proc?.output() ?? ''),
    async start() {
      if (running()) throw new Error('the server is already running');
      earlier += proc?.output() ?? '';
      const started = runTs(serverCli, ['serve'], env);
      proc = started;
      await waitUntil('server healthy', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 60_000, started);
    },
    async stop() {
      if (!proc) return null;
      return proc.stop(30_000);
    },
    async createKey(request) {
      const token = await loginToken(url, 'admin@localhost', PASSWORD);
      const input = { name: `e2e ${request.kind}`, ...request };
      const r = await gql(url, 'mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret } }', { input }, token);
      if (!r.data) throw new Error(`createApiKey failed: ${JSON.stringify(r.errors)}`);
      return r.data.createApiKey.secret as string;
    },
    async read(fn) {
      if (pg) {
        pool ??= await openDatabase({ url: pg.url, poolSize: 2 });
        return fn(pool.sql);
      }
      if (running()) throw new Error('PGlite is read only while the server is stopped');
      const db = await openDatabase({ dataDir });
      try {
        return await fn(db.sql);
      } finally {
        await db.close();
      }
    },
    async close() {
      await proc?.stop(5_000);
      await pool?.close();
      await pg?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
