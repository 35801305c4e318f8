// Retention: how long each resolution is kept (environment defaults, overridden by admins through
// GraphQL and stored in retention_policies), enforced by dropping whole partitions; and the
// `storage` figures (per-table size, rows, bytes per sample).
import type { Sql, SqlRunner } from '@esmon/db';
import { STORE_TABLES, type Partition, type Partitions } from './partitions.ts';

export const RESOLUTIONS = ['raw', '1m', '1h'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

export type RetentionPolicies = Record<Resolution, { keepSeconds: number; source: 'default' | 'admin' }>;

export async function readPolicies(db: SqlRunner, defaults: Record<Resolution, number>): Promise<RetentionPolicies> {
  const rows = await db.query<{ resolution: string; keep_seconds: number }>('SELECT resolution, keep_seconds FROM retention_policies');
  const set = new Map(rows.map((r) => [r.resolution, r.keep_seconds]));
  const entry = (r: Resolution) =>
    set.has(r) ? { keepSeconds: set.get(r)!, source: 'admin' as const } : { keepSeconds: defaults[r], source: 'default' as const };
  return { raw: entry('raw'), '1m': entry('1m'), '1h': entry('1h') };
}

export interface RetentionResult {
  dropped: { table: string; partition: string }[];
  batchIdsForgotten: number;
}

/**
 * Drops every partition that ends before its resolution's horizon, and forgets ingest batch ids
 * older than `batchIdWindowMs` (a batch that old would be refused for its timestamps anyway).
 */
export async function applyRetention(
  sql: Sql,
  partitions: Partitions,
  policies: RetentionPolicies,
  nowMs: number,
  batchIdWindowMs: number,
): Promise<RetentionResult> {
  const horizon = (r: Resolution) => nowMs - policies[r].keepSeconds * 1000;
  const plan = [
    [STORE_TABLES.raw, horizon('raw')],
    [STORE_TABLES.chunks, horizon('raw')],
    [STORE_TABLES.rollup1m, horizon('1m')],
    [STORE_TABLES.rollup1h, horizon('1h')],
  ] as const;
  const dropped: RetentionResult['dropped'] = [];
  for (const [table, cutoff] of plan) {
    const gone: Partition[] = await partitions.dropBefore(table, cutoff);
    dropped.push(...gone.map((p) => ({ table: table.name, partition: p.name })));
  }
  const forgotten = await sql.query<{ n: number }>(
    `WITH d AS (DELETE FROM ingest_batches WHERE received_at < $1 RETURNING 1) SELECT count(*)::int AS n FROM d`,
    [new Date(nowMs - batchIdWindowMs)],
  );
  return { dropped, batchIdsForgotten: forgotten[0]?.n ?? 0 };
}

export interface TableStorage {
  table: string;
  partitions: number;
  bytes: number;
  rows: number;
  /** samples the table holds (raw rows, or the samples encoded in chunks); null for rollups */
  samples: number | null;
  bytesPerSample: number | null;
}

/** Sizes of the store's tables, indexes and TOAST included, summed over partitions. */
export async function storageReport(sql: Sql): Promise<TableStorage[]> {
  const tables = [...Object.values(STORE_TABLES).map((t) => t.name), 'series', 'ingest_batches'];
  const sizes = await sql.query<{ table: string; partitions: number; bytes: number }>(
    `SELECT p.relname AS table, count(i.inhrelid)::int AS partitions,
            (pg_total_relation_size(p.oid) + COALESCE(sum(pg_total_relation_size(i.inhrelid)), 0))::float8 AS bytes
     FROM pg_class p JOIN pg_namespace n ON n.oid = p.relnamespace AND n.nspname = current_schema()
     LEFT JOIN pg_inherits i ON i.inhparent = p.oid
     WHERE p.relname = ANY($1::text[]) GROUP BY p.relname, p.oid`,
    [tables],
  );
  const [counts] = await sql.query<Record<string, number>>(
    `SELECT (SELECT count(*) FROM samples)::float8 AS samples,
            (SELECT count(*) FROM sample_chunks)::float8 AS sample_chunks,
            (SELECT COALESCE(sum(count), 0) FROM sample_chunks)::float8 AS chunk_samples,
            (SELECT count(*) FROM samples_1m)::float8 AS samples_1m,
            (SELECT count(*) FROM samples_1h)::float8 AS samples_1h,
            (SELECT count(*) FROM series)::float8 AS series,
            (SELECT count(*) FROM ingest_batches)::float8 AS ingest_batches`,
  );
  const sampleCount: Record<string, number> = { samples: counts!.samples!, sample_chunks: counts!.chunk_samples! };
  return tables.map((table) => {
    const s = sizes.find((r) => r.table === table);
    const bytes = Number(s?.bytes ?? 0);
    const samples = sampleCount[table] ?? null;
    return {
      table,
      partitions: s?.partitions ?? 0,
      bytes,
      rows: Number(counts![table] ?? 0),
      samples,
      bytesPerSample: samples ? bytes / samples : null,
    };
  });
}
