// The contract of a notification channel: what a notification is (a group of alerts, rendered by
// each channel in its own form), how a channel type declares its configuration (a zod schema,
// secret fields write-only) and default templates, and what `send` answers: delivered, or failed
// and whether trying again can help. The outbox's dispatcher is the only caller of `send`; it owns
// retries, backoff and dead-lettering, so a channel sends exactly once per call.
import type { z } from 'zod';

export const SEVERITIES = ['warning', 'critical', 'very_critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One alert as a notification shows it. */
export interface NotifiedAlert {
  id: string;
  fingerprint: string;
  rule: { id: string; name: string };
  hostname: string | null;
  /** firing or resolved at the time of the notification */
  state: 'firing' | 'resolved';
  severity: Severity | null;
  value: number | null;
  /** when this incident began (ISO 8601) */
  since: string;
  /** when it resolved (ISO 8601), for resolved alerts */
  resolvedAt?: string;
  labels: Record<string, string>;
  summary?: string;
  description?: string;
  /** pages of the workbench for this alert */
  links: { alert: string; acknowledge: string; silence: string };
}

export type NotificationKind = 'firing' | 'resolved' | 'renotify' | 'escalation' | 'test';

/** What one delivery carries: one group of alerts (group_by), with the reason it is sent. */
export interface Notification {
  /** the outbox intent's id: the same on every attempt, so a receiver can drop a duplicate */
  id: string;
  kind: NotificationKind;
  /** the highest severity among the firing alerts; null when none fires */
  severity: Severity | null;
  /** the labels the group is formed on (group_by) */
  groupLabels: Record<string, string>;
  alerts: NotifiedAlert[];
  /** a one-line title, e.g. "[CRITICAL] CPU high on web-01 (+2 more)" */
  title: string;
  /** when the notification was made (ISO 8601) */
  at: string;
  /** the workbench's base URL, for links that are not about one alert */
  workbenchUrl: string;
}

/** The answer of one attempt. */
export type SendOutcome =
  | { ok: true; status?: number; detail?: string }
  | { ok: false; retryable: boolean; error: string; status?: number; retryAfterMs?: number };

export interface SendContext {
  /** aborted when the attempt's time is up or the server stops */
  signal: AbortSignal;
  timeoutMs: number;
  now(): number;
}

/** Template text per part of a message (subject, text, html, title, …), as a channel names them. */
export type Templates = Readonly<Record<string, string>>;

export interface ChannelType<Config = unknown> {
  type: string;
  title: string;
  description: string;
  /** the stored configuration, secrets included (the store encrypts them at rest) */
  config: z.ZodType<Config>;
  /** fields of the configuration that are write-only: never returned, never logged */
  secretFields: readonly string[];
  /** the default template of each part; a channel's own templates replace parts by name */
  templates: Templates;
  /** What would be sent, rendered, with secrets left out: the preview and the delivery log's record. */
  render(notification: Notification, config: Config, templates: Templates): Record<string, unknown>;
  /** One attempt to deliver. Never throws: a failure is an outcome. */
  send(notification: Notification, config: Config, templates: Templates, ctx: SendContext): Promise<SendOutcome>;
}

/** What an HTTP status means for a delivery: 2xx delivered; 408, 425, 429 and 5xx worth another try. */
export function httpOutcome(status: number, body: string, retryAfter?: string | null, now = Date.now()): SendOutcome {
  if (status >= 200 && status < 300) return { ok: true, status };
  const retryable = status === 408 || status === 425 || status === 429 || status >= 500;
  const error = `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`;
  const retryAfterMs = retryable ? retryAfterToMs(retryAfter, now) : undefined;
  return { ok: false, retryable, error, status, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterToMs(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The first `max` bytes of an answer's body as text, enough to say what went wrong; the rest is not read. */
export async function readSome(res: Response, max: number): Promise<string> {
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < max) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  void reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

/** A failure before any answer (refused, reset, DNS, TLS, timeout): always worth another try. */
export function networkOutcome(err: unknown, ctx: Pick<SendContext, 'signal' | 'timeoutMs'>): SendOutcome {
  if (ctx.signal.aborted) return { ok: false, retryable: true, error: `no answer within ${ctx.timeoutMs / 1000} s` };
  const e = err as { cause?: { code?: string; message?: string }; code?: string; message?: string };
  const code = e?.cause?.code ?? e?.code;
  const message = e?.cause?.message ?? e?.message ?? String(err);
  return { ok: false, retryable: true, error: code && !message.includes(code) ? `${code}: ${message}` : message };
}
