// The server's own figures in Prometheus text format at /metrics: process, HTTP, ingest and the
// database pool.
import client from 'prom-client';
import type { PoolStats } from '@esmon/db';
import type { EvaluatorStats } from './evaluator/evaluator.ts';

const EVALUATION_FIGURES: [keyof EvaluatorStats, string, string, 'counter' | 'gauge'][] = [
  ['evaluations', 'esmon_eval_evaluations_total', 'Rule instance evaluations (sample-driven and timer)', 'counter'],
  ['skipped', 'esmon_eval_skipped_total', 'Evaluations skipped: points older than the instance\'s last evaluation arrived', 'counter'],
  ['lagSeconds', 'esmon_eval_lag_seconds', 'From the commit of the last batch to the end of its evaluation', 'gauge'],
  ['points', 'esmon_eval_points', 'Points held in memory for rule windows', 'gauge'],
  ['writesQueued', 'esmon_eval_alert_writes_queued', 'Evaluations with transitions waiting to be stored', 'gauge'],
];

function registerEvaluationMetrics(registry: client.Registry, stats: () => EvaluatorStats): void {
  for (const [key, name, help, type] of EVALUATION_FIGURES) {
    const collect = function (this: client.Gauge | client.Counter) {
      const v = stats()[key];
      if (this instanceof client.Counter) {
        this.reset();
        this.inc(v);
      } else this.set(v);
    };
    if (type === 'counter') new client.Counter({ name, help, registers: [registry], collect });
    else new client.Gauge({ name, help, registers: [registry], collect });
  }
}

export function createMetrics(
  poolStats: () => PoolStats,
  ingestQueue: () => { batches: number; samples: number },
  evaluation?: () => EvaluatorStats,
) {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'esmon_' });
  const httpRequests = new client.Counter({
    name: 'esmon_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['route', 'status'] as const,
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: 'esmon_http_request_duration_seconds',
    help: 'HTTP request duration by route',
    labelNames: ['route'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const ingestSamples = new client.Counter({
    name: 'esmon_ingest_samples_total',
    help: 'Samples stored by ingest',
    registers: [registry],
  });
  const ingestBatches = new client.Counter({
    name: 'esmon_ingest_batches_total',
    help: 'Ingest batches by result (stored, duplicate, rejected, busy = refused with 429, failed)',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  const ingestDuration = new client.Histogram({
    name: 'esmon_ingest_batch_duration_seconds',
    help: 'Acknowledgement latency: from a validated batch to the commit of its group',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const ingestGroupSamples = new client.Histogram({
    name: 'esmon_ingest_group_samples',
    help: 'Samples per group commit (batches that arrived together are written in one transaction)',
    buckets: [10, 100, 1000, 5000, 10_000, 25_000, 50_000, 100_000],
    registers: [registry],
  });
  for (const unit of ['batches', 'samples'] as const) {
    new client.Gauge({
      name: `esmon_ingest_queue_${unit}`,
      help: `Ingest ${unit} accepted for writing and not yet committed`,
      registers: [registry],
      collect() {
        this.set(ingestQueue()[unit]);
      },
    });
  }
  for (const state of ['total', 'idle', 'waiting'] as const) {
    new client.Gauge({
      name: `esmon_db_pool_${state}`,
      help: `Database pool connections: ${state}`,
      registers: [registry],
      collect() {
        this.set(poolStats()[state]);
      },
    });
  }
  if (evaluation) registerEvaluationMetrics(registry, evaluation);
  const auditWriteFailures = new client.Counter({
    name: 'esmon_audit_write_failures_total',
    help: 'Audit log writes that failed, by stage (open: the mutation was refused; close: its outcome is missing; snapshot; prune)',
    labelNames: ['stage'] as const,
    registers: [registry],
  });
  const rateLimited = new client.Counter({
    name: 'esmon_rate_limited_total',
    help: 'Requests refused with 429 RATE_LIMITED, by route (ingest, graphql, graphql-ws, login)',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  return { registry, httpRequests, httpDuration, ingestSamples, ingestBatches, ingestDuration, ingestGroupSamples, auditWriteFailures, rateLimited };
}

export type Metrics = ReturnType<typeof createMetrics>;
export type IngestMetrics = Pick<Metrics, 'ingestSamples' | 'ingestBatches' | 'ingestDuration'>;
