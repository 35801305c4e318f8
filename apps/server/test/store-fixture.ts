// A migrated test database (PostgreSQL when TEST_DATABASE_URL is set, else PGlite) with the store
// assembled on it, and helpers that write samples through the real writer.
import { openTestDatabase, type TestDatabase } from '@esmon/db/testing';
import type { HostInput } from '@esmon/schema';
import { createLogger } from '../src/log.ts';
import type { WriteJob } from '../src/store/sample-writer.ts';
import { createStore, defaultStoreConfig, type Store, type StoreConfig } from '../src/store/store.ts';

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
  const store = createStore(db.sql, createLogger('silent'), { ...defaultStoreConfig, ...config });
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

/** A deterministic pseudo-random generator (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
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
