// A notification across a server crash, with real processes: the server is killed with SIGKILL
// between the commit of a firing transition and its send, and again while the send is under way
// (the receiver has the request, the server has not recorded it). After a restart on the same
// database (PostgreSQL when TEST_DATABASE_URL is set, else PGlite in the same ESMON_DATA_DIR) the
// notification arrives: none lost, at most one duplicate, carrying the same notification id.
// The second case waits out the outbox's lease (twice ESMON_NOTIFY_SEND_TIMEOUT, 20 s here), since
// only then may another process send what a dead one claimed.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresTestDatabase, testDatabaseKind } from '@esmon/db/testing';
import { startReceiver, type Received, type Receiver } from '../../apps/server/src/notify/channels/webhook/test-receiver.ts';
import { freePort, gql, loginToken, runTs, serverCli, tempDir, waitUntil, type Proc } from '../src/processes.ts';

const PASSWORD = 'e2e-admin-password';
const HOST = 'crash-host';
const DB = testDatabaseKind() === 'postgres' ? 'postgresql' : 'pglite';

interface Delivery {
  id: string;
  status: string;
  attemptCount: number;
  deliveredAt: string | null;
  attempts: { ok: boolean; status: number | null }[];
  payload: { id: string };
}

/** What a receiver saw: POSTs, distinct notification ids, and the counts the issue asks for. */
function counts(received: Received[], expected: number) {
  const ids = received.map((r) => String(r.headers['x-esmon-notification']));
  const distinct = new Set(ids).size;
  return { ids, sent: received.length, delivered: distinct, duplicates: received.length - distinct, lost: expected - distinct };
}

