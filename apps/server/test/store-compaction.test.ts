// Compaction, rollups and retention on a real database: chunks give back every value and
// timestamp bit for bit; rollups equal a recomputation from the raw points, late data included;
// retention drops exactly the partitions that expired.
import { testDatabaseKind } from '@esmon/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compact } from '../src/store/compaction.ts';
import { decodeMinutes } from '../src/store/minute-rollups.ts';
import { STORE_TABLES } from '../src/store/partitions.ts';
import { rawPoints } from '../src/store/range-query.ts';
import { applyRetention, readPolicies, storageReport } from '../src/store/retention.ts';
import { DAY, gauge, HOUR, openStore, type StoreFixture } from './store-fixture.ts';

const bits = (xs: number[]) => Array.from(new BigUint64Array(new Float64Array(xs).buffer), String);

interface Expected {
  min: number;
  max: number;
  sum: number;
  count: number;
  first: number;
  last: number;
}

/** 1-minute or 1-hour aggregates recomputed straight from points (last write wins per instant). */
function recompute(points: Map<number, number>, width: number): Map<number, Expected> {
  const out = new Map<number, Expected>();
  for (const ts of [...points.keys()].sort((a, b) => a - b)) {
    const v = points.get(ts)!;
    const b = Math.floor(ts / width) * width;
    const e = out.get(b);
    if (!e) out.set(b, { min: v, max: v, sum: v, count: 1, first: v, last: v });
    else Object.assign(e, { min: Math.min(e.min, v), max: Math.max(e.max, v), sum: e.sum + v, count: e.count + 1, last: v });
  }
  return out;
}

describe(`compaction and rollups (${testDatabaseKind()})`, () => {
  let f: StoreFixture;
  let seriesId: number;
  const truth = new Map<number, number>();
  const day = Math.floor(Date.now() / DAY) * DAY - DAY; // yesterday, inside the accepted window
  const from = day + 3 * HOUR;
  const to = day + 6 * HOUR;

  beforeAll(async () => {
    f = await openStore();
    const samples = gauge('os.cpu.usage', from, to, 7);
    // awkward values: they must come back bit for bit
    samples[5]!.value = 0.1 + 0.2;
    samples[6]!.value = -0;
    samples[7]!.value = 5e-324;
    samples[8]!.value = 1.7976931348623157e308;
    for (const s of samples) truth.set(s.ts, s.value);
    for (let i = 0; i < samples.length; i += 500) await f.write('cmp-1', samples.slice(i, i + 500));
    const [row] = await f.db.sql.query<{ id: number }>(`SELECT id FROM series WHERE metric = 'os.cpu.usage'`);
    seriesId = row!.id;
  });
  afterAll(async () => {
    await f?.close();
  });

  it('moves closed hours into chunks and gives back every value and timestamp bit for bit', async () => {
    const before = (await rawPoints(f.db.sql, [seriesId], from, to)).get(seriesId)!;
    const result = await compact(f.db.sql, f.store.partitions, day + 5 * HOUR);
    expect(result).toMatchObject({ hours: 2, chunks: 2, merged: 0 });
    const [counts] = await f.db.sql.query<{ raw: number; chunks: number; chunked: number }>(
      `SELECT (SELECT count(*) FROM samples)::int AS raw, (SELECT count(*) FROM sample_chunks)::int AS chunks,
              (SELECT sum(count) FROM sample_chunks)::int AS chunked`,
    );
    expect(counts).toEqual({ raw: 360, chunks: 2, chunked: 720 });
    const after = (await rawPoints(f.db.sql, [seriesId], from, to)).get(seriesId)!;
    expect(after.ts).toEqual(before.ts);
    expect(bits(after.values)).toEqual(bits(before.values));
    const sorted = [...truth.keys()].sort((a, b) => a - b);
    expect(after.ts).toEqual(sorted);
    expect(bits(after.values)).toEqual(bits(sorted.map((t) => truth.get(t)!)));
  });

  it('writes rollups equal to a recomputation from the raw points, and keeps them right for late data', async () => {
    await compact(f.db.sql, f.store.partitions, day + 6 * HOUR);
    // late data: a new instant and a corrected value inside an hour already compacted
    const lateTs = day + 3 * HOUR + 30 * 60_000 + 5_000;
    const existing = [...truth.keys()].find((t) => t > day + 4 * HOUR)!;
    expect(await f.write('cmp-1', [
      { metric: 'os.cpu.usage', ts: lateTs, value: 99.5 },
      { metric: 'os.cpu.usage', ts: existing, value: -3.25 },
    ])).toBe(2);
    truth.set(lateTs, 99.5);
    truth.set(existing, -3.25);
    const again = await compact(f.db.sql, f.store.partitions, day + 6 * HOUR);
    expect(again).toMatchObject({ hours: 2, merged: 2, samples: 2 });

    const minuteBlocks = await f.db.sql.query<{ start: Date; data: Uint8Array; count: number }>(
      'SELECT start, data, count FROM samples_1m WHERE series_id = $1 ORDER BY start',
      [seriesId],
    );
    const minutes = minuteBlocks.flatMap((b) => decodeMinutes(b.start.getTime(), b.data));
    expect(minuteBlocks.reduce((n, b) => n + b.count, 0)).toBe(truth.size);
    const hours = await f.db.sql.query<Expected & { bucket: number }>(
      `SELECT (extract(epoch FROM bucket) * 1000)::float8 AS bucket, min, max, sum, count, first, last
       FROM samples_1h WHERE series_id = $1 ORDER BY bucket`,
      [seriesId],
    );
    for (const [rows, width] of [[minutes, 60_000], [hours, HOUR]] as const) {
      const expected = recompute(truth, width);
      expect(rows.map((r) => Number(r.bucket))).toEqual([...expected.keys()]);
      for (const r of rows) {
        const e = expected.get(Number(r.bucket))!;
        // rollups are numbers, not bit patterns: -0 and 0 are the same minimum (and pg sends -0 as 0)
        const z = (v: number) => (v === 0 ? 0 : v);
        expect({ min: z(r.min), max: z(r.max), count: r.count, first: z(r.first), last: z(r.last) }).toEqual({
          min: z(e.min), max: z(e.max), count: e.count, first: z(e.first), last: z(e.last),
        });
        expect(r.sum).toBeCloseTo(e.sum, 6);
      }
    }
    const points = (await rawPoints(f.db.sql, [seriesId], from, to)).get(seriesId)!;
    expect(points.ts.length).toBe(truth.size);
    expect(points.values[points.ts.indexOf(existing)]).toBe(-3.25);
  });

  it('reports sizes and bytes per sample', async () => {
    const report = await storageReport(f.db.sql);
    const chunks = report.find((r) => r.table === 'sample_chunks')!;
    expect(chunks.samples).toBe(truth.size);
    expect(chunks.bytes).toBeGreaterThan(0);
    expect(chunks.bytesPerSample).toBeCloseTo(chunks.bytes / truth.size, 6);
    expect(report.map((r) => r.table)).toEqual(['samples', 'sample_chunks', 'samples_1m', 'samples_1h', 'series', 'ingest_batches']);
  });
});

