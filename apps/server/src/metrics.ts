// The server's own figures in Prometheus text format at /metrics: process, HTTP, ingest and the
// database pool.
import client from 'prom-client';
import type { PoolStats } from '@esmon/db';

export function createMetrics(poolStats: () => PoolStats, ingestQueue: () => { batches: number; samples: number }) {
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
  return { registry, httpRequests, httpDuration, ingestSamples, ingestBatches, ingestDuration, ingestGroupSamples };
}

export type Metrics = ReturnType<typeof createMetrics>;
export type IngestMetrics = Pick<Metrics, 'ingestSamples' | 'ingestBatches' | 'ingestDuration'>;
