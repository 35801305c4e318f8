// Range queries on a real database: at most maxPoints points per series, the source chosen from
// the bucket width, and the same answer whether the data is raw, compacted or rolled up.
import { testDatabaseKind } from '@esmon/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compact } from '../src/store/compaction.ts';
import { AGGREGATIONS, type Aggregation } from '../src/store/downsample.ts';
import { queryRange, RangeQueryError, type SeriesRange } from '../src/store/range-query.ts';
import { DAY, gauge, HOUR, openStore, type StoreFixture } from './store-fixture.ts';

describe(`range queries (${testDatabaseKind()})`, () => {
  let f: StoreFixture;
  const day = Math.floor(Date.now() / DAY) * DAY - DAY;
  const from = day + 2 * HOUR;
  const to = day + 8 * HOUR;
  const selector = { metric: 'os.cpu.usage', matchers: [] };

  beforeAll(async () => {
    f = await openStore();
    for (const [host, seed] of [['q-1', 1], ['q-2', 2]] as const) {
      const samples = gauge('os.cpu.usage', from, to, seed);
      for (let i = 0; i < samples.length; i += 1000) await f.write(host, samples.slice(i, i + 1000));
      await f.write(host, gauge('os.mem.used_pct', from, to, seed + 10).slice(0, 100));
    }
  });
  afterAll(async () => {
    await f?.close();
  });

  const cases: { name: string; from: number; to: number; maxPoints: number; source: SeriesRange['source'] }[] = [
    { name: 'one hour in 1000 points (raw)', from: from + 17 * 60_000, to: from + 77 * 60_000 + 3_000, maxPoints: 1000, source: 'raw' },
    { name: 'six hours in 200 points (1-minute rollups)', from, to, maxPoints: 200, source: '1m' },
    { name: 'six hours in 5 points (1-hour rollups)', from: from - 30 * 60_000, to, maxPoints: 5, source: '1h' },
  ];

  const ask = (c: (typeof cases)[number], aggregation: Aggregation) =>
    queryRange(f.db.sql, { selector, from: c.from, to: c.to, maxPoints: c.maxPoints, aggregation });

  it('answers the same before and after compaction, for every aggregation and source', async () => {
    const before = new Map<string, SeriesRange[]>();
    for (const c of cases) for (const a of AGGREGATIONS) before.set(`${c.name}/${a}`, await ask(c, a));
    const moved = await compact(f.db.sql, f.store.partitions, to);
    expect(moved.hours).toBe(6);
    const [raw] = await f.db.sql.query<{ n: number }>('SELECT count(*)::int AS n FROM samples');
    expect(raw!.n).toBe(0);
    for (const c of cases) {
      for (const a of AGGREGATIONS) {
        const key = `${c.name}/${a}`;
        const after = await ask(c, a);
        const was = before.get(key)!;
        expect(after.map((r) => r.series.hostname), key).toEqual(['q-1', 'q-2']);
        for (const [i, r] of after.entries()) {
          const points = a === 'm4' ? 4 * Math.ceil(c.maxPoints / 4) : c.maxPoints;
          expect(r.ts.length, key).toBeLessThanOrEqual(points);
          expect(r.ts.length, key).toBeGreaterThan(0);
          if (a !== 'lttb') expect(r.source, key).toBe(c.source);
          expect(r.ts, key).toEqual(was[i]!.ts);
          r.values.forEach((v, j) => expect(v, `${key}[${j}]`).toBeCloseTo(was[i]!.values[j]!, 9));
        }
      }
    }
  });

  it('computes aggregates that match the raw points', async () => {
    const c = cases[1]!;
    const [avg] = await ask(c, 'avg');
    const [max] = await ask(c, 'max');
    const [sum] = await ask(c, 'sum');
    const all = gauge('os.cpu.usage', from, to, 1);
    const width = avg!.bucketMs;
    expect(width % 60_000).toBe(0);
    const bucket0 = all.filter((s) => Math.floor(s.ts / width) * width === avg!.ts[0]);
    expect(max!.values[0]).toBe(Math.max(...bucket0.map((s) => s.value)));
    expect(sum!.values[0]).toBeCloseTo(bucket0.reduce((a, s) => a + s.value, 0), 9);
    expect(avg!.values[0]).toBeCloseTo(bucket0.reduce((a, s) => a + s.value, 0) / bucket0.length, 9);
  });

  it('picks series with label matchers and refuses a selector matching too many', async () => {
    const one = await queryRange(f.db.sql, {
      selector: { metric: 'os.cpu.usage', matchers: [{ label: 'host', op: '=~', value: 'q-[2-9]' }] },
      from, to, maxPoints: 10, aggregation: 'max',
    });
    expect(one.map((r) => r.series.hostname)).toEqual(['q-2']);
    await expect(
      queryRange(f.db.sql, { selector: { matchers: [{ label: 'host', op: '!=', value: '' }] }, from, to, maxPoints: 10, aggregation: 'avg', maxSeries: 3 }),
    ).rejects.toThrow(RangeQueryError);
    await expect(queryRange(f.db.sql, { selector, from: to, to: from, maxPoints: 10, aggregation: 'avg' })).rejects.toThrow('after');
  });
});
