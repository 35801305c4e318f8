// The notification outbox against the real database and real receivers, on a clock the test
// moves: a message waits out a receiver that refuses or hangs for five minutes and arrives once;
// a dispatcher that dies between sending and recording leaves a lease that runs out, and the
// message goes again, once; a refusal dead-letters at once; an admin can retry a dead one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox, enqueue, type Outbox } from '../src/notify/outbox.ts';
import type { Notification } from '../src/notify/channel.ts';
import { sampleNotification } from '../src/notify/template-data.ts';
import { answerStatus, hang, startReceiver, type Answer, type Receiver } from '../src/notify/channels/webhook/test-receiver.ts';
import { createLogger } from '../src/log.ts';
import { createServer } from 'node:net';
import { testDatabaseKind } from '@esmon/db/testing';
import { startTestServer, type TestServer } from './harness.ts';

const T0 = Date.parse('2026-11-24T09:00:00Z');

/** A port nobody listens on (until the test starts a receiver there). */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}
const MIN = 60_000;

describe('the notification outbox', () => {
  let s: TestServer;
  let admin: string;
  let clock = T0;
  beforeAll(async () => {
    s = await startTestServer({ ESMON_NOTIFY_DISPATCHER: 'off' });
    admin = await s.login();
  });
  afterAll(async () => {
    await s?.close();
  });

  const outbox = (more: Partial<Parameters<typeof createOutbox>[0]> = {}): Outbox =>
    createOutbox({ sql: s.testDb.sql, notify: s.notify, log: createLogger('silent'), now: () => clock, random: () => 1, sendTimeoutMs: 300, ...more });

  async function webhookChannel(name: string, url: string): Promise<number> {
    const r = await s.gql<{ createNotificationChannel: { id: string } }>(
      'mutation ($n: String!, $c: JSON!) { createNotificationChannel(name: $n, type: "webhook", config: $c) { id } }',
      { n: name, c: { url } },
      admin,
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return Number(r.data.createNotificationChannel.id);
  }
  const message = (): Omit<Notification, 'id'> => {
    const { id: _id, ...n } = sampleNotification('http://workbench.test', new Date(clock));
    return { ...n, kind: 'firing' };
  };
  const delivery = async (id: number) =>
    (await s.testDb.sql.query<{ status: string; attempts: number; last_error: string | null }>(`SELECT status, attempts, last_error FROM notification_deliveries WHERE id = $1`, [id]))[0]!;
  const attempts = async (id: number) =>
    s.testDb.sql.query<{ ok: boolean; retryable: boolean | null; status: number | null; error: string | null }>(`SELECT ok, retryable, status, error FROM notification_attempts WHERE delivery_id = $1 ORDER BY id`, [id]);

  /** Runs the dispatcher every 20 s of the test clock for `minutes`. */
  async function runFor(box: Outbox, minutes: number): Promise<void> {
    const end = clock + minutes * MIN;
    while (clock < end) {
      await box.runOnce();
      clock += 20_000;
    }
  }

  it('delivers once after five minutes of a receiver refusing and then hanging', async () => {
    const port = await freePort();
    const channel = await webhookChannel('flaky', `http://127.0.0.1:${port}/hook`);
    const id = await enqueue(s.testDb.sql, channel, message(), clock);
    const box = outbox();
    await runFor(box, 2.5); // nobody listens: refused
    let answer: Answer = hang;
    const receiver: Receiver = await startReceiver((req, res) => answer(req, res), port);
    await runFor(box, 2.5); // it listens but never answers
    expect(receiver.received.length).toBeGreaterThan(0);
    expect((await delivery(id)).status).toBe('pending');
    const failed = receiver.received.length;
    answer = answerStatus(200, 'ok');
    await runFor(box, 10);
    await receiver.close();

    const d = await delivery(id);
    expect(d.status).toBe('delivered');
    const log = await attempts(id);
    expect(log.at(-1)).toMatchObject({ ok: true, status: 200 });
    expect(log.filter((a) => a.ok)).toHaveLength(1);
    expect(log.some((a) => a.error?.includes('ECONNREFUSED'))).toBe(true);
    expect(log.some((a) => a.error?.startsWith('no answer within'))).toBe(true);
    expect(log.every((a) => a.ok || a.retryable)).toBe(true);
    // exactly one request after the receiver came good, and every request carried the same id
    expect(receiver.received.length).toBe(failed + 1);
    expect(new Set(receiver.received.map((r) => r.headers['x-esmon-notification']))).toEqual(new Set([`n-${id}`]));
    console.log(`[outbox ${testDatabaseKind()}] receiver down 5 min: ${log.length} attempts, ${log.filter((a) => a.ok).length} delivered, ${receiver.received.length - failed - 1} duplicates`);
  });

  it('a dispatcher dying between send and record: the lease runs out, the message goes once more', async () => {
    const receiver = await startReceiver(answerStatus(200, 'ok'));
    const channel = await webhookChannel('crashy', `${receiver.url}/hook`);
    const id = await enqueue(s.testDb.sql, channel, message(), clock);
    const dying = outbox({ afterSend: () => Promise.reject(new Error('killed after sending')) });
    await expect(dying.runOnce()).rejects.toThrow('killed after sending');
    expect(receiver.received).toHaveLength(1);
    const healthy = outbox();
    expect(await healthy.runOnce()).toBe(0); // leased: nobody sends it meanwhile
    clock += 2 * MIN; // past the lease
    expect(await healthy.runOnce()).toBe(1);
    await healthy.runOnce();
    await receiver.close();
    expect(await delivery(id)).toMatchObject({ status: 'delivered', attempts: 2 });
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers['x-esmon-notification']).toBe(receiver.received[1]!.headers['x-esmon-notification']);
    console.log(`[outbox ${testDatabaseKind()}] killed between send and record: sent 2, delivered 1 record, 1 duplicate (same id)`);
  });

  it('dead-letters a refusal at once, and an admin can send it again', async () => {
    let status = 404;
    const receiver = await startReceiver((req, res) => answerStatus(status, status === 404 ? 'no such hook' : 'ok')(req, res));
    const channel = await webhookChannel('refusing', `${receiver.url}/hook`);
    const id = await enqueue(s.testDb.sql, channel, message(), clock);
    const box = outbox();
    await runFor(box, 1);
    expect(await delivery(id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect((await delivery(id)).last_error).toMatch(/^refused: HTTP 404: no such hook/);

    const log = await s.gql<{ notificationDeliveries: { id: string; status: string; attempts: { ok: boolean; status: number }[] }[] }>(
      'query ($c: ID) { notificationDeliveries(channelId: $c) { id status attempts { ok status } } }',
      { c: String(channel) },
      admin,
    );
    expect(log.errors).toBeUndefined();
    expect(log.data!.notificationDeliveries).toEqual([{ id: String(id), status: 'dead', attempts: [{ ok: false, status: 404 }] }]);

    status = 200;
    const retried = await s.gql('mutation ($id: ID!) { retryNotificationDelivery(id: $id) { status } }', { id: String(id) }, admin);
    expect(retried.errors).toBeUndefined();
    await box.runOnce();
    await receiver.close();
    expect((await delivery(id)).status).toBe('delivered');
  });

  it('gives up after the most attempts its policy allows', async () => {
    const port = await freePort();
    const channel = await webhookChannel('never', `http://127.0.0.1:${port}/hook`);
    const id = await enqueue(s.testDb.sql, channel, message(), clock);
    const box = outbox({ retry: { baseDelayMs: 1000, maxDelayMs: 1000, maxAttempts: 3, maxAgeMs: 3600_000 } });
    await runFor(box, 2);
    expect(await delivery(id)).toMatchObject({ status: 'dead', attempts: 3 });
    expect((await delivery(id)).last_error).toMatch(/^gave up after 3 attempts: /);
  });
});
