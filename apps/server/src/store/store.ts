// The store, assembled: partitions, the group-commit sample writer, housekeeping and the range
// query, over one database. main.ts/app.ts wire it to ingest and GraphQL.
import type { Sql } from '@esmon/db';
import type { Config } from '../config.ts';
import type { Logger } from '../log.ts';
import { createMaintenance, type Maintenance } from './maintenance.ts';
import { Partitions } from './partitions.ts';
import type { Resolution } from './retention.ts';
import { createSampleWriter, type GroupStats, type SampleWriter } from './sample-writer.ts';
import { SeriesCache } from './series.ts';

export type StoreConfig = Pick<
  Config,
  | 'ESMON_RETENTION_RAW'
  | 'ESMON_RETENTION_1M'
  | 'ESMON_RETENTION_1H'
  | 'ESMON_INGEST_MAX_AGE'
  | 'ESMON_INGEST_MAX_FUTURE'
  | 'ESMON_INGEST_QUEUE_SAMPLES'
  | 'ESMON_COMPACT_AFTER'
  | 'ESMON_MAINTENANCE_INTERVAL'
>;

export interface Store {
  partitions: Partitions;
  writer: SampleWriter;
  maintenance: Maintenance;
  retentionDefaults: Record<Resolution, number>;
  window: { maxAgeMs: number; maxFutureMs: number };
  /** observes every group commit (for /metrics) */
  onGroup(listener: (g: GroupStats) => void): void;
}

export function createStore(sql: Sql, log: Logger, config: StoreConfig): Store {
  const partitions = new Partitions(sql);
  const listeners: ((g: GroupStats) => void)[] = [];
  const writer = createSampleWriter({
    sql,
    partitions,
    cache: new SeriesCache(),
    maxQueuedSamples: config.ESMON_INGEST_QUEUE_SAMPLES,
    onGroup: (g) => listeners.forEach((l) => l(g)),
  });
  const retentionDefaults = { raw: config.ESMON_RETENTION_RAW, '1m': config.ESMON_RETENTION_1M, '1h': config.ESMON_RETENTION_1H };
  const maintenance = createMaintenance({
    sql,
    partitions,
    log,
    compactAfterMs: config.ESMON_COMPACT_AFTER * 1000,
    retentionDefaults,
    batchIdWindowMs: config.ESMON_INGEST_MAX_AGE * 1000,
    intervalMs: config.ESMON_MAINTENANCE_INTERVAL * 1000,
  });
  return {
    partitions,
    writer,
    maintenance,
    retentionDefaults,
    window: { maxAgeMs: config.ESMON_INGEST_MAX_AGE * 1000, maxFutureMs: config.ESMON_INGEST_MAX_FUTURE * 1000 },
    onGroup: (l) => void listeners.push(l),
  };
}