describe(`a notification across a server crash (${DB})`, () => {
  let env: Record<string, string>;
  let url: string;
  let dataDir: string;
  let server: Proc | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  let token: string;
  let agentKey: string;
  const receivers: Receiver[] = [];
  const routes: unknown[] = [];

  async function start(): Promise<void> {
    const started = runTs(serverCli, ['serve'], env);
    server = started;
    await waitUntil('server healthy', async () => ((await fetch(`${url}/healthz`)).ok ? true : undefined), 60_000, started);
    token = await loginToken(url, 'admin@localhost', PASSWORD);
  }

  /** SIGKILL: no shutdown, nothing flushed or recorded. */
  async function crash(): Promise<void> {
    expect(await server!.kill()).toBe('SIGKILL');
  }

  async function api<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await gql<T>(url, query, variables, token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data;
  }

  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    dataDir = await tempDir('esmon-e2e-crash-');
    env = {
      PORT: String(port),
      ESMON_DATA_DIR: dataDir,
      ESMON_ADMIN_PASSWORD: PASSWORD,
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      // the same key across restarts, or the channels' sealed secrets could not be opened
      ESMON_SECRET_KEY: randomBytes(32).toString('base64'),
      ESMON_PUBLIC_URL: url,
      // the test's host sends one sample per case: it must not turn offline (stale) meanwhile
      ESMON_HOST_OFFLINE_AFTER: '3600',
      // a 10 s send limit: a claim left by the killed server lapses after 20 s, not 60 s. (Shorter
      // limits are hit by a restarting PGlite server busy on one core, and an attempt that timed
      // out would be retried: a duplicate the test would count against the crash.)
      ESMON_NOTIFY_SEND_TIMEOUT: '10s',
    };
    if (process.env.TEST_DATABASE_URL) {
      const db = await createPostgresTestDatabase();
      env.DATABASE_URL = db.url;
      dropDb = db.drop;
    }
    await start();
    agentKey = (await api(`mutation { createApiKey(input: { name: "crash", kind: agent, hostname: "${HOST}" }) { secret } }`)).createApiKey.secret;
  });

  afterAll(async () => {
    const code = await server?.stop();
    await Promise.all(receivers.map((r) => r.close()));
    await dropDb?.();
    await rm(dataDir, { recursive: true, force: true });
    // the last server, started after a crash, shuts down cleanly
    if (server) expect(code).toBe(0);
  });

  /**
   * A webhook channel to a new receiver, a rule on its own metric, and a route sending that rule's
   * alerts (only) to the channel, with `groupWaitSeconds`, never repeated.
   */
  async function setUp(name: string, groupWaitSeconds: number, answer: (r: Received, res: ServerResponse) => void) {
    const receiver = await startReceiver(answer);
    receivers.push(receiver);
    const channel = (await api('mutation ($n: String!, $c: JSON!) { createNotificationChannel(name: $n, type: "webhook", config: $c) { id } }', { n: name, c: { url: `${receiver.url}/hook` } })).createNotificationChannel;
    const metric = `e2e.crash.${name.replace(/\W/g, '_')}`;
    const input = {
      name,
      threshold: { metric, fn: 'last', window: '10m' },
      levels: [{ severity: 'critical', threshold: 90, recovery: 85 }],
      forSeconds: 0,
      noDataPolicy: 'keep_last',
      evalIntervalSeconds: 5,
    };
    const rule = (await api('mutation ($input: RuleInput!) { createRule(input: $input) { rule { id } } }', { input })).createRule.rule;
    routes.push({ match: { rules: [name] }, channels: [name], groupBy: ['rule'], groupWaitSeconds, groupIntervalSeconds: 300, repeatIntervalSeconds: 0 });
    await api('mutation ($p: JSON) { setNotificationPolicy(policy: $p) }', { p: { channels: [], routes } });
    return { receiver, channelId: channel.id as string, ruleId: rule.id as string, metric };
  }

  /** Pushes one sample of 95 (over the threshold 90) as the host's agent would. */
  async function breach(metric: string): Promise<void> {
    const batch = { batchId: `crash-${randomBytes(6).toString('hex')}`, hosts: [{ hostname: HOST, samples: [{ metric, ts: Date.now(), value: 95 }] }] };
    const res = await fetch(`${url}/api/v1/ingest`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${agentKey}` }, body: JSON.stringify(batch) });
    expect(res.status).toBe(200);
  }

  /** The rule's alert once its firing transition, one channels hear of, is committed. */
  const firingCommitted = (ruleId: string) =>
    waitUntil('the firing transition committed', async () => {
      const r = await api('query ($r: [ID!]) { alerts(filter: { ruleIds: $r }) { edges { node { id state history { kind toState notify } } } } }', { r: [ruleId] });
      const alert = r.alerts.edges[0]?.node;
      return alert?.state === 'firing' && alert.history.some((e: any) => e.kind === 'state' && e.toState === 'firing' && e.notify) ? (alert.id as string) : undefined;
    }, 30_000, server);

  const deliveries = async (channelId: string) =>
    (await api<{ notificationDeliveries: Delivery[] }>('query ($c: ID) { notificationDeliveries(channelId: $c) { id status attemptCount deliveredAt attempts { ok status } payload } }', { c: channelId })).notificationDeliveries;

  const deliveredOnce = (channelId: string) =>
    waitUntil('the delivery recorded as delivered', async () => {
      const ds = await deliveries(channelId);
      return ds.length > 0 && ds.every((d) => d.status === 'delivered') ? ds : undefined;
    }, 30_000, server);

  /** The payload names the right alert: the rule, the host, firing. */
  function expectFiringOf(r: Received, rule: string, alertId: string): void {
    const body = JSON.parse(r.body.toString('utf8'));
    expect(body.id).toBe(r.headers['x-esmon-notification']);
    expect(body.kind).toBe('firing');
    expect(body.alerts).toHaveLength(1);
    expect(body.alerts[0]).toMatchObject({ id: alertId, rule: { name: rule }, hostname: HOST, state: 'firing', severity: 'critical', value: 95 });
  }

  it('killed after the transition commits, before any send: delivered after the restart, once', { timeout: 120_000 }, async () => {
    const name = 'crash before send';
    const { receiver, channelId, ruleId, metric } = await setUp(name, 6, (_r, res) => res.writeHead(200).end('ok'));
    await breach(metric);
    const alertId = await firingCommitted(ruleId);
    await crash(); // inside the group wait: the message is not due yet
    expect(receiver.received).toHaveLength(0);

    await start();
    await waitUntil('the firing notification after the restart', async () => (receiver.received.length > 0 ? true : undefined), 60_000, server);
    const [delivery, ...others] = await deliveredOnce(channelId);
    expect(others).toHaveLength(0);
    // recorded as delivered: nothing more can come of it; every POST the receiver got is counted
    const c = counts(receiver.received, 1);
    console.log(`notify crash (${DB}) kill-before-send: sent=${c.sent} delivered=${c.delivered} duplicates=${c.duplicates} lost=${c.lost}`);
    expect(c.delivered).toBe(1);
    expect(c.lost).toBe(0);
    expect(c.duplicates).toBe(0);
    expect(c.ids[0]).toBe(delivery!.payload.id);
    expectFiringOf(receiver.received[0]!, name, alertId);
    expect(delivery!.attempts).toEqual([{ ok: true, status: 200 }]);
  });

  it('killed during the send, before its result is recorded: sent once more after the restart, same id', { timeout: 240_000 }, async () => {
    const name = 'crash during send';
    let killed: Promise<void> | undefined;
    const { receiver, channelId, ruleId, metric } = await setUp(name, 0, (_r, res) => {
      if (killed) {
        res.writeHead(200).end('ok');
        return;
      }
      // the request is here and held open: the server dies waiting for the answer, which comes too late
      killed = crash().then(() => void res.writeHead(200).end('too late'));
    });
    await breach(metric);
    await waitUntil('the server killed during the send', async () => (killed ? true : undefined), 30_000);
    await killed;
    expect(receiver.received).toHaveLength(1);

    await start();
    const alertId = await firingCommitted(ruleId);
    // claimed and sent but never recorded: pending, no attempt, until its lease runs out. (Read
    // before the second POST only, so nothing is resent yet whatever the timing.)
    const [before] = await deliveries(channelId);
    if (receiver.received.length === 1) expect(before).toMatchObject({ status: 'pending', attempts: [], deliveredAt: null });
    await waitUntil('the notification sent again once the lease ran out', async () => (receiver.received.length >= 2 ? true : undefined), 150_000, server);
    const [delivery, ...others] = await deliveredOnce(channelId);
    expect(others).toHaveLength(0);

    const c = counts(receiver.received, 1);
    console.log(`notify crash (${DB}) kill-during-send: sent=${c.sent} delivered=${c.delivered} duplicates=${c.duplicates} lost=${c.lost}`);
    expect(c.delivered).toBe(1);
    expect(c.lost).toBe(0);
    expect(c.duplicates).toBeLessThanOrEqual(1);
    expect(c.sent).toBe(2);
    expect(c.ids).toEqual([delivery!.payload.id, delivery!.payload.id]);
    for (const r of receiver.received) expectFiringOf(r, name, alertId);
    // the one message, delivered exactly once in the log: two claims, one recorded attempt
    expect(delivery).toMatchObject({ status: 'delivered', attemptCount: 2, attempts: [{ ok: true, status: 200 }] });
    expect(delivery!.deliveredAt).not.toBeNull();
  });
});
