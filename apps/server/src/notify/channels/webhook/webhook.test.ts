import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Notification } from '../../channel.ts';
import { sampleNotification } from '../../template-data.ts';
import { webhookChannel, webhookConfig, type WebhookConfig } from './index.ts';
import { answerStatus, deadUrl, hang, sendContext, startReceiver, type Receiver } from './test-receiver.ts';

const HMAC_KEY = 'k3y-for-signing-0123456789';
const BEARER = 'Bearer s3cr3t-t0ken-abcdef';

// non-ASCII in the title: the signature must cover the bytes sent, not a re-encoding of them
const notification = (): Notification => ({
  ...sampleNotification('https://esmon.example', new Date('2026-11-24T09:00:00Z')),
  title: '[CRITICAL] Température élevée – maximo-app-01',
});
const config = (url: string, extra: Partial<WebhookConfig> = {}): WebhookConfig =>
  webhookConfig.parse({ url, ...extra });

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

/** The receiver's side of signing: HMAC over "<timestamp>.<raw body bytes>", constant-time compare. */
function verifies(key: string, timestamp: string, body: Buffer, header: string): boolean {
  const expected = Buffer.from(
    `sha256=${createHmac('sha256', key).update(`${timestamp}.`).update(body).digest('hex')}`,
  );
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('webhook channel', () => {
  it('POSTs the versioned document with the custom and secret headers and the notification id', async () => {
    receiver = await startReceiver();
    const n = notification();
    const c = config(receiver.url + '/hook?x=1', {
      headers: { 'X-Team': 'ops' },
      secretHeaders: { Authorization: BEARER },
    });
    const outcome = await webhookChannel.send(n, c, {}, sendContext());
    expect(outcome).toEqual({ ok: true, status: 200 });
    expect(receiver.received).toHaveLength(1);
    const req = receiver.received[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/hook?x=1');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['x-team']).toBe('ops');
    expect(req.headers.authorization).toBe(BEARER);
    expect(req.headers['x-esmon-notification']).toBe(n.id);
    expect(req.headers['x-esmon-signature']).toBeUndefined();
    const doc = JSON.parse(req.body.toString('utf8'));
    expect(Object.keys(doc)).toEqual([
      'version',
      'id',
      'kind',
      'title',
      'severity',
      'groupLabels',
      'at',
      'alerts',
    ]);
    expect(doc).toMatchObject({
      version: 1,
      id: n.id,
      kind: 'test',
      title: n.title,
      severity: 'critical',
      groupLabels: { rule: 'Maximo JVM heap high (test)' },
      at: '2026-11-24T09:00:00.000Z',
    });
    expect(doc.alerts).toHaveLength(2);
    expect(doc.alerts[0]).toEqual({
      id: 'test-1',
      fingerprint: 'test-1',
      rule: { id: '0', name: 'Maximo JVM heap high (test)' },
      hostname: 'maximo-app-01',
      state: 'firing',
      severity: 'critical',
      value: 93.4,
      since: '2026-11-24T08:48:00.000Z',
      resolvedAt: null,
      labels: { env: 'prod', app: 'maximo' },
      summary: 'Heap at 93.4 % on maximo-app-01',
      description: null,
      links: n.alerts[0]!.links,
    });
    expect(doc.alerts[1]).toMatchObject({
      state: 'resolved',
      severity: null,
      resolvedAt: '2026-11-24T09:00:00.000Z',
    });
  });

  it('signs "<timestamp>.<body>" with the HMAC key: verifies with it, not with another', async () => {
    receiver = await startReceiver();
    const now = Date.parse('2026-11-24T09:00:05.900Z');
    const outcome = await webhookChannel.send(
      notification(),
      config(receiver.url, { hmacSecret: HMAC_KEY }),
      {},
      sendContext(5000, () => now),
    );
    expect(outcome.ok).toBe(true);
    const req = receiver.received[0]!;
    const timestamp = req.headers['x-esmon-timestamp'] as string;
    const sig = req.headers['x-esmon-signature'] as string;
    expect(timestamp).toBe(String(Math.floor(now / 1000)));
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifies(HMAC_KEY, timestamp, req.body, sig)).toBe(true);
    expect(verifies('another-key-0123456789', timestamp, req.body, sig)).toBe(false);
    expect(verifies(HMAC_KEY, String(Number(timestamp) + 60), req.body, sig)).toBe(false);
    expect(req.body.toString('utf8')).not.toContain(HMAC_KEY);
  });

  it('503 with Retry-After is worth another try, after the time it asks', async () => {
    receiver = await startReceiver(answerStatus(503, 'maintenance', { 'retry-after': '7' }));
    const outcome = await webhookChannel.send(notification(), config(receiver.url), {}, sendContext());
    expect(outcome).toEqual({
      ok: false,
      retryable: true,
      status: 503,
      retryAfterMs: 7000,
      error: 'HTTP 503: maintenance',
    });
  });

  it('404 is not worth another try', async () => {
    receiver = await startReceiver(answerStatus(404, 'no such hook'));
    const outcome = await webhookChannel.send(notification(), config(receiver.url), {}, sendContext());
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 404 });
  });

  it('a redirect is not followed (it would carry the secret headers elsewhere)', async () => {
    const other = await startReceiver();
    receiver = await startReceiver(answerStatus(307, '', { location: other.url }));
    const c = config(receiver.url, { secretHeaders: { Authorization: BEARER } });
    const outcome = await webhookChannel.send(notification(), c, {}, sendContext());
    await other.close();
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 307 });
    expect(other.received).toHaveLength(0);
  });

  it('keeps secret header values and the HMAC key out of an error, even when the receiver echoes them', async () => {
    receiver = await startReceiver((req, res) => {
      res.writeHead(400).end(`bad request; you sent ${JSON.stringify(req.headers)} key=${HMAC_KEY}`);
    });
    const c = config(receiver.url, {
      secretHeaders: { Authorization: BEARER, 'X-Api-Key': 'api-key-42424242' },
      hmacSecret: HMAC_KEY,
    });
    const outcome = await webhookChannel.send(notification(), c, {}, sendContext());
    expect(outcome).toMatchObject({ ok: false, retryable: false, status: 400 });
    const error = outcome.ok ? '' : outcome.error;
    expect(error).toContain('(secret)');
    for (const secret of ['s3cr3t-t0ken-abcdef', 'api-key-42424242', HMAC_KEY])
      expect(error).not.toContain(secret);
  });

  it('nobody listening is worth another try', async () => {
    const outcome = await webhookChannel.send(notification(), config(await deadUrl()), {}, sendContext());
    expect(outcome).toMatchObject({ ok: false, retryable: true });
    expect(outcome.ok ? '' : outcome.error).toContain('ECONNREFUSED');
  });

  it('a receiver that never answers is worth another try once the attempt is out of time', async () => {
    receiver = await startReceiver(hang);
    const outcome = await webhookChannel.send(notification(), config(receiver.url), {}, sendContext(300));
    expect(outcome).toEqual({ ok: false, retryable: true, error: 'no answer within 0.3 s' });
    expect(receiver.received).toHaveLength(1);
  });

  it("the channel's own shorter timeout applies too", async () => {
    receiver = await startReceiver(hang);
    const outcome = await webhookChannel.send(
      notification(),
      config(receiver.url, { timeoutSeconds: 1 }),
      {},
      sendContext(30_000),
    );
    expect(outcome).toEqual({ ok: false, retryable: true, error: 'no answer within 1 s' });
  });

  it('renders without the URL and with secret values replaced', () => {
    const n = notification();
    const c = config('https://hooks.example/T000/B000/url-token-xyz', {
      headers: { 'X-Team': 'ops' },
      secretHeaders: { Authorization: BEARER },
      hmacSecret: HMAC_KEY,
    });
    const r = webhookChannel.render(n, c, {});
    expect(r).toMatchObject({
      method: 'POST',
      headers: { 'X-Team': 'ops', Authorization: '(secret)', 'x-esmon-notification': n.id },
    });
    expect((r.body as { version: number; id: string }).id).toBe(n.id);
    const text = JSON.stringify(r);
    for (const hidden of ['s3cr3t-t0ken', HMAC_KEY, 'url-token-xyz']) expect(text).not.toContain(hidden);
  });
});

