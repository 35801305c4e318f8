// The webhook channel: each notification POSTed as a versioned JSON document (document.ts) to one
// URL, with the operator's headers, optionally signed. The configurable successor of the
// environment-configured webhook it replaced. The URL is a secret, as in Alertmanager: many carry a
// token of their own (…/hooks/T000/B000/XXXX, ?token=…), so it is write-only like the Teams URL.
//
// Signing. With `hmacSecret` set, every request carries
//   X-Esmon-Timestamp: <unix seconds when sent>
//   X-Esmon-Signature: sha256=<hex HMAC-SHA256, keyed with hmacSecret, of "<timestamp>.<body>">
// A receiver verifies by computing the same HMAC over the timestamp header, a ".", and the raw
// body bytes exactly as received (before any JSON parsing, which would change them), comparing in
// constant time (crypto.timingSafeEqual), and refusing a timestamp more than a few minutes from
// its clock. The timestamp is inside the signature so that a captured request cannot be replayed
// later: changing the timestamp breaks the signature, keeping it makes the request stale.
// A retry is signed afresh with a new timestamp; X-Esmon-Notification (the notification's id, the
// same on every attempt) is what a receiver uses to drop a duplicate.
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelType, Notification, SendContext } from '../../channel.ts';
import { webhookDocument } from './document.ts';
import { headerRecord, sharedNames } from './headers.ts';
import { postJson } from './post.ts';

const httpUrl = (what: string) =>
  z
    .url({ protocol: /^https?$/, error: `${what} must be an http:// or https:// URL` })
    .max(2048)
    // fetch refuses user:password@ in a URL; credentials belong in a secret header. zod runs this
    // refine even after .url() refused the text (its issue does not abort): no URL, nothing to add
    .refine(
      (u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password),
      'put credentials in a secret header, not in the URL',
    );

export const webhookConfig = z
  .strictObject({
    url: httpUrl('the webhook URL'),
    headers: headerRecord,
    /** headers whose values are secrets (Authorization, API keys): write-only, never shown */
    secretHeaders: headerRecord,
    /** key of the HMAC-SHA256 signature; long enough not to be guessed offline from a signature */
    hmacSecret: z.string().min(16, 'the signing secret is at least 16 characters').max(1024).optional(),
    /** a limit shorter than the dispatcher's, for a receiver known to be quick */
    timeoutSeconds: z.int().min(1).max(120).optional(),
  })
  .superRefine((c, ctx) => {
    for (const name of sharedNames(c.headers, c.secretHeaders)) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} is also a header; give it once`,
        path: ['secretHeaders', name],
      });
    }
  });

export type WebhookConfig = z.output<typeof webhookConfig>;

const SECRET = '(secret)';

function baseHeaders(n: Notification, config: WebhookConfig): Record<string, string> {
  return {
    'content-type': 'application/json',
    'user-agent': 'esmon',
    ...config.headers,
    'x-esmon-notification': n.id,
  };
}

export function signature(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export const webhookChannel: ChannelType<WebhookConfig> = {
  type: 'webhook',
  title: 'Webhook',
  description:
    'POSTs each notification as a versioned JSON document to a URL, optionally signed with HMAC-SHA256.',
  config: webhookConfig,
  secretFields: ['url', 'secretHeaders', 'hmacSecret'],
  // the body is a fixed document for machines, not text for people: nothing to template
  templates: {},

  render(n, config) {
    const headers: Record<string, string> = baseHeaders(n, config);
    for (const name of Object.keys(config.secretHeaders)) headers[name] = SECRET;
    if (config.hmacSecret) {
      headers['x-esmon-timestamp'] = '(when sent)';
      headers['x-esmon-signature'] = 'sha256=(computed when sent)';
    }
    // no URL: a webhook URL often carries a token of its own (…/hooks/T000/B000/XXXX)
    return { method: 'POST', headers, body: webhookDocument(n) };
  },

  async send(n, config, _templates, ctx: SendContext) {
    try {
      return await deliver(n, config, ctx);
    } catch (err) {
      // a bug, not the receiver's doing: another attempt would fail the same way
      return { ok: false, retryable: false, error: `webhook: ${(err as Error).message}` };
    }
  },
};

async function deliver(n: Notification, config: WebhookConfig, ctx: SendContext) {
  const body = JSON.stringify(webhookDocument(n));
  const headers = { ...baseHeaders(n, config), ...config.secretHeaders };
  if (config.hmacSecret) {
    const timestamp = Math.floor(ctx.now() / 1000);
    headers['x-esmon-timestamp'] = String(timestamp);
    headers['x-esmon-signature'] = signature(config.hmacSecret, timestamp, body);
  }
  const secrets = [...Object.values(config.secretHeaders), ...(config.hmacSecret ? [config.hmacSecret] : [])];
  return postJson(config.url, headers, body, ctx, { timeoutSeconds: config.timeoutSeconds, secrets });
}
