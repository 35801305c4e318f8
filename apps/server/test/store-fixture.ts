// A migrated test database (PostgreSQL when TEST_DATABASE_URL is set, else PGlite) with the store
// assembled on it, and helpers that write samples through the real writer.
import { openTestDatabase, type TestDatabase } from '@esmon/db/testing';
import type { HostInput } from '@esmon/schema';
import { createLogger } from '../src/log.ts';
import type { WriteJob } from '../src/store/sample-writer.ts';
import { loadConfig } from '../src/config.ts';
import { createStore, type Store, type StoreConfig } from '../src/store/store.ts';
import { prng } from '@esmon/schema/testing';

export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface StoreFixture {
  db: TestDatabase;
  store: Store;
  /** writes one batch for one host; returns the accepted count */
  write(hostname: string, samples: HostInput['samples'], batchId?: string): Promise<number>;
  close(): Promise<void>;
}

let seq = 0;

export async function openStore(config: Partial<StoreConfig> = {}): Promise<StoreFixture> {
  const db = await openTestDatabase();
  const store = createStore(db.sql, createLogger('silent'), { ...loadConfig({}), ...config });
  return {
    db,
    store,
    async write(hostname, samples, batchId = `b-${process.pid}-${++seq}`) {
      const job: WriteJob = { source: 'test', batchId, hosts: [{ hostname, samples }], keyId: null, at: new Date() };
      return (await store.writer.write(job)).accepted;
    },
    close: async () => {
      await store.maintenance.stop();
      await store.writer.drain();
      await db.close();
    },
  };
}

/** 10-second gauge samples over [from, to), values with awkward binary fractions. */
export function gauge(metric: string, from: number, to: number, seed: number, labels?: Record<string, string>) {
  const rnd = prng(seed);
  const out: HostInput['samples'] = [];
  for (let ts = from; ts < to; ts += 10_000) {
    out.push({ metric, ts: ts + Math.floor(rnd() * 3), value: 40 + 20 * Math.sin(ts / 600_000) + rnd() / 3, ...(labels ? { labels } : {}) });
  }
  return out;
}
