// npm run bench:storage — 24 hours of 1000 series at 10 s (8.64 M samples) written through the
// store, then compacted; bytes per sample on disk (heap, indexes and TOAST) raw and compacted.
// The series are a mix of typical agent gauges: full-precision percentages, two-decimal
// percentages, growing byte counters, and constants (e.g. disk sizes).
import { compact } from '../../apps/server/src/store/compaction.ts';
import { storageReport } from '../../apps/server/src/store/retention.ts';
import { printFigures, round } from './bench-db.ts';
import { loadSeries, withScratchStore, type SeriesSpec } from './load.ts';

const SERIES = Number(process.env.BENCH_SERIES ?? 1000);
const HOURS = Number(process.env.BENCH_HOURS ?? 24);

function kind(k: number): { name: string; value: (i: number) => number } {
  switch (k % 4) {
    case 0:
      return {
        name: 'cpu %, full precision',
        value: (i) => Math.abs(35 + 25 * Math.sin((i + k) / 50) + Math.sin(i * 12.9898 + k) * 4.3758),
      };
    case 1:
      return {
        name: 'memory %, 2 decimals',
        value: (i) => Math.round((60 + 10 * Math.sin((i + k) / 300)) * 100) / 100,
      };
    case 2:
      return { name: 'byte counter', value: (i) => 1e9 + i * 125_000 + ((i * 7919 + k) % 4096) };
    default:
      return { name: 'constant', value: () => 512_110_190_592 };
  }
}

async function main() {
  await withScratchStore(async (db, store, to) => {
    const from = to - HOURS * 3_600_000;
    const specs: SeriesSpec[] = Array.from({ length: SERIES }, (_, k) => ({
      hostname: `s-${Math.floor(k / 50)}`,
      metric: `bench.m${k % 50}`,
      value: kind(k).value,
    }));
    process.stdout.write(`writing ${HOURS} h of 10 s data for ${SERIES} series … `);
    const t0 = performance.now();
    const n = await loadSeries(store, specs, from, to);
    console.log(`${n} samples in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await db.sql.exec('VACUUM ANALYZE');
    const raw = (await storageReport(db.sql)).find((r) => r.table === 'samples')!;
    process.stdout.write('compacting … ');
    const t1 = performance.now();
    const c = await compact(db.sql, store.partitions, to + 3_600_000, 10_000);
    const compactSeconds = (performance.now() - t1) / 1000;
    await db.sql.exec('VACUUM ANALYZE');
    console.log(`${c.hours} hours, ${c.samples} samples in ${compactSeconds.toFixed(1)} s`);
    const report = await storageReport(db.sql);
    const get = (t: string) => report.find((r) => r.table === t)!;
    for (const r of report) {
      console.log(
        `  ${r.table.padEnd(15)} ${String(r.partitions).padStart(3)} partitions ${(r.bytes / 1048576).toFixed(1).padStart(8)} MiB ${String(r.rows).padStart(9)} rows${r.bytesPerSample ? ` ${r.bytesPerSample.toFixed(2)} bytes/sample` : ''}`,
      );
    }
    console.log(`series mix: ${[0, 1, 2, 3].map((k) => kind(k).name).join(', ')} (a quarter each)`);
    const chunks = get('sample_chunks');
    printFigures({
      samples: n,
      series: SERIES,
      hours: HOURS,
      raw_bytes_per_sample: round(raw.bytesPerSample!),
      compacted_bytes_per_sample: round(chunks.bytesPerSample!),
      compaction_ratio: round(raw.bytesPerSample! / chunks.bytesPerSample!, 1),
      rollup_1m_bytes_per_sample: round(get('samples_1m').bytes / n),
      rollup_1h_bytes_per_sample: round(get('samples_1h').bytes / n, 3),
      compacted_with_rollups_bytes_per_sample: round(
        (chunks.bytes + get('samples_1m').bytes + get('samples_1h').bytes) / n,
      ),
      compaction_samples_per_s: Math.round(c.samples / compactSeconds),
      goal_compacted_bytes_per_sample_max: 16,
    });
  });
}

await main();
