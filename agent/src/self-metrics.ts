// The agent's own health, shipped as samples of its host like any other metric: how much is
// waiting on disk, what was lost (and why), and how sending goes.
import type { HostInput, SampleInput } from '@esmon/schema';
import type { BufferStats } from './buffer/disk-buffer.ts';
import { sample } from './sample.ts';

export interface SendStats {
  /** Attempts that will be retried: server away, overloaded or failing. */
  errors: number;
}

export function selfMetrics(buffer: BufferStats, send: SendStats, ts: number): SampleInput[] {
  return [
    ...sample('esmon.agent.buffer.bytes', buffer.bytes, ts),
    ...sample('esmon.agent.buffer.batches', buffer.batches, ts),
    ...sample('esmon.agent.buffer.dropped_samples_total', buffer.droppedSamples, ts, { reason: 'full' }),
    ...sample('esmon.agent.buffer.dropped_samples_total', buffer.repairedSamples, ts, { reason: 'corrupt' }),
    ...sample('esmon.agent.buffer.repaired_total', buffer.repairedBatches, ts),
    ...sample('esmon.agent.send.errors_total', send.errors, ts),
    ...sample('esmon.agent.send.rejected_total', buffer.rejectedBatches, ts),
  ];
}

/** Adds `samples` to host `hostname` of the batch (a new entry when the batch does not have it). */
export function withHostSamples(hosts: HostInput[], hostname: string, samples: SampleInput[]): HostInput[] {
  if (samples.length === 0) return hosts;
  const i = hosts.findIndex((h) => h.hostname === hostname);
  if (i < 0) return [...hosts, { hostname, samples }];
  return hosts.map((h, j) => (j === i ? { ...h, samples: [...h.samples, ...samples] } : h));
}
