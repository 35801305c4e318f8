// The agent loop: collect every interval, append the batch to the durable buffer, and let the
// delivery send the buffer oldest first. The buffer is on disk, so neither a long outage nor a
// restart loses what was collected (up to the buffer's bound).
import { randomUUID } from 'node:crypto';
import type { HostInput } from '@esmon/schema';
import type { BatchBuffer, BufferStats } from './buffer/disk-buffer.ts';
import { createDelivery, type AgentLog } from './deliver.ts';
import { selfMetrics, withHostSamples } from './self-metrics.ts';
import { gzipBatch, type SendGzip } from './transport.ts';

export type { AgentLog } from './deliver.ts';

export const AGENT_VERSION = '0.1.0';


export interface AgentOptions {
  intervalMs: number;
  collect: (ts: number) => Promise<HostInput[]>;
  buffer: BatchBuffer;
  send: SendGzip;
  log: AgentLog;
  /** The host the agent's own metrics (esmon.agent.*) are reported for; none when absent. */
  selfHostname?: string;
  /** The probe configuration version running now (reported in every batch); none without probes. */
  configVersion?: () => string | undefined;
  /** Called when the server refuses us for good (bad key, not an esmon server). */
  onFatal: (reason: string) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface AgentStats extends BufferStats {
  /** Samples the server stored since the start. */
  sent: number;
  /** Send attempts to be retried, since the start. */
  sendErrors: number;
}

const countSamples = (hosts: HostInput[]) => hosts.reduce((n, h) => n + h.samples.length, 0);

export function createAgent(options: AgentOptions) {
  const { intervalMs, collect, buffer, log, selfHostname, now = Date.now } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const delivery = createDelivery({ buffer, send: options.send, log, onFatal: options.onFatal, sleep, ...(options.random ? { random: options.random } : {}) });
  const startedAt = now();
  let timer: NodeJS.Timeout | undefined;
  const ticking = new Set<Promise<void>>();
  let stopping: Promise<void> | undefined;

  const stats = (): AgentStats => ({ ...buffer.stats(), sent: delivery.stats.sent, sendErrors: delivery.stats.errors });

  async function store(hosts: HostInput[], ts: number): Promise<void> {
    const samples = countSamples(hosts);
    if (samples === 0) return;
    const batchId = randomUUID();
    const configVersion = options.configVersion?.();
    const agent = { version: AGENT_VERSION, startedAt, bufferDepth: buffer.stats().samples, ...(configVersion ? { configVersion } : {}) };
    const gzip = await gzipBatch({ batchId, agent, hosts });
    await buffer.append({ batchId, createdAt: ts, samples, gzip });
  }

  async function collectAndStore(): Promise<void> {
    const ts = now();
    let hosts: HostInput[] = [];
    try {
      hosts = await collect(ts);
    } catch (err) {
      log.error(`collection failed: ${(err as Error).message}`);
    }
    if (selfHostname) hosts = withHostSamples(hosts, selfHostname, selfMetrics(buffer.stats(), delivery.stats, ts));
    try {
      await store(hosts, ts);
    } catch (err) {
      log.error(`could not buffer the batch (${countSamples(hosts)} samples lost): ${(err as Error).message}`);
    }
  }

  async function tick(): Promise<void> {
    if (stopping) return;
    const run = collectAndStore();
    ticking.add(run);
    await run;
    ticking.delete(run);
    void delivery.flush();
  }

  async function stop(): Promise<void> {
    if (timer) clearInterval(timer);
    timer = undefined;
    await Promise.all(ticking);
    await delivery.stop();
    const { batches, samples } = buffer.stats();
    await buffer.close();
    if (batches > 0) log.warn(`stopped with ${batches} batch(es), ${samples} samples buffered: they are sent after the next start`);
  }

  return {
    stats,
    /** Collects now, then every interval. */
    async start(): Promise<void> {
      await tick();
      timer = setInterval(() => void tick(), intervalMs);
    },
    tick,
    /** Sends what is buffered, waiting out failures, until the buffer is empty (or the agent stops). */
    flush: () => delivery.flush(),
    /** Stops collecting; buffered batches get one more try each, and what stays is sent after the next start. */
    stop(): Promise<void> {
      stopping ??= stop();
      return stopping;
    },
  };
}
