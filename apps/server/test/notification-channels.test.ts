// Notification channels over GraphQL against the real server and database: who may do what,
// secrets write-only and sealed at rest, validation naming the field, and testChannel delivering
// to a real receiver (a webhook checked by its HMAC signature) or saying why it could not.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../src/notify/channels/webhook/test-receiver.ts';
import { startTestServer, type TestServer } from './harness.ts';

const HMAC = 'hmac-secret-0123456789';
const TOKEN = 'Bearer very-secret-token';

describe('notification channels', () => {
  let s: TestServer;
  let admin: string;
  let analyst: string;
  let viewer: string;
  let receiver: Receiver;

  beforeAll(async () => {
    s = await startTestServer();
    [admin, analyst, viewer] = await Promise.all([s.login(), s.userToken('analyst'), s.userToken('viewer')]);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await receiver?.close();
    await s?.close();
  });

  const FIELDS = 'id name type enabled version config secretsSet templates';
  const create = (vars: Record<string, unknown>, token = admin) =>
    s.gql<{ createNotificationChannel: Record<string, any> }>(
      `mutation ($n: String!, $t: String!, $c: JSON!, $tp: JSON) { createNotificationChannel(name: $n, type: $t, config: $c, templates: $tp) { ${FIELDS} } }`,
      vars,
      token,
    );
  const update = (vars: Record<string, unknown>) =>
    s.gql<{ updateNotificationChannel: Record<string, any> }>(
      `mutation ($id: ID!, $c: JSON, $v: Int, $tp: JSON) { updateNotificationChannel(id: $id, config: $c, expectedVersion: $v, templates: $tp) { ${FIELDS} } }`,
      vars,
      admin,
    );
  const test = (id: string, token = analyst) =>
    s.gql<{ testChannel: { ok: boolean; retryable: boolean | null; error: string | null; status: number | null; sent: any } }>(
      'mutation ($id: ID!) { testChannel(id: $id) { ok retryable error status durationMs sent } }',
      { id },
      token,
    );

  it('lists the channel types with their configuration as JSON Schema', async () => {
    const r = await s.gql<{ notificationChannelTypes: { type: string; secretFields: string[]; configSchema: any; templates: any }[] }>(
      '{ notificationChannelTypes { type secretFields configSchema templates } }',
      {},
      viewer,
    );
    expect(r.data!.notificationChannelTypes.map((t) => t.type)).toEqual(['email', 'teams', 'webhook', 'gotify', 'log']);
    const email = r.data!.notificationChannelTypes.find((t) => t.type === 'email')!;
    expect(email.secretFields).toEqual(['password']);
    expect(email.configSchema.properties).toHaveProperty('host');
    expect(Object.keys(email.templates).sort()).toEqual(['html', 'subject', 'text']);
  });

  it('keeps secrets write-only and sealed, and delivers a signed test message', async () => {
    const made = await create({
      n: 'ops webhook',
      t: 'webhook',
      c: { url: `${receiver.url}/hook`, headers: { 'X-Team': 'ops' }, secretHeaders: { Authorization: TOKEN }, hmacSecret: HMAC },
    });
    expect(made.errors).toBeUndefined();
    const ch = made.data!.createNotificationChannel;
    expect(ch.config).toEqual({ headers: { 'X-Team': 'ops' } });
    expect(ch.secretsSet).toEqual(['hmacSecret', 'secretHeaders', 'url']);
    const everything = JSON.stringify(await s.gql(`{ notificationChannels { ${FIELDS} } }`, {}, viewer));
    expect(everything).not.toContain(HMAC);
    expect(everything).not.toContain('very-secret-token');
    expect(everything).not.toContain(`${receiver.url}/hook`);
    const [row] = await s.testDb.sql.query<{ all: string }>(`SELECT row_to_json(c)::text AS all FROM notification_channels c WHERE id = $1`, [Number(ch.id)]);
    expect(row!.all).not.toContain(HMAC);
    expect(row!.all).not.toContain('very-secret-token');
    expect(row!.all).not.toContain(`${receiver.url}/hook`);

    // an update that leaves the secrets out keeps them (the URL is one: many carry a token)
    const kept = await update({ id: ch.id, c: { headers: {} }, v: 1 });
    expect(kept.errors).toBeUndefined();
    expect((await test(ch.id)).data!.testChannel).toMatchObject({ ok: true });
    expect(receiver.received.at(-1)!.path).toBe('/hook');
    const changed = await update({ id: ch.id, c: { url: `${receiver.url}/hook2`, headers: {} }, v: 2 });
    expect(changed.errors).toBeUndefined();
    expect(changed.data!.updateNotificationChannel).toMatchObject({ version: 3, config: { headers: {} }, secretsSet: ['hmacSecret', 'secretHeaders', 'url'] });

    const sent = await test(ch.id);
    expect(sent.errors).toBeUndefined();
    expect(sent.data!.testChannel).toMatchObject({ ok: true, status: 200, error: null });
    expect(JSON.stringify(sent.data)).not.toContain(HMAC);
    const got = receiver.received.at(-1)!;
    expect(got.path).toBe('/hook2');
    expect(got.headers.authorization).toBe(TOKEN);
    const stamp = String(got.headers['x-esmon-timestamp']);
    expect(got.headers['x-esmon-signature']).toBe(`sha256=${createHmac('sha256', HMAC).update(`${stamp}.${got.body.toString('utf8')}`).digest('hex')}`);
    expect(JSON.parse(got.body.toString('utf8'))).toMatchObject({ kind: 'test', alerts: [{ hostname: 'maximo-app-01' }, { hostname: 'maximo-app-02' }] });

    // null clears a secret; a stale version is refused
    const cleared = await update({ id: ch.id, c: { url: `${receiver.url}/hook2`, hmacSecret: null } });
    expect(cleared.data!.updateNotificationChannel.secretsSet).toEqual(['secretHeaders', 'url']);
    const stale = await update({ id: ch.id, c: { url: `${receiver.url}/x` }, v: 1 });
    expect(stale.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('says why a test message did not arrive, and whether trying again can help', async () => {
    const down = await startReceiver();
    await down.close();
    const made = await create({ n: 'gone', t: 'webhook', c: { url: `${down.url}/hook` } });
    // the schema's empty default of secret headers is no secret: only the URL is "set"
    expect(made.data!.createNotificationChannel.secretsSet).toEqual(['url']);
    const r = await test(made.data!.createNotificationChannel.id);
    expect(r.data!.testChannel).toMatchObject({ ok: false, retryable: true });
    expect(r.data!.testChannel.error).toMatch(/ECONNREFUSED/);
  });

  it('refuses bad input naming the field, and a name used twice', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ n: 'x', t: 'pager', c: {} }, /^type: no channel type "pager"/],
      [{ n: 'x', t: 'webhook', c: { url: 'ftp://example.com' } }, /^config\.url: /],
      [{ n: 'x', t: 'email', c: { host: 'smtp.example.com', security: 'starttls', from: 'a@example.com', to: ['not an address'] } }, /^config\.to/],
      [{ n: 'x', t: 'gotify', c: { url: 'https://gotify.example.com', token: 'abcdef' }, tp: { title: '{{#a}}' } }, /^templates\.title: 1:1: \{\{#a\}\} is not closed/],
      [{ n: 'x', t: 'gotify', c: { url: 'https://gotify.example.com', token: 'abcdef' }, tp: { footer: 'x' } }, /^templates\.footer: a gotify channel has no part "footer"/],
      [{ n: ' ', t: 'log', c: {} }, /^name: a name/],
    ];
    for (const [vars, message] of cases) {
      const r = await create(vars);
      expect(r.errors?.[0]?.extensions?.code, JSON.stringify(vars)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0]?.message).toMatch(message);
    }
    expect((await create({ n: 'audit log', t: 'log', c: {} })).errors).toBeUndefined();
    expect((await create({ n: 'audit log', t: 'log', c: {} })).errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('lets admins change channels, analysts test and preview, viewers only read', async () => {
    expect((await create({ n: 'by analyst', t: 'log', c: {} }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const id = (await create({ n: 'log2', t: 'log', c: {} })).data!.createNotificationChannel.id;
    expect((await test(id, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await test(id, analyst)).data!.testChannel.ok).toBe(true);
    const preview = await s.gql<{ previewNotification: any }>(
      'query ($id: ID!, $t: JSON) { previewNotification(id: $id, templates: $t) }',
      { id: (await s.gql<{ notificationChannels: { id: string; type: string }[] }>('{ notificationChannels { id type } }', {}, viewer)).data!.notificationChannels.find((c) => c.type === 'webhook')!.id },
      analyst,
    );
    expect(preview.errors).toBeUndefined();
    expect(JSON.stringify(preview.data)).not.toContain('very-secret-token');
    const del = await s.gql('mutation ($id: ID!) { deleteNotificationChannel(id: $id) }', { id }, viewer);
    expect(del.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await s.gql('mutation ($id: ID!) { deleteNotificationChannel(id: $id) }', { id }, admin)).errors).toBeUndefined();
  });

  it('reads the routing policy (the default until one is set), and lets admins replace it, checked', async () => {
    const read = async () => (await s.gql<{ notificationPolicy: any }>('{ notificationPolicy }', {}, viewer)).data!.notificationPolicy;
    expect((await read()).routes).toEqual([
      { match: { severity: ['very_critical'] }, channels: ['email'], continue: true },
      { channels: ['log'] },
    ]);
    const set = (policy: unknown, token = admin) => s.gql<{ setNotificationPolicy: any }>('mutation ($p: JSON) { setNotificationPolicy(policy: $p) }', { p: policy }, token);
    expect((await set({ routes: [{ channels: ['log'] }] }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await set({ routes: [{ channels: ['pagerduty'] }] })).errors?.[0]?.message).toBe('policy: no channel named "pagerduty"');
    expect((await set({ routes: [{ match: { severity: ['fatal'] }, channels: ['log'] }] })).errors?.[0]?.message).toMatch(/^policy\.routes\.0\.match\.severity\.0: /);
    expect((await set({ groupWaitSeconds: 10, routes: [{ match: { labels: { env: 'prod' } }, channels: ['log'] }] })).errors).toBeUndefined();
    expect(await read()).toEqual({ groupWaitSeconds: 10, routes: [{ match: { labels: { env: 'prod' } }, channels: ['log'] }] });
    expect((await set(null)).errors).toBeUndefined();
    expect((await read()).routes).toHaveLength(2);
  });
});
