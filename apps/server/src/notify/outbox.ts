// The notification outbox and its dispatcher. A message is a row in notification_deliveries
// before anything is sent (`enqueue`, inside the caller's transaction when it has one). The
// dispatcher claims due rows with FOR UPDATE SKIP LOCKED and a lease (so several servers share
// the work and none sends what another is sending), sends outside any transaction, then records
// the attempt and what follows (delivered, retried with backoff, dead). A process that dies after
// sending and before recording leaves the lease to run out: the message is sent once more. So a
// message is sent at least once, and at most once more than needed; receivers get the same
// notification id both times to drop the duplicate.
import type { Sql, SqlRunner } from '@esmon/db';
import type { Logger } from '../log.ts';
import type { Notification, SendOutcome } from './channel.ts';
import { afterAttempt, DEFAULT_RETRY, type RetryPolicy } from './retry.ts';
import { ChannelUnavailableError, openChannel, type ChannelRow, type NotifyServices } from './services.ts';

export interface OutboxOptions {
  sql: Sql;
  notify: NotifyServices;
  log: Logger;
  retry?: RetryPolicy;
  /** the dispatcher's clock (tests move it); the database stores what it says */
  now?: () => number;
  random?: () => number;
  /** one attempt's time limit; the lease is this plus as much again, at most 30 s more */
  sendTimeoutMs?: number;
  /** deliveries claimed per round */
  batch?: number;
  /** how often to look for due groups and deliveries when nothing wakes the dispatcher (5 s) */
  pollMs?: number;
  /** runs at the start of each round, before due deliveries are claimed (routing, groups) */
  prepare?: (now: number) => Promise<unknown>;
  /** test seam: runs after a send and before its record (a crash there is the case leases exist for) */
  afterSend?: (deliveryId: number, outcome: SendOutcome) => void | Promise<void>;
}

export interface Outbox {
  /** Runs one round: claims what is due, sends it, records it. Resolves with how many were attempted. */
  runOnce(): Promise<number>;
  start(): void;
  /** A delivery was enqueued: look now rather than at the next poll (when started). */
  wake(): void;
  stop(): Promise<void>;
}

/** Puts one message in the outbox; its `id` becomes the delivery's id once stored. */
export async function enqueue(runner: SqlRunner, channelId: number, notification: Omit<Notification, 'id'>, at: number): Promise<number> {
  // the row's id is drawn first so the stored payload carries it: every attempt sends the same one
  const [row] = await runner.query<{ id: number }>(
    `WITH n AS (SELECT nextval(pg_get_serial_sequence('notification_deliveries', 'id'))::int AS id)
     INSERT INTO notification_deliveries (id, channel_id, kind, payload, next_attempt_at, created_at)
     SELECT n.id, $1, $2, $3::jsonb || jsonb_build_object('id', 'n-' || n.id), $4, $4 FROM n RETURNING id`,
    [channelId, notification.kind, JSON.stringify(notification), new Date(at)],
  );
  return row!.id;
}

interface Claimed {
  id: number;
  attempts: number;
  created_at: Date;
  payload: Notification;
  channel: ChannelRow;
}

