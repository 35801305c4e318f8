// The ingest hot path's writer: validated batches queue here and are written in groups — one
// transaction, one COPY for every batch that arrived while the previous group was committing
// (group commit). A batch is acknowledged only after its group commits. The queue is bounded in
// samples; when full, write() refuses at once with IngestBusyError instead of growing memory.
import type { Sql, SqlRunner } from '@esmon/db';
import { canonicalLabels, type HostInput } from '@esmon/schema';
import { encodeSampleRows } from './copy-binary.ts';
import { recordAgents, refreshHosts, type AgentReport, type UpsertedHost } from './hosts.ts';
import { STORE_TABLES, type Partitions } from './partitions.ts';
import { resolveSeries, SeriesCache, seriesCacheKey, type SeriesKey } from './series.ts';

export interface WriteJob {
  /** who sent it; batch ids are unique per source */
  source: string;
  batchId: string;
  hosts: readonly HostInput[];
  agent?: AgentReport | undefined;
  keyId: number | null;
  at: Date;
}

export interface WrittenBatch {
  duplicate: boolean;
  accepted: number;
  /** aligned with job.hosts */
  hosts: UpsertedHost[];
  /** one per sample, in batch order */
  seriesIds: number[];
}

export class IngestBusyError extends Error {
  override name = 'IngestBusyError';
  constructor(readonly retryAfterSeconds: number) {
    super(`the server is busy writing samples; retry in ${retryAfterSeconds} s`);
  }
}

export interface GroupStats {
  batches: number;
  samples: number;
  seconds: number;
}

export interface SampleWriterOptions {
  sql: Sql;
  partitions: Partitions;
  cache?: SeriesCache;
  /** samples waiting or being written before write() refuses (back-pressure) */
  maxQueuedSamples?: number;
  /** samples per group commit */
  maxGroupSamples?: number;
  /** groups committing at once (PGlite: 1) */
  concurrency?: number;
  /** hosts, agents and series are rewritten at most this often when nothing changed */
  refreshMs?: number;
  onGroup?: (stats: GroupStats) => void;
}

export interface SampleWriter {
  write(job: WriteJob): Promise<WrittenBatch>;
  /** batches and samples queued or being written */
  depth(): { batches: number; samples: number };
  /** waits for everything queued to be written */
  drain(): Promise<void>;
}

interface Pending {
  job: WriteJob;
  samples: number;
  resolve: (r: WrittenBatch) => void;
  reject: (e: unknown) => void;
}

const DAY_MS = 86_400_000;