describe(`retention (${testDatabaseKind()})`, () => {
  it('drops exactly the partitions that ended before each resolution’s horizon', async () => {
    const f = await openStore();
    try {
      const now = Date.UTC(2026, 10, 20, 12);
      const at = (d: number) => Date.UTC(2026, 10, d, 6);
      await f.store.partitions.ensure(STORE_TABLES.raw, [at(1), at(5), at(6), at(7), at(19)]);
      await f.store.partitions.ensure(STORE_TABLES.chunks, [at(5), at(6), at(7)]);
      await f.store.partitions.ensure(STORE_TABLES.rollup1m, [at(1), at(5)]);
      await f.store.partitions.ensure(STORE_TABLES.rollup1h, [Date.UTC(2025, 9, 3), Date.UTC(2026, 10, 3)]);
      await f.db.sql.query(`INSERT INTO retention_policies (resolution, keep_seconds, updated_at) VALUES ('1m', $1, now())`, [16 * 86400]);
      const policies = await readPolicies(f.db.sql, { raw: 14 * 86400, '1m': 90 * 86400, '1h': 365 * 86400 });
      expect(policies['1m']).toEqual({ keepSeconds: 16 * 86400, source: 'admin' });
      const result = await applyRetention(f.db.sql, f.store.partitions, policies, now, 7 * DAY);
      // raw horizon: Nov 6 12:00 → Nov 1, 5 dropped (they end by Nov 6 00:00), Nov 6 kept (ends Nov 7)
      // 1m horizon: Nov 4 12:00 → Nov 1 dropped; 1h horizon: 2025-11-20 → October 2025 dropped
      expect(result.dropped.map((d) => d.partition).sort()).toEqual(
        ['sample_chunks_p20261105', 'samples_1h_p202510', 'samples_1m_p20261101', 'samples_p20261101', 'samples_p20261105'].sort(),
      );
      const left = async (t: (typeof STORE_TABLES)[keyof typeof STORE_TABLES]) => (await f.store.partitions.list(t)).map((p) => p.name);
      expect(await left(STORE_TABLES.raw)).toEqual(['samples_p20261106', 'samples_p20261107', 'samples_p20261119']);
      expect(await left(STORE_TABLES.rollup1m)).toEqual(['samples_1m_p20261105']);
    } finally {
      await f.close();
    }
  });
});