export function createOutbox(options: OutboxOptions): Outbox {
  const { sql, notify, log } = options;
  const retry = options.retry ?? DEFAULT_RETRY;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  // a claim outlives its attempt: another dispatcher takes it over only once the sender is surely gone
  const leaseMs = sendTimeoutMs + Math.min(sendTimeoutMs, 30_000);
  const batch = options.batch ?? 20;
  const stopping = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<unknown> | undefined;
  let again = false;
  let started = false;

  async function claim(): Promise<Claimed[]> {
    const at = new Date(now());
    return sql.transaction(async (tx) => {
      const rows = await tx.query<Omit<Claimed, 'channel'> & { channel_id: number }>(
        `SELECT id, attempts, created_at, payload, channel_id FROM notification_deliveries
         WHERE status = 'pending' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [at, batch],
      );
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.id);
      await tx.query(`UPDATE notification_deliveries SET lease_until = $2, attempts = attempts + 1 WHERE id = ANY($1::int[])`, [ids, new Date(at.getTime() + leaseMs)]);
      const channels = await tx.query<ChannelRow>(`SELECT id, name, type, config, secrets, templates, enabled FROM notification_channels WHERE id = ANY($1::int[])`, [[...new Set(rows.map((r) => r.channel_id))]]);
      const byId = new Map(channels.map((c) => [c.id, c]));
      return rows.map((r) => ({ ...r, attempts: r.attempts + 1, channel: byId.get(r.channel_id)! }));
    });
  }

  async function attempt(d: Claimed): Promise<SendOutcome> {
    try {
      const channel = await openChannel(notify, d.channel);
      if (!channel.enabled) return { ok: false, retryable: true, error: `channel "${channel.name}" is disabled; kept until it is enabled again` };
      const signal = AbortSignal.any([AbortSignal.timeout(sendTimeoutMs), stopping.signal]);
      return await channel.type.send(d.payload, channel.config, channel.templates, { signal, timeoutMs: sendTimeoutMs, now });
    } catch (err) {
      // a channel type this server lacks, or secrets it cannot open: nothing a retry fixes by itself
      const message = err instanceof ChannelUnavailableError ? err.message : `cannot send: ${(err as Error).message}`;
      return { ok: false, retryable: false, error: message };
    }
  }

  async function record(d: Claimed, outcome: SendOutcome, durationMs: number): Promise<void> {
    const at = now();
    const next = afterAttempt(outcome, d.attempts, new Date(d.created_at).getTime(), at, retry, random);
    await sql.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO notification_attempts (delivery_id, at, ok, retryable, status, error, duration_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [d.id, new Date(at), outcome.ok, outcome.ok ? null : outcome.retryable, outcome.status ?? null, outcome.ok ? null : outcome.error, Math.round(durationMs)],
      );
      await tx.query(
        `UPDATE notification_deliveries SET status = $2, lease_until = NULL, next_attempt_at = COALESCE($3, next_attempt_at),
                delivered_at = $4, last_error = $5 WHERE id = $1`,
        [
          d.id,
          next.status,
          next.status === 'pending' ? new Date(next.nextAttemptAt) : null,
          next.status === 'delivered' ? new Date(at) : null,
          outcome.ok ? null : next.status === 'dead' ? next.reason : outcome.error,
        ],
      );
    });
    if (next.status === 'dead') log.warn({ delivery: d.id, channel: d.channel.name, reason: next.reason }, 'notification dead-lettered');
  }

  async function runOnce(): Promise<number> {
    await options.prepare?.(now());
    const claimed = await claim();
    await Promise.all(
      claimed.map(async (d) => {
        const started = performance.now();
        const outcome = await attempt(d);
        await options.afterSend?.(d.id, outcome);
        await record(d, outcome, performance.now() - started);
      }),
    );
    return claimed.length;
  }

  function schedule(ms: number): void {
    if (stopping.signal.aborted) return;
    clearTimeout(timer);
    timer = setTimeout(() => loop(), ms);
  }

  function loop(): void {
    if (round) {
      again = true;
      return;
    }
    round = runOnce()
      .catch((err: unknown) => {
        log.error({ err }, 'notification dispatcher round failed');
        return 0;
      })
      .then((n) => {
        round = undefined;
        // a full batch may mean more is due; a wake during the round is honoured at once
        const more = n >= batch || again;
        again = false;
        schedule(more ? 0 : (options.pollMs ?? 5000));
      });
  }

  return {
    runOnce,
    start: () => {
      started = true;
      schedule(0);
    },
    // a dispatcher that was not started (ESMON_NOTIFY_DISPATCHER=off) stays still
    wake: () => {
      if (started) schedule(0);
    },
    async stop() {
      stopping.abort();
      clearTimeout(timer);
      await round;
    },
  };
}
