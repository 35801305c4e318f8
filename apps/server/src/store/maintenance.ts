// The store's housekeeping, run on a timer by every server (compaction is guarded by a lock, and
// partition creation and drops are idempotent): partitions ahead of time, compaction of closed
// hours, retention; and the housekeeping other parts add (the audit log's retention). Each run logs
// what it did; a failed run is logged and retried next time.
import type { Sql } from '@esmon/db';
import type { Logger } from '../log.ts';
import { compact, HOUR_MS, type CompactionResult } from './compaction.ts';
import { STORE_TABLES, type Partitions } from './partitions.ts';
import { applyRetention, readPolicies, type Resolution, type RetentionResult } from './retention.ts';

export interface MaintenanceOptions {
  sql: Sql;
  partitions: Partitions;
  log: Logger;
  /** hours that ended this long ago are compacted */
  compactAfterMs: number;
  retentionDefaults: Record<Resolution, number>;
  /** ingest batch ids are remembered this long */
  batchIdWindowMs: number;
  intervalMs: number;
  now?: () => number;
}

export interface MaintenanceRun {
  compaction: CompactionResult;
  retention: RetentionResult;
}

/** Housekeeping another part adds to every run, given the run's clock (ms); failures are logged. */
export type MaintenanceTask = (now: number) => Promise<void>;

export interface Maintenance {
  /** partitions for today and the days ahead (cheap: what start-up waits for) */
  prepare(): Promise<void>;
  /** one full pass, now: partitions, compaction, retention, then the added tasks */
  run(): Promise<MaintenanceRun>;
  /** Adds a task to every run, after the store's own (and even when those fail). */
  also(name: string, task: MaintenanceTask): void;
  start(): void;
  stop(): Promise<void>;
}

const DAY_MS = 86_400_000;

export function createMaintenance(o: MaintenanceOptions): Maintenance {
  const now = o.now ?? Date.now;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<unknown> = Promise.resolve();
  const tasks: { name: string; task: MaintenanceTask }[] = [];

  const runTasks = async (t: number) => {
    for (const { name, task } of tasks) {
      await task(t).catch((err: unknown) => o.log.error({ err, task: name }, 'maintenance task failed; retrying next interval'));
    }
  };

  const ensureAhead = async (t: number) => {
    await o.partitions.ensureRange(STORE_TABLES.raw, t, t + 2 * DAY_MS);
    await o.partitions.ensureRange(STORE_TABLES.chunks, t, t + 2 * DAY_MS);
    await o.partitions.ensureRange(STORE_TABLES.rollup1m, t, t + 2 * DAY_MS);
    await o.partitions.ensureRange(STORE_TABLES.rollup1h, t, t + 32 * DAY_MS);
  };

  const run = async (): Promise<MaintenanceRun> => {
    const t = now();
    try {
      return await storeRun(t);
    } finally {
      await runTasks(t);
    }
  };

  const storeRun = async (t: number): Promise<MaintenanceRun> => {
    await ensureAhead(t);
    const started = performance.now();
    const compaction = await compact(o.sql, o.partitions, t - o.compactAfterMs, 48, (hour) =>
      o.log.debug({ hour: new Date(hour).toISOString() }, 'compacted an hour of samples'),
    );
    if (compaction.hours > 0) {
      o.log.info({ ...compaction, ms: Math.round(performance.now() - started) }, 'compacted closed hours of samples');
    }
    const policies = await readPolicies(o.sql, o.retentionDefaults);
    const retention = await applyRetention(o.sql, o.partitions, policies, t, o.batchIdWindowMs);
    if (retention.dropped.length > 0) o.log.info({ dropped: retention.dropped }, 'retention dropped expired partitions');
    return { compaction, retention };
  };

  const tick = () => {
    current = run()
      .catch((err: unknown) => o.log.error({ err }, 'store maintenance failed; retrying next interval'))
      .finally(() => {
        if (timer) timer = setTimeout(tick, o.intervalMs);
      });
  };

  return {
    prepare: () => ensureAhead(now()),
    run: () => {
      const r = current.then(run);
      current = r.catch(() => undefined);
      return r;
    },
    also(name, task) {
      tasks.push({ name, task });
    },
    start() {
      timer = setTimeout(tick, Math.min(o.intervalMs, 5_000));
    },
    async stop() {
      clearTimeout(timer);
      timer = undefined;
      await current;
    },
  };
}

export { HOUR_MS };
