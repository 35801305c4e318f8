// The raw-SQL interface for hot paths (ingest, range queries, the migrator), over the same
// connection(s) Prisma uses: a pg pool against PostgreSQL, or the one PGlite instance.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import type { PGlite, Transaction } from '@electric-sql/pglite';
import type pg from 'pg';
import { from as copyFromStdin } from 'pg-copy-streams';

/** What a query can run on: the pool, one checked-out connection, or a transaction. */
export interface SqlRunner {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<R[]>;
  /** Runs a script of several statements (no parameters). */
  exec(script: string): Promise<void>;
  /**
   * Streams `data` into `COPY <target> FROM STDIN <options>` (e.g. `samples (series_id, ts, value)`
   * with `(FORMAT binary)`); resolves with the rows copied.
   */
  copyFrom(target: string, options: string, data: Uint8Array): Promise<number>;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

export interface Sql extends SqlRunner {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` inside one transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T>;
  /** Runs `fn` on one dedicated connection, for session state such as advisory locks. */
  withConnection<T>(fn: (conn: SqlRunner) => Promise<T>): Promise<T>;
  stats(): PoolStats;
  close(): Promise<void>;
}

async function pgCopy(client: pg.PoolClient, target: string, options: string, data: Uint8Array): Promise<number> {
  const stream = client.query(copyFromStdin(`COPY ${target} FROM STDIN ${options}`));
  await pipeline(Readable.from([data]), stream);
  return stream.rowCount ?? 0;
}

function pgRunner(client: pg.Pool | pg.PoolClient): SqlRunner {
  return {
    async copyFrom(target, options, data) {
      if (!('release' in client)) {
        const conn = await client.connect();
        try {
          return await pgCopy(conn, target, options, data);
        } finally {
          conn.release();
        }
      }
      return pgCopy(client, target, options, data);
    },
    async query<R>(text: string, params?: readonly unknown[]) {
      const res = await client.query(text, params as unknown[] | undefined);
      return res.rows as R[];
    },
    async exec(script: string) {
      await client.query(script);
    },
  };
}

export function sqlFromPool(pool: pg.Pool): Sql {
  const withConnection = async <T>(fn: (c: SqlRunner) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(pgRunner(client));
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    ...pgRunner(pool),
    withConnection,
    transaction: (fn) =>
      withConnection(async (conn) => {
        await conn.exec('BEGIN');
        try {
          const result = await fn(conn);
          await conn.exec('COMMIT');
          return result;
        } catch (err) {
          await conn.exec('ROLLBACK').catch(() => undefined);
          throw err;
        }
      }),
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => pool.end(),
  };
}

function pgliteRunner(db: PGlite | Transaction): SqlRunner {
  return {
    async copyFrom(target, options, data) {
      // PGlite reads COPY input from the virtual file /dev/blob
      const res = await db.query(`COPY ${target} FROM '/dev/blob' ${options}`, [], { blob: new Blob([data as Uint8Array<ArrayBuffer>]) });
      return res.affectedRows ?? 0;
    },
    async query<R>(text: string, params?: readonly unknown[]) {
      const res = await db.query<R>(text, params as unknown[] | undefined);
      return res.rows;
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}

/** PGlite is one connection; it serializes queries and transactions itself. */
export function sqlFromPglite(db: PGlite): Sql {
  let pending = 0;
  const track = async <T>(p: Promise<T>): Promise<T> => {
    pending++;
    try {
      return await p;
    } finally {
      pending--;
    }
  };
  const runner = pgliteRunner(db);
  // withConnection promises one session to itself (e.g. under an advisory lock, which PostgreSQL
  // grants re-entrantly within a session): on the single PGlite session, callers take turns.
  let turn: Promise<unknown> = Promise.resolve();
  const withConnection = <T>(fn: (conn: SqlRunner) => Promise<T>): Promise<T> => {
    const result = turn.then(() => track(fn(runner)));
    turn = result.catch(() => undefined);
    return result;
  };
  return {
    kind: 'pglite',
    query: (text, params) => track(runner.query(text, params)),
    copyFrom: (target, options, data) => track(runner.copyFrom(target, options, data)),
    exec: (script) => track(runner.exec(script)),
    withConnection,
    transaction: (fn) => track(db.transaction((tx) => fn(pgliteRunner(tx)))),
    stats: () => ({ total: 1, idle: pending === 0 ? 1 : 0, waiting: Math.max(0, pending - 1) }),
    close: () => db.close(),
  };
}
