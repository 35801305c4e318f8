// The agent loop: collect every interval, queue the batch, send in order; while the server is
// away, keep batches in memory (bounded) and retry with exponential backoff and jitter.
import { randomUUID } from 'node:crypto';
import type { HostInput, IngestBatch } from '@esmon/schema';
import type { Send } from './transport.ts';

export const AGENT_VERSION = '0.1.0';

export interface AgentLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface AgentOptions {
  intervalMs: number;
  collect: (ts: number) => Promise<HostInput[]>;
  send: Send;
  log: AgentLog;
  /** Upper bound of samples held while the server is away; the oldest batches go first. */
  maxBufferedSamples?: number;
  /** Called when the server refuses us for good (bad key, not an esmon server). */
  onFatal: (reason: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

export interface AgentStats {
  sent: number;
  rejected: number;
  dropped: number;
  buffered: number;
}

export function backoffMs(attempt: number, random = Math.random): number {
  const base = Math.min(60_000, 1000 * 2 ** Math.min(attempt, 6));
  return Math.round(base * (0.8 + random() * 0.4));
}

export function createAgent(options: AgentOptions) {
  const { intervalMs, collect, send, log, onFatal, maxBufferedSamples = 1_000_000 } = options;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const startedAt = Date.now();
  const queue: IngestBatch[] = [];
  const stats: AgentStats = { sent: 0, rejected: 0, dropped: 0, buffered: 0 };
  let attempt = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let flushing: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const count = (b: IngestBatch) => b.hosts.reduce((n, h) => n + h.samples.length, 0);

  function enqueue(hosts: HostInput[]): void {
    const batch: IngestBatch = { batchId: randomUUID(), agent: { version: AGENT_VERSION, startedAt, bufferDepth: stats.buffered }, hosts };
    queue.push(batch);
    stats.buffered += count(batch);
    while (stats.buffered > maxBufferedSamples && queue.length > 1) {
      const old = queue.shift()!;
      stats.buffered -= count(old);
      stats.dropped += count(old);
      log.warn(`buffer full: dropped the oldest batch (${count(old)} samples)`);
    }
  }

  async function flushLoop(): Promise<void> {
    while (!stopped && queue.length > 0) {
      const batch = queue[0]!;
      const result = await send(batch);
      if (result.kind === 'ok' || result.kind === 'rejected') {
        queue.shift();
        stats.buffered -= count(batch);
        if (result.kind === 'ok') stats.sent += result.ack.accepted;
        else {
          stats.rejected += count(batch);
          log.error(`batch rejected by the server, dropped: ${result.reason}`);
        }
        if (attempt > 0) log.info(`server reachable again; ${queue.length} batch(es) still queued`);
        attempt = 0;
        continue;
      }
      if (result.kind === 'fatal') {
        stopped = true;
        onFatal(result.reason);
        return;
      }
      const wait = result.retryAfterMs ?? backoffMs(attempt);
      attempt++;
      log.warn(`${result.reason}; retrying in ${(wait / 1000).toFixed(1)}s (${queue.length} batch(es), ${stats.buffered} samples buffered)`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        sleep(wait).then(resolve);
      });
      wake = undefined;
    }
  }

  function flush(): Promise<void> {
    flushing ??= flushLoop().finally(() => (flushing = undefined));
    return flushing;
  }

  async function tick(): Promise<void> {
    try {
      enqueue(await collect(Date.now()));
    } catch (err) {
      log.error(`collection failed: ${(err as Error).message}`);
    }
    void flush();
  }

  return {
    stats,
    /** Collects now, then every interval. */
    async start(): Promise<void> {
      await tick();
      timer = setInterval(() => void tick(), intervalMs);
    },
    tick,
    flush,
    /** Stops collecting; queued batches get one last attempt each before the process ends. */
    async stop(): Promise<void> {
      const fatal = stopped;
      stopped = true;
      if (timer) clearInterval(timer);
      wake?.();
      await flushing;
      while (!fatal && queue.length > 0) {
        const result = await send(queue[0]!);
        if (result.kind !== 'ok') break;
        queue.shift();
        stats.sent += result.ack.accepted;
      }
      stats.buffered = queue.reduce((n, b) => n + count(b), 0);
      if (stats.buffered > 0) log.warn(`stopped with ${stats.buffered} samples unsent (the durable buffer comes later)`);
    },
  };
}
