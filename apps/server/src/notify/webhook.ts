// Webhook delivery of alert events: every committed event that should notify (not silenced, not
// in maintenance, not flapping) is POSTed as JSON to each URL in ESMON_ALERT_WEBHOOKS, with a
// timeout and retries with backoff. This is the first notification path; channels, routing and a
// durable outbox (nothing dropped across restarts) come with the notifications work.
import type { AlertEventMessage, EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';

export interface WebhookOptions {
  urls: string[];
  bus: EventBus;
  log: Logger;
  timeoutMs?: number;
  attempts?: number;
}

export function alertWebhookBody(e: AlertEventMessage) {
  return {
    version: 1,
    event: {
      id: e.id,
      kind: e.kind,
      from: e.fromState,
      to: e.toState,
      fromSeverity: e.fromSeverity,
      severity: e.severity,
      value: e.value,
      reason: e.message,
      at: e.at.toISOString(),
    },
    alert: { id: e.alertId, fingerprint: e.fingerprint, labels: e.labels },
    rule: { id: e.ruleId, name: e.ruleName },
    host: e.hostId === null ? null : { id: e.hostId, hostname: e.hostname },
  };
}

/** Starts delivering; returns a function that stops it. */
export function startAlertWebhooks({ urls, bus, log, timeoutMs = 10_000, attempts = 5 }: WebhookOptions): () => void {
  if (urls.length === 0) return () => undefined;
  const iterator = bus.subscribe('alertEvents')[Symbol.asyncIterator]();
  let stopped = false;

  async function deliver(url: string, body: string, eventId: number): Promise<void> {
    for (let attempt = 1; attempt <= attempts && !stopped; attempt++) {
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'esmon' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        log.warn({ url: new URL(url).origin, status: res.status, attempt, eventId }, 'alert webhook refused');
      } catch (err) {
        log.warn({ url: new URL(url).origin, err: (err as Error).message, attempt, eventId }, 'alert webhook failed');
      }
      await new Promise((r) => setTimeout(r, 500 * 2 ** attempt));
    }
    log.error({ url: new URL(url).origin, eventId }, 'alert webhook given up');
  }

  void (async () => {
    while (!stopped) {
      const next = await iterator.next();
      if (next.done) return;
      const event = next.value;
      if (!event.notify) continue;
      const body = JSON.stringify(alertWebhookBody(event));
      for (const url of urls) void deliver(url, body, event.id);
    }
  })();
  return () => {
    stopped = true;
    void iterator.return?.();
  };
}