describe('webhook configuration', () => {
  const problems = (input: unknown) => {
    const r = webhookConfig.safeParse(input);
    return r.success ? [] : r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  };
  const url = 'https://hooks.example/in';

  it('refuses text that is no URL with an issue, not a TypeError from the credentials check', () => {
    expect(problems({ url: 'not a url' }).map((p) => p.path)).toEqual(['url']);
  });

  it('accepts a full configuration, with empty header records by default', () => {
    expect(webhookConfig.parse({ url })).toEqual({ url, headers: {}, secretHeaders: {} });
    expect(
      problems({
        url,
        headers: { 'X-A': 'b' },
        secretHeaders: { Authorization: BEARER },
        hmacSecret: HMAC_KEY,
        timeoutSeconds: 5,
      }),
    ).toEqual([]);
  });

  it.each([
    [{ headers: { 'Content-Length': '10' } }, 'headers.Content-Length', 'set by esmon'],
    [{ headers: { host: 'elsewhere' } }, 'headers.host', 'set by esmon'],
    [{ secretHeaders: { 'Transfer-Encoding': 'chunked' } }, 'secretHeaders.Transfer-Encoding', 'hop-by-hop'],
    [{ headers: { 'Bad Header': 'x' } }, 'headers.Bad Header', 'is not a header name'],
    [{ headers: { 'X-Evil': 'a\r\nX-Injected: 1' } }, 'headers.X-Evil', 'line break'],
    [{ secretHeaders: { Authorization: 'Bearer x\n' } }, 'secretHeaders.Authorization', 'line break'],
    [{ headers: { 'X-A': '1', 'x-a': '2' } }, 'headers.x-a', 'given twice'],
    [{ headers: { 'X-Key': '1' }, secretHeaders: { 'x-key': '2' } }, 'secretHeaders.x-key', 'also a header'],
    [
      { headers: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])) },
      'headers',
      'at most 20',
    ],
    [{ hmacSecret: 'short' }, 'hmacSecret', 'at least 16'],
    [{ url: 'ftp://hooks.example/in' }, 'url', 'http:// or https://'],
    [{ url: 'https://user:pw@hooks.example/in' }, 'url', 'secret header'],
    [{ extra: true }, '', 'extra'],
  ])('refuses %j, naming the field', (change, path, message) => {
    const found = problems({ url, ...change });
    expect(found).toContainEqual({ path, message: expect.stringContaining(message) });
  });
});
