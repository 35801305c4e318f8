// Delivery: the buffer's batches go out oldest first, one at a time, so the server sees a host's
// samples in the order they were taken. A failed send waits (backoff.ts) and tries the same batch
// again; a batch refused for its content is set aside and the rest continue; a refused key stops
// everything, with the batches kept on disk for a corrected agent.
import { retryDelayMs } from './backoff.ts';
import type { BatchBuffer } from './buffer/disk-buffer.ts';
import type { SendGzip } from './transport.ts';

export interface AgentLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface DeliveryOptions {
  buffer: BatchBuffer;
  send: SendGzip;
  log: AgentLog;
  onFatal: (reason: string) => void;
  sleep: (ms: number) => Promise<void>;
  random?: () => number;
}

export interface DeliveryStats {
  /** Samples the server stored. */
  sent: number;
  /** Send attempts to be retried. */
  errors: number;
}

export function createDelivery({ buffer, send, log, onFatal, sleep, random = Math.random }: DeliveryOptions) {
  const stats: DeliveryStats = { sent: 0, errors: 0 };
  let attempt = 0;
  let stopped = false;
  let fatal = false;
  let running: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  /** One batch: true to go on with the next, false to stop this pass (a retry is due, or the end). */
  async function deliverOldest(persist: boolean): Promise<boolean> {
    const batch = await buffer.oldest();
    if (!batch) return false;
    const result = await send(batch.gzip);
    if (result.kind === 'fatal') {
      fatal = stopped = true;
      onFatal(result.reason);
      return false;
    }
    if (result.kind === 'retry') {
      stats.errors++;
      if (!persist) return false;
      const wait = retryDelayMs(attempt++, result.retryAfterMs, random);
      const { batches, samples } = buffer.stats();
      log.warn(`${result.reason}; retrying in ${(wait / 1000).toFixed(1)}s (${batches} batch(es), ${samples} samples buffered)`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        void sleep(wait).then(resolve);
      });
      wake = undefined;
      return true;
    }
    if (result.kind === 'ok') {
      await buffer.ack(batch.seq);
      stats.sent += result.ack.accepted;
    } else {
      await buffer.reject(batch, result.reason);
      log.error(`batch ${batch.batchId} (${batch.samples} samples) refused by the server, set aside in rejected/: ${result.reason}`);
    }
    if (attempt > 0) log.info(`server reachable again; ${buffer.stats().batches} batch(es) still buffered`);
    attempt = 0;
    return true;
  }

  async function pass(persist: boolean): Promise<void> {
    try {
      while (!fatal && (!stopped || !persist) && (await deliverOldest(persist)));
    } catch (err) {
      // the disk failed us; the next collection tick tries again
      log.error(`sending from the buffer failed: ${(err as Error).message}`);
    }
  }

  return {
    stats,
    get fatal() {
      return fatal;
    },
    /** Sends until the buffer is empty, waiting out failures; one pass at a time. */
    flush(): Promise<void> {
      running ??= pass(true).finally(() => (running = undefined));
      return running;
    },
    /** Ends the waiting and lets the current send finish; then one last try per batch while the server takes them. */
    async stop(): Promise<void> {
      stopped = true;
      wake?.();
      await running;
      if (!fatal) await pass(false);
    },
  };
}
