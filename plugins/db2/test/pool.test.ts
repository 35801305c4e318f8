// Pooled connections on a real PostgreSQL: reuse, bounds, recovery from a dead connection and
// from a timeout, idle close and close(). Connections are counted in pg_stat_activity.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDb2Plugin, type Db2Plugin } from '../src/plugin.ts';
import {
  createScratchDatabase,
  expectConnections,
  queryParams,
  runStep,
  SECRETS,
  withSecrets,
  type ScratchDatabase,
} from './harness.ts';

let db: ScratchDatabase;
let plugin: Db2Plugin;

const pidQuery = (extra: Record<string, unknown> = {}) =>
  queryParams(db, { sql: 'SELECT pg_backend_pid() AS pid', ...extra });
const pidOf = async (params = pidQuery()) => {
  const r = await runStep(plugin, params);
  expect(r.status, r.error).toBe('ok');
  return r.rows![0]!.pid as number;
};

beforeAll(async () => {
  db = await createScratchDatabase();
});

afterEach(async () => {
  await plugin.close();
  await expectConnections(db, 0);
});

afterAll(async () => {
  await db.drop();
});

describe('the connection pool', () => {
  it('reuses one connection across sequential executions', async () => {
    plugin = createDb2Plugin();
    const pids = new Set<number>();
    for (let i = 0; i < 20; i++) pids.add(await pidOf());
    expect(pids.size).toBe(1);
    expect(await db.pluginConnections()).toHaveLength(1);
  });

  it('stays within its maximum under concurrent executions', async () => {
    plugin = createDb2Plugin({ pool: { max: 2 } });
    const results = await Promise.all(
      Array.from({ length: 12 }, () =>
        runStep(
          plugin,
          queryParams(db, { sql: 'SELECT pg_backend_pid() AS pid, pg_sleep(0.02)::text AS slept' }),
        ),
      ),
    );
    expect(results.every((r) => r.status === 'ok')).toBe(true);
    expect(new Set(results.map((r) => r.rows![0]!.pid)).size).toBeLessThanOrEqual(2);
    expect((await db.pluginConnections()).length).toBeLessThanOrEqual(2);
  });

  it('keeps a connection after a statement error', async () => {
    plugin = createDb2Plugin();
    const pid = await pidOf();
    expect((await runStep(plugin, queryParams(db, { sql: 'SELECT * FROM no_such_table' }))).status).toBe(
      'error',
    );
    expect(await pidOf()).toBe(pid);
  });

  it('replaces a connection the server killed, retrying a read-only query once', async () => {
    plugin = createDb2Plugin();
    const pid = await pidOf();
    await db.sql('SELECT pg_terminate_backend(?)', [pid]);
    await expectConnections(db, 0);
    const next = await pidOf();
    expect(next).not.toBe(pid);
  });

  it('does not retry a write on a killed connection, and reconnects on the next execution', async () => {
    plugin = createDb2Plugin();
    const writable = pidQuery({ allowWrites: true });
    const pid = await pidOf(writable);
    await db.sql('SELECT pg_terminate_backend(?)', [pid]);
    await expectConnections(db, 0);
    const failed = await runStep(plugin, writable);
    expect(failed.status).toBe('error');
    expect(failed.error).toMatch(/^query failed: .*terminating connection due to administrator command/);
    expect(await pidOf(writable)).not.toBe(pid);
  });

  it('closes idle connections', async () => {
    plugin = createDb2Plugin({ pool: { idleMs: 100 } });
    await pidOf();
    await expectConnections(db, 0);
    await pidOf();
  });

  it('closes every connection on close(), and opens new ones when used again', async () => {
    plugin = createDb2Plugin();
    await Promise.all([pidOf(), pidOf()]);
    await plugin.close();
    await expectConnections(db, 0);
    await pidOf();
    expect(await db.pluginConnections()).toHaveLength(1);
  });
});

describe('timeouts', () => {
  it('answers timeout, cancels the query, drops its connection and recovers', async () => {
    plugin = createDb2Plugin();
    const before = await pidOf();
    const r = await runStep(plugin, queryParams(db, { sql: 'SELECT pg_sleep(5)', timeoutMs: 300 }));
    expect(r).toMatchObject({
      status: 'timeout',
      samples: [],
      error: 'no answer within 300 ms: the query was cancelled and its connection dropped',
    });
    await expectConnections(db, 0);
    const after = await pidOf();
    expect(after).not.toBe(before);
  });

  it('answers timeout when the agent aborts the step', async () => {
    plugin = createDb2Plugin();
    const abort = new AbortController();
    const running = runStep(
      plugin,
      queryParams(db, { sql: 'SELECT pg_sleep(5)' }),
      withSecrets(SECRETS, { signal: abort.signal }),
    );
    await expectConnectionsRunning('pg_sleep');
    abort.abort();
    expect((await running).status).toBe('timeout');
    await expectConnections(db, 0);
  });

  it('never waits beyond the step timeout, whatever the query asks for', async () => {
    plugin = createDb2Plugin();
    const r = await runStep(
      plugin,
      queryParams(db, { sql: 'SELECT pg_sleep(5)', timeoutMs: 60_000 }),
      withSecrets(SECRETS, { timeoutMs: 300 }),
    );
    expect(r).toMatchObject({
      status: 'timeout',
      error: 'no answer within 300 ms: the query was cancelled and its connection dropped',
    });
  });
});

async function expectConnectionsRunning(text: string): Promise<void> {
  await expect
    .poll(async () => (await db.pluginConnections()).some((c) => c.query.includes(text)), {
      timeout: 10_000,
      interval: 50,
    })
    .toBe(true);
}