export function createSampleWriter(opts: SampleWriterOptions): SampleWriter {
  const { sql, partitions, cache = new SeriesCache(), onGroup } = opts;
  const maxQueued = opts.maxQueuedSamples ?? 1_000_000;
  const maxGroup = opts.maxGroupSamples ?? 50_000;
  const concurrency = sql.kind === 'pglite' ? 1 : (opts.concurrency ?? 2);
  const refreshMs = opts.refreshMs ?? 5_000;
  const fingerprints = new Map<string, string>();
  const touched = new Map<number, number>();
  const queue: Pending[] = [];
  let queuedSamples = 0;
  let queuedBatches = 0;
  let running = 0;
  let rate = 50_000; // samples/s, smoothed, for Retry-After
  const idle: (() => void)[] = [];

  const pump = () => {
    while (running < concurrency && queue.length > 0) {
      const group: Pending[] = [];
      let n = 0;
      while (queue.length > 0 && (group.length === 0 || n + queue[0]!.samples <= maxGroup)) {
        const p = queue.shift()!;
        group.push(p);
        n += p.samples;
      }
      running++;
      void runGroup(group).finally(() => {
        running--;
        for (const p of group) {
          queuedSamples -= p.samples;
          queuedBatches--;
        }
        if (queue.length > 0) pump();
        else if (running === 0) for (const f of idle.splice(0)) f();
      });
    }
  };

  const runGroup = async (group: Pending[]) => {
    const started = performance.now();
    const samples = group.reduce((s, p) => s + p.samples, 0);
    try {
      const results = await commitGroup(group.map((p) => p.job));
      group.forEach((p, i) => p.resolve(results[i]!));
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(err);
      } else {
        // one bad batch must not sink the others: write them one by one
        for (const p of group) await commitGroup([p.job]).then((r) => p.resolve(r[0]!), p.reject);
      }
    }
    const seconds = (performance.now() - started) / 1000;
    if (seconds > 0) rate = 0.8 * rate + 0.2 * (samples / seconds);
    onGroup?.({ batches: group.length, samples, seconds });
  };

  const commitGroup = async (jobs: WriteJob[]): Promise<WrittenBatch[]> => {
    const days = new Set<number>();
    for (const j of jobs) for (const h of j.hosts) for (const s of h.samples) days.add(Math.floor(s.ts / DAY_MS) * DAY_MS);
    await partitions.ensure(STORE_TABLES.raw, days);
    const at = jobs[jobs.length - 1]!.at;
    const { results, created } = await sql.transaction(async (tx) => {
      const fresh = await claimBatchIds(tx, jobs);
      const freshJobs = jobs.filter((_, i) => fresh[i]);
      const { hosts: refreshed, staleAgents, agentConfigs } = await refreshHosts(tx, freshJobs.flatMap((j) => j.hosts), at, refreshMs, fingerprints);
      const hostByName = new Map(refreshed.map((h) => [h.hostname, h]));
      for (const j of freshJobs) {
        // written when the heartbeat is old, or at once when the agent runs another configuration
        const reported = j.agent?.configVersion;
        const due = (hostname: string) => staleAgents.has(hostname) || (reported !== undefined && agentConfigs.get(hostname) !== reported);
        const ids = j.agent ? j.hosts.filter((h) => due(h.hostname)).map((h) => hostByName.get(h.hostname)!.id) : [];
        if (ids.length > 0) await recordAgents(tx, ids, j.agent!, j.keyId, at);
      }
      // series ids: from the cache, else created (or found) in one statement
      const keys: string[][] = [];
      const missing = new Map<string, SeriesKey>();
      for (const j of freshJobs) {
        const jobKeys: string[] = [];
        for (const h of j.hosts) {
          const hostId = hostByName.get(h.hostname)!.id;
          for (const s of h.samples) {
            const labels = s.labels ?? {};
            const labelsKey = s.labels ? canonicalLabels(labels) : '';
            const key = seriesCacheKey({ hostId, metric: s.metric, labelsKey });
            jobKeys.push(key);
            if (cache.get(key) === undefined && !missing.has(key)) missing.set(key, { hostId, metric: s.metric, labels, labelsKey });
          }
        }
        keys.push(jobKeys);
      }
      const created = await resolveSeries(tx, [...missing.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, k]) => k));
      const idOf = (k: string) => cache.get(k) ?? created.get(k)!;
      const seriesIds = keys.map((ks) => ks.map(idOf));
      const accepted = await insertRows(tx, freshJobs, seriesIds);
      await touchSeries(tx, seriesIds.flat(), at);
      let f = 0;
      const results = jobs.map((j, i): WrittenBatch => {
        if (!fresh[i]) return { duplicate: true, accepted: 0, hosts: [], seriesIds: [] };
        const r = { duplicate: false, accepted: accepted[f]!, hosts: j.hosts.map((h) => hostByName.get(h.hostname)!), seriesIds: seriesIds[f]! };
        f++;
        return r;
      });
      return { results, created };
    });
    cache.addAll(created);
    // a host's status change is reported once, to the first batch that carried it
    const reported = new Set<string>();
    for (const r of results) {
      r.hosts = r.hosts.map((h) => {
        if (reported.has(h.hostname)) return { ...h, previous: 'online' };
        reported.add(h.hostname);
        return h;
      });
    }
    return results;
  };

  /** Records the batch ids; false for a batch already stored (now or earlier in this group). */
  const claimBatchIds = async (tx: SqlRunner, jobs: WriteJob[]): Promise<boolean[]> => {
    const rows = await tx.query<{ source: string; batch_id: string }>(
      `INSERT INTO ingest_batches (source, batch_id, sample_count)
       SELECT * FROM unnest($1::text[], $2::text[], $3::int[]) ON CONFLICT DO NOTHING RETURNING source, batch_id`,
      [jobs.map((j) => j.source), jobs.map((j) => j.batchId), jobs.map((j) => j.hosts.reduce((n, h) => n + h.samples.length, 0))],
    );
    const claimed = new Set(rows.map((r) => `${r.source}\u0000${r.batch_id}`));
    return jobs.map((j) => claimed.delete(`${j.source}\u0000${j.batchId}`));
  };

  /** COPY when no sample is already stored; otherwise batch by batch, skipping stored instants. */
  const insertRows = async (tx: SqlRunner, jobs: WriteJob[], seriesIds: number[][]): Promise<number[]> => {
    const counts = seriesIds.map((ids) => ids.length);
    const total = counts.reduce((a, b) => a + b, 0);
    if (total === 0) return counts;
    const ts = new Float64Array(total);
    const values = new Float64Array(total);
    let o = 0;
    for (const j of jobs) {
      for (const h of j.hosts) {
        for (const s of h.samples) {
          ts[o] = s.ts;
          values[o++] = s.value;
        }
      }
    }
    const rows = { seriesIds: seriesIds.flat(), ts, values, length: total };
    await tx.exec('SAVEPOINT copy_samples');
    try {
      await tx.copyFrom('samples (series_id, ts, value)', '(FORMAT binary)', encodeSampleRows(rows));
      await tx.exec('RELEASE SAVEPOINT copy_samples');
      return counts;
    } catch (err) {
      if ((err as { code?: string }).code !== '23505') throw err;
      await tx.exec('ROLLBACK TO SAVEPOINT copy_samples');
    }
    const accepted: number[] = [];
    let start = 0;
    for (const n of counts) {
      const r = await tx.query<{ n: number }>(
        `WITH ins AS (
           INSERT INTO samples (series_id, ts, value)
           SELECT s, to_timestamp(t / 1000.0), v FROM unnest($1::int4[], $2::float8[], $3::float8[]) AS u(s, t, v)
           ON CONFLICT (series_id, ts) DO NOTHING RETURNING 1)
         SELECT count(*)::int AS n FROM ins`,
        [rows.seriesIds.slice(start, start + n), Array.from(ts.subarray(start, start + n)), Array.from(values.subarray(start, start + n))],
      );
      accepted.push(r[0]?.n ?? 0);
      start += n;
    }
    return accepted;
  };

  /** Moves series' last_seen_at forward, each series at most once per refresh interval × 60. */
  const touchSeries = async (tx: SqlRunner, ids: number[], at: Date) => {
    const now = at.getTime();
    const due = [...new Set(ids)].filter((id) => now - (touched.get(id) ?? 0) > refreshMs * 60);
    if (due.length === 0) return;
    await tx.query('UPDATE series SET last_seen_at = GREATEST(last_seen_at, $2) WHERE id = ANY($1::int[])', [due, at]);
    for (const id of due) touched.set(id, now);
  };

  return {
    write(job) {
      const samples = job.hosts.reduce((n, h) => n + h.samples.length, 0);
      if (queuedSamples > 0 && queuedSamples + samples > maxQueued) {
        return Promise.reject(new IngestBusyError(Math.min(30, Math.max(1, Math.ceil(queuedSamples / rate)))));
      }
      queuedSamples += samples;
      queuedBatches++;
      return new Promise<WrittenBatch>((resolve, reject) => {
        queue.push({ job, samples, resolve, reject });
        pump();
      });
    },
    depth: () => ({ batches: queuedBatches, samples: queuedSamples }),
    drain: () => (running === 0 && queue.length === 0 ? Promise.resolve() : new Promise<void>((r) => idle.push(r))),
  };
}
