// One validated batch → the sample writer (group commit), acknowledged only after its group has
// committed; events published after commit. A batch id already stored for the same sender is
// acknowledged as a duplicate and writes nothing. Samples outside the accepted time window are
// refused with the offending sample named, and nothing of that batch is stored.
import type { FieldIssue, IngestAck, IngestBatch } from '@esmon/schema';
import { canIngest, sourceOf, type Principal } from '../auth/principal.ts';
import type { EventBus, LiveSample } from '../events/bus.ts';
import type { IngestMetrics } from '../metrics.ts';
import type { SampleWriter, WrittenBatch } from '../store/sample-writer.ts';

/** A refusal the caller turns into 403 / FORBIDDEN. */
export class IngestForbiddenError extends Error {
  override name = 'IngestForbiddenError';
}

/** A batch refused for its content: 400 / BAD_USER_INPUT with the issues. */
export class IngestRejectedError extends Error {
  override name = 'IngestRejectedError';
  constructor(readonly issues: FieldIssue[]) {
    super(`${issues[0]!.path}: ${issues[0]!.message}`);
  }
}

export type Ingest = (batch: IngestBatch, principal: Principal) => Promise<IngestAck>;

/** How far back and ahead of the server's clock a sample may be. */
export interface AcceptedWindow {
  maxAgeMs: number;
  maxFutureMs: number;
}

export interface CreateIngestOptions {
  writer: SampleWriter;
  bus: EventBus;
  metrics: IngestMetrics;
  window: AcceptedWindow;
  now?: () => Date;
}

function authorize(batch: IngestBatch, principal: Principal): void {
  if (!canIngest(principal)) throw new IngestForbiddenError('this principal may not ingest samples');
  if (principal.kind !== 'agent') return;
  const foreign = batch.hosts.find((h) => h.hostname !== principal.hostname);
  if (foreign) {
    throw new IngestForbiddenError(
      `this agent key is bound to host ${principal.hostname} and cannot send samples for ${foreign.hostname}`,
    );
  }
}

const describeSpan = (ms: number) =>
  ms % 86_400_000 === 0 ? `${ms / 86_400_000} d` : ms % 3_600_000 === 0 ? `${ms / 3_600_000} h` : `${Math.round(ms / 60_000)} min`;

/** The samples outside [now - maxAge, now + maxFuture], at most 20, named like validation issues. */
export function outsideWindow(batch: IngestBatch, now: number, window: AcceptedWindow): FieldIssue[] {
  const lo = now - window.maxAgeMs;
  const hi = now + window.maxFutureMs;
  const issues: FieldIssue[] = [];
  batch.hosts.forEach((h, i) =>
    h.samples.forEach((s, j) => {
      if ((s.ts >= lo && s.ts <= hi) || issues.length >= 20) return;
      const side = s.ts < lo ? `older than ${describeSpan(window.maxAgeMs)}` : `more than ${describeSpan(window.maxFutureMs)} in the future`;
      issues.push({
        path: `hosts[${i}].samples[${j}].ts`,
        message: `${new Date(s.ts).toISOString()} is ${side} (server time ${new Date(now).toISOString()}); such samples are not accepted`,
      });
    }),
  );
  return issues;
}

export function createIngest({ writer, bus, metrics, window, now = () => new Date() }: CreateIngestOptions): Ingest {
  return async (batch, principal) => {
    authorize(batch, principal);
    const at = now();
    const issues = outsideWindow(batch, at.getTime(), window);
    if (issues.length > 0) throw new IngestRejectedError(issues);
    const started = performance.now();
    const written = await writer.write({
      source: sourceOf(principal),
      batchId: batch.batchId,
      hosts: batch.hosts,
      agent: batch.agent,
      keyId: principal.kind === 'agent' ? principal.keyId : null,
      at,
    });
    metrics.ingestDuration.observe((performance.now() - started) / 1000);
    if (written.duplicate) {
      metrics.ingestBatches.inc({ result: 'duplicate' });
      return { batchId: batch.batchId, accepted: 0, duplicate: true };
    }
    metrics.ingestBatches.inc({ result: 'stored' });
    metrics.ingestSamples.inc(written.accepted);
    publishAfterCommit(bus, batch, written, at);
    return { batchId: batch.batchId, accepted: written.accepted, duplicate: false };
  };
}

function publishAfterCommit(
  bus: EventBus,
  batch: IngestBatch,
  result: WrittenBatch,
  at: Date,
): void {
  let offset = 0;
  batch.hosts.forEach((h, i) => {
    const host = result.hosts[i]!;
    if (host.previous !== 'online') {
      bus.publish('hostStatusChanged', {
        hostId: host.id,
        hostname: host.hostname,
        status: 'online',
        previous: host.previous ?? 'unknown',
        at,
      });
    }
    const samples: LiveSample[] = h.samples.map((s, j) => ({
      seriesId: result.seriesIds[offset + j]!,
      metric: s.metric,
      labels: s.labels ?? {},
      ts: new Date(s.ts),
      value: s.value,
    }));
    offset += h.samples.length;
    if (samples.length === 0) return;
    const event = { hostId: host.id, hostname: host.hostname, samples };
    bus.publish('samplesAdded', host.id, event);
    bus.publish('samplesCommitted', event);
  });
}
