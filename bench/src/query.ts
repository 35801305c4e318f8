// npm run bench:query — one week of 10-second data for 20 series, compacted and rolled up as the
// server would have it; then "1 series → 1000 points" and "20 series → 1000 points each" through
// the range query, p50/p95 over REPEAT runs, next to the same question answered by hand-written
// date_bin SQL over a plain copy of the raw rows (a table with the same primary key), in the same run.
import { parseSelector } from '@esmon/schema';
import { compact } from '../../apps/server/src/store/compaction.ts';
import { findSeries, queryRange } from '../../apps/server/src/store/range-query.ts';
import { percentile, printFigures, round } from './bench-db.ts';
import { loadSeries, withScratchStore } from './load.ts';

const REPEAT = Number(process.env.BENCH_REPEAT ?? 30);
const WEEK = 7 * 86_400_000;

async function timed(n: number, fn: () => Promise<unknown>) {
  await fn(); // warm
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return { p50: round(percentile(ms, 50), 1), p95: round(percentile(ms, 95), 1) };
}

async function main() {
  await withScratchStore(async (db, store, to) => {
    const from = to - WEEK;
    const specs = Array.from({ length: 20 }, (_, k) => ({
      hostname: `q-${k}`,
      metric: 'os.cpu.usage',
      value: (i: number) => 50 + 30 * Math.sin((i + k * 97) / 360) + ((i * 7919 + k) % 100) / 50,
    }));
    process.stdout.write('loading one week of 10 s data for 20 series … ');
    const t0 = performance.now();
    const n = await loadSeries(store, specs, from, to);
    console.log(`${n} samples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await db.sql.exec(
      `CREATE TABLE raw_copy AS SELECT * FROM samples; ALTER TABLE raw_copy ADD PRIMARY KEY (series_id, ts); ANALYZE raw_copy`,
    );
    process.stdout.write('compacting (chunks + rollups) … ');
    const t1 = performance.now();
    const c = await compact(db.sql, store.partitions, to + 3_600_000, 10_000);
    await db.sql.exec('ANALYZE');
    console.log(`${c.hours} hours in ${((performance.now() - t1) / 1000).toFixed(1)} s`);

    const ids = (await db.sql.query<{ id: number }>('SELECT id FROM series ORDER BY id')).map((r) => r.id);
    const one = { metric: 'os.cpu.usage', matchers: [{ label: 'host', op: '=' as const, value: 'q-3' }] };
    const all = { metric: 'os.cpu.usage', matchers: [] };
    const [probe] = await queryRange(db.sql, {
      selector: one,
      from,
      to,
      maxPoints: 1000,
      aggregation: 'avg',
    });
    const width = probe!.bucketMs;
    const handWritten = (seriesIds: number[]) =>
      db.sql.query(
        `SELECT series_id, date_bin($4 * interval '1 millisecond', ts, TIMESTAMPTZ '1970-01-01 00:00:00+00') AS b, avg(value)
         FROM raw_copy WHERE series_id = ANY($1::int4[]) AND ts >= $2 AND ts < $3 GROUP BY 1, 2 ORDER BY 1, 2`,
        [
          seriesIds,
          new Date(Math.floor(from / width) * width),
          new Date(Math.ceil(to / width) * width),
          width,
        ],
      );
    const ours1 = await timed(REPEAT, () =>
      queryRange(db.sql, { selector: one, from, to, maxPoints: 1000, aggregation: 'avg' }),
    );
    const ours20 = await timed(REPEAT, () =>
      queryRange(db.sql, { selector: all, from, to, maxPoints: 1000, aggregation: 'avg' }),
    );
    const oursM4 = await timed(REPEAT, () =>
      queryRange(db.sql, { selector: all, from, to, maxPoints: 1000, aggregation: 'm4' }),
    );
    const sqlRaw1 = await timed(REPEAT, () => handWritten([probe!.series.id]));
    const sqlRaw20 = await timed(REPEAT, () => handWritten(ids));
    const dictionary = await seriesDictionary(db.sql);
    const got20 = await queryRange(db.sql, { selector: all, from, to, maxPoints: 1000, aggregation: 'avg' });
    console.log(
      `bucket ${width / 1000} s from ${probe!.source} data; ${got20.length} series × ≤ ${Math.max(...got20.map((r) => r.ts.length))} points`,
    );
    console.log(
      `1 series → 1000 points:   esmon p50 ${ours1.p50} ms p95 ${ours1.p95} ms | hand-written date_bin over raw p50 ${sqlRaw1.p50} ms p95 ${sqlRaw1.p95} ms`,
    );
    console.log(
      `20 series → 1000 points:  esmon p50 ${ours20.p50} ms p95 ${ours20.p95} ms | hand-written date_bin over raw p50 ${sqlRaw20.p50} ms p95 ${sqlRaw20.p95} ms`,
    );
    console.log(`20 series, m4:            esmon p50 ${oursM4.p50} ms p95 ${oursM4.p95} ms`);
    for (const d of dictionary.timings)
      console.log(
        `  ${d.selector.padEnd(44)} ${String(d.series).padStart(4)} series  p50 ${d.p50} ms p95 ${d.p95} ms`,
      );
    printFigures({
      samples: n,
      series: 20,
      bucket_s: width / 1000,
      source: probe!.source,
      one_series_ms_p50: ours1.p50,
      one_series_ms_p95: ours1.p95,
      twenty_series_ms_p50: ours20.p50,
      twenty_series_ms_p95: ours20.p95,
      twenty_series_m4_ms_p95: oursM4.p95,
      handwritten_raw_one_series_ms_p95: sqlRaw1.p95,
      handwritten_raw_twenty_series_ms_p95: sqlRaw20.p95,
      ratio_one_series_p95_esmon_to_handwritten_raw: round(ours1.p95 / sqlRaw1.p95, 3),
      ratio_twenty_series_p95_esmon_to_handwritten_raw: round(ours20.p95 / sqlRaw20.p95, 3),
      dictionary_series: dictionary.total,
      dictionary_selector_ms_p95_max: Math.max(...dictionary.timings.map((d) => d.p95)),
      goal_one_series_ms_p95_max: 50,
      goal_twenty_series_ms_p95_max: 300,
      goal_ratio_max: 1.5,
    });
  });
}

/** 100 000 more series (2000 hosts × 50) in the dictionary, then selector lookups timed. */
async function seriesDictionary(sql: Parameters<typeof findSeries>[0]) {
  await sql.query(
    `INSERT INTO hosts (hostname, updated_at) SELECT 'dict-' || g, now() FROM generate_series(0, 1999) g`,
  );
  await sql.query(
    `INSERT INTO series (host_id, metric, labels, labels_key)
     SELECT h.id, 'dict.m' || (k % 10), jsonb_build_object('core', (k / 10)::text, 'mount', '/d' || (k % 5)),
            'core="' || (k / 10) || '",mount="/d' || (k % 5) || '"'
     FROM hosts h CROSS JOIN generate_series(0, 49) k WHERE h.hostname LIKE 'dict-%'`,
  );
  await sql.exec('ANALYZE hosts; ANALYZE series');
  const [{ total }] = (await sql.query<{ total: number }>('SELECT count(*)::int AS total FROM series')) as [
    { total: number },
  ];
  console.log(`series dictionary: ${total} series; selector lookups (as the range query makes them):`);
  const selectors = [
    'dict.m3{host="dict-77"}',
    'dict.m3{host=~"dict-1[0-9]"}',
    '{host="dict-5",core="4"}',
    'dict.m7{core="2",mount!="/d1",host="dict-1999"}',
    'dict.m1{mount=~"/d[12]",host=~"dict-19.."}',
  ];
  const timings = [];
  for (const selector of selectors) {
    const parsed = parseSelector(selector);
    const series = (await findSeries(sql, parsed, 501)).length;
    timings.push({ selector, series, ...(await timed(REPEAT, () => findSeries(sql, parsed, 501))) });
  }
  return { total, timings };
}

await main();
