// The store's write side on a real database: daily partitions created ahead and on demand,
// partition pruning, duplicate batches and duplicate samples, group commit, back-pressure.
import { testDatabaseKind } from '@esmon/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestBusyError } from '../src/store/sample-writer.ts';
import { STORE_TABLES } from '../src/store/partitions.ts';
import { DAY, HOUR, openStore, type StoreFixture } from './store-fixture.ts';

describe(`store writes (${testDatabaseKind()})`, () => {
  let f: StoreFixture;
  beforeAll(async () => {
    f = await openStore();
  });
  afterAll(async () => {
    await f?.close();
  });

  it('creates daily partitions ahead of time, and on demand for a late day', async () => {
    // what start-up waits for: partitions only
    await f.store.maintenance.prepare();
    const today = Math.floor(Date.now() / DAY) * DAY;
    const names = (await f.store.partitions.list(STORE_TABLES.raw)).map((p) => p.from);
    expect(names).toEqual(expect.arrayContaining([today, today + DAY, today + 2 * DAY]));
    expect(names).not.toContain(today - 3 * DAY);
    const run = await f.store.maintenance.run();
    expect(run.compaction.hours).toBe(0);

    const late = today - 3 * DAY + 5 * HOUR;
    expect(await f.write('part-1', [{ metric: 'os.cpu.usage', ts: late, value: 1 }])).toBe(1);
    const after = await f.store.partitions.list(STORE_TABLES.raw);
    const p = after.find((x) => x.from === today - 3 * DAY)!;
    expect(p.name).toBe(`samples_p${new Date(today - 3 * DAY).toISOString().slice(0, 10).replaceAll('-', '')}`);
    const [row] = await f.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${p.name}"`);
    expect(row!.n).toBe(1);
  });

  it('reads only the partitions a time range needs', async () => {
    const today = Math.floor(Date.now() / DAY) * DAY;
    const rows = await f.db.sql.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN SELECT * FROM samples WHERE ts >= $1 AND ts < $2`,
      [new Date(today + HOUR), new Date(today + 2 * HOUR)],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    const todayName = `samples_p${new Date(today).toISOString().slice(0, 10).replaceAll('-', '')}`;
    expect(plan).toContain(todayName);
    expect(plan).not.toMatch(new RegExp(`samples_p(?!${todayName.slice(9)})\\d{8}`));
  });

  it('stores a re-sent batch once, and a sample sent twice under new batch ids once', async () => {
    const ts = Date.now() - 60_000;
    const samples = [
      { metric: 'os.mem.used_pct', ts, value: 10 },
      { metric: 'os.mem.used_pct', ts: ts + 10_000, value: 11 },
    ];
    expect(await f.write('dup-1', samples, 'same-id')).toBe(2);
    expect(await f.write('dup-1', samples, 'same-id')).toBe(0);
    // a new batch id carrying one stored and one new sample: only the new one is stored
    expect(await f.write('dup-1', [...samples, { metric: 'os.mem.used_pct', ts: ts + 20_000, value: 12 }])).toBe(1);
    const [row] = await f.db.sql.query<{ n: number; sum: number }>(
      `SELECT count(*)::int AS n, sum(value) AS sum FROM samples s JOIN series se ON se.id = s.series_id
       JOIN hosts h ON h.id = se.host_id WHERE h.hostname = 'dup-1'`,
    );
    expect(row).toEqual({ n: 3, sum: 33 });
  });

  it('commits concurrent batches in groups and acknowledges each only with its own figures', async () => {
    const groups: number[] = [];
    f.store.onGroup((g) => groups.push(g.batches));
    const now = Date.now() - 30_000;
    const writes = Array.from({ length: 40 }, (_, i) =>
      f.write(`grp-${i % 8}`, Array.from({ length: 50 }, (_, j) => ({ metric: 'os.load.1', labels: { n: String(i) }, ts: now + j, value: i * j }))),
    );
    // the same batch id twice in flight at once is stored once
    const twins = [f.write('grp-twin', [{ metric: 'os.load.1', ts: now, value: 1 }], 'twin'), f.write('grp-twin', [{ metric: 'os.load.1', ts: now, value: 1 }], 'twin')];
    const accepted = await Promise.all(writes);
    expect(accepted).toEqual(Array.from({ length: 40 }, () => 50));
    expect((await Promise.all(twins)).sort()).toEqual([0, 1]);
    expect(Math.max(...groups)).toBeGreaterThan(1);
    const [row] = await f.db.sql.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM samples s JOIN series se ON se.id = s.series_id WHERE se.metric = 'os.load.1'`,
    );
    expect(row!.n).toBe(40 * 50 + 1);
  });
});

describe(`back-pressure (${testDatabaseKind()})`, () => {
  it('refuses with a retry delay when the queue is full, and loses no acknowledged sample', async () => {
    const f = await openStore({ ESMON_INGEST_QUEUE_SAMPLES: 10_000 });
    try {
      const now = Date.now() - 60_000;
      const attempts = Array.from({ length: 30 }, (_, i) =>
        f
          .write(`bp-${i}`, Array.from({ length: 2_000 }, (_, j) => ({ metric: 'os.net.rx_bytes', ts: now + j, value: j })), `bp-${i}`)
          .then(
            (n) => ({ i, ok: true as const, n }),
            (err: unknown) => ({ i, ok: false as const, err }),
          ),
      );
      const results = await Promise.all(attempts);
      const refused = results.filter((r) => !r.ok);
      const stored = results.filter((r) => r.ok);
      expect(refused.length).toBeGreaterThan(0);
      expect(stored.length).toBeGreaterThan(0);
      for (const r of refused) {
        expect(r.err).toBeInstanceOf(IngestBusyError);
        expect((r.err as IngestBusyError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
      }
      const count = async () =>
        (await f.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM samples`))[0]!.n;
      expect(await count()).toBe(stored.length * 2_000);
      // the refused batches, sent again once the queue drained, are all stored
      for (const r of refused) {
        await f.write(`bp-${r.i}`, Array.from({ length: 2_000 }, (_, j) => ({ metric: 'os.net.rx_bytes', ts: now + j, value: j })), `bp-${r.i}`);
      }
      expect(await count()).toBe(30 * 2_000);
      expect(f.store.writer.depth()).toEqual({ batches: 0, samples: 0 });
    } finally {
      await f.close();
    }
  });
});
