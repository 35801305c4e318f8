// Loading synthetic series straight through the store's writer (the same COPY path as ingest,
// without HTTP), for the query and storage benchmarks.
import { migrate, openDatabase, type Database } from '@esmon/db';
import type { HostInput } from '@esmon/schema';
import { createLogger } from '../../apps/server/src/log.ts';
import { loadConfig } from '../../apps/server/src/config.ts';
import { createStore, type Store } from '../../apps/server/src/store/store.ts';
import { freshPostgres } from './bench-db.ts';

/**
 * Runs `fn` with a store on a scratch PostgreSQL database, dropped afterwards; `lastHour` is the
 * start of an hour three hours back, so every hour before it can be compacted.
 */
export async function withScratchStore<T>(
  fn: (db: Database, store: Store, lastHour: number) => Promise<T>,
): Promise<T> {
  const database = await freshPostgres();
  const db = await openDatabase({ url: database.url, poolSize: 4 });
  try {
    await migrate(db.sql);
    const store = createStore(db.sql, createLogger('warn'), loadConfig({}));
    return await fn(db, store, Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000);
  } finally {
    await db.close();
    await database.drop();
  }
}

export interface SeriesSpec {
  hostname: string;
  metric: string;
  labels?: Record<string, string>;
  /** value at step i */
  value: (i: number) => number;
}

/** Writes every series at a 10-second step over [from, to), host by host, in batches of ~20k. */
export async function loadSeries(
  store: Store,
  specs: SeriesSpec[],
  from: number,
  to: number,
  onProgress?: (done: number) => void,
) {
  const steps = Math.floor((to - from) / 10_000);
  const byHost = new Map<string, SeriesSpec[]>();
  for (const s of specs) byHost.set(s.hostname, [...(byHost.get(s.hostname) ?? []), s]);
  let written = 0;
  let batch = 0;
  const stepsPerBatch = Math.max(
    1,
    Math.floor(20_000 / Math.max(...[...byHost.values()].map((l) => l.length))),
  );
  for (let i0 = 0; i0 < steps; i0 += stepsPerBatch) {
    const jobs: Promise<unknown>[] = [];
    for (const [hostname, list] of byHost) {
      const samples: HostInput['samples'] = [];
      for (let i = i0; i < Math.min(steps, i0 + stepsPerBatch); i++) {
        for (const s of list)
          samples.push({
            metric: s.metric,
            ...(s.labels ? { labels: s.labels } : {}),
            ts: from + i * 10_000,
            value: s.value(i),
          });
      }
      written += samples.length;
      jobs.push(
        store.writer.write({
          source: 'bench',
          batchId: `load-${++batch}`,
          hosts: [{ hostname, samples }],
          keyId: null,
          at: new Date(),
        }),
      );
      if (jobs.length >= 8) await Promise.all(jobs.splice(0));
    }
    await Promise.all(jobs);
    onProgress?.(written);
  }
  return written;
}
