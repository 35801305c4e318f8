// Alert transitions to messages, against the real database and real receivers, on a clock the
// test moves: a transition stored with notify = true is routed by the policy into groups, a group
// speaks once its wait is over, and the outbox delivers. The seed's policy sends very_critical by
// email (a real SMTP server) and everything to the log; a burst of 100 alerts of one rule inside
// the group wait becomes one message; a resolution is said, after which the group is gone; an
// unacknowledged critical group escalates to the next channel, an acknowledged one does not.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { parseMail, startSmtp, type TestSmtp } from '../src/notify/channels/email/smtp-test-server.ts';
import { startReceiver, type Receiver } from '../src/notify/channels/webhook/test-receiver.ts';
import { createLogger } from '../src/log.ts';
import { createNotificationPipeline } from '../src/notify/pipeline.ts';
import type { Outbox } from '../src/notify/outbox.ts';
import { startTestServer, type TestServer } from './harness.ts';

const S = 1000;

describe('from alert transitions to messages', () => {
  let s: TestServer;
  let admin: string;
  let clock = Date.parse('2026-11-24T10:00:00Z');
  let pipeline: Outbox;
  let hosts = 0;

  beforeAll(async () => {
    s = await startTestServer({ ESMON_NOTIFY_DISPATCHER: 'off', ESMON_EVALUATOR: 'off' });
    admin = await s.login();
    pipeline = createNotificationPipeline({ sql: s.testDb.sql, notify: s.notify, log: createLogger('silent'), now: () => clock, random: () => 0.5, sendTimeoutMs: 5_000 });
  });
  afterAll(async () => {
    await s?.close();
  });
  beforeEach(async () => {
    // each test starts with no alerts and no groups
    await s.testDb.sql.query(`DELETE FROM notification_groups`);
    await s.testDb.sql.query(`DELETE FROM alerts`);
  });

  const gql = async <T>(q: string, v: Record<string, unknown> = {}) => {
    const r = await s.gql<T>(q, v, admin);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data;
  };
  const channel = (name: string, type: string, config: unknown) =>
    gql<{ createNotificationChannel: { id: string } }>('mutation ($n: String!, $t: String!, $c: JSON!) { createNotificationChannel(name: $n, type: $t, config: $c) { id } }', { n: name, t: type, c: config });
  const setPolicy = (policy: unknown) =>
    s.testDb.sql.query(`INSERT INTO notification_policy (id, policy, updated_at) VALUES (1, $1::jsonb, now()) ON CONFLICT (id) DO UPDATE SET policy = EXCLUDED.policy`, [JSON.stringify(policy)]);

  /** An alert of `rule` on a new host, stored with its notifying event, as the alert writer would. */
  async function raise(rule: string, severity: 'warning' | 'critical' | 'very_critical'): Promise<number> {
    const hostname = `pipe-host-${++hosts}`;
    const [{ id: hostId }] = (await s.testDb.sql.query<{ id: number }>(`INSERT INTO hosts (hostname, updated_at) VALUES ($1, now()) RETURNING id`, [hostname])) as [{ id: number }];
    const [{ id: ruleId }] = (await s.testDb.sql.query<{ id: number }>(`SELECT id FROM rules WHERE name = $1`, [rule])) as [{ id: number }];
    const at = new Date(clock);
    const [{ id }] = (await s.testDb.sql.query<{ id: number }>(
      `INSERT INTO alerts (rule_id, fingerprint, host_id, labels, state, severity, value, started_at, fired_at, open_key, annotations, updated_at)
       VALUES ($1, $2, $3, $4::jsonb, 'firing', $5::"Severity", 97.5, $6, $6, $2, $7::jsonb, now()) RETURNING id`,
      [ruleId, `${ruleId}:${hostname}`, hostId, JSON.stringify({ host: hostname }), severity, at, JSON.stringify({ summary: `${rule} on ${hostname}` })],
    )) as [{ id: number }];
    await s.testDb.sql.query(`INSERT INTO alert_events (alert_id, at, kind, from_state, to_state, severity, value, notify) VALUES ($1, $2, 'state', 'pending', 'firing', $3::"Severity", 97.5, true)`, [id, at, severity]);
    return id;
  }
  async function resolve(id: number): Promise<void> {
    const at = new Date(clock);
    await s.testDb.sql.query(`UPDATE alerts SET state = 'resolved', resolved_at = $2, open_key = NULL WHERE id = $1`, [id, at]);
    await s.testDb.sql.query(`INSERT INTO alert_events (alert_id, at, kind, from_state, to_state, notify) VALUES ($1, $2, 'state', 'firing', 'resolved', true)`, [id, at]);
  }
  async function runFor(seconds: number, step = 5): Promise<void> {
    const end = clock + seconds * S;
    while (clock < end) {
      await pipeline.runOnce();
      clock += step * S;
    }
  }
  const deliveries = (channelId: string) =>
    s.testDb.sql.query<{ kind: string; status: string; payload: { alerts: { id: string; state: string }[]; title: string } }>(
      `SELECT kind, status, payload FROM notification_deliveries WHERE channel_id = $1 ORDER BY id`,
      [Number(channelId)],
    );

  it('the seed policy: very_critical by email and to the log, warning to the log only', async () => {
    const smtp: TestSmtp = await startSmtp();
    const email = await channel('email', 'email', { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'esmon@example.test', to: ['oncall@example.test'] });
    const log = (await gql<{ notificationChannels: { id: string; name: string }[] }>('{ notificationChannels { id name } }')).notificationChannels.find((c) => c.name === 'log')!;
    await raise('CPU usage', 'warning');
    await raise('Disk usage', 'very_critical');
    await runFor(60);
    await smtp.close();

    expect(smtp.received).toHaveLength(1);
    expect(parseMail(smtp.received[0]!.raw).headers.subject).toMatch(/^\[VERY CRITICAL\] Disk usage on pipe-host-\d+$/);
    expect((await deliveries(email.createNotificationChannel.id)).map((d) => [d.kind, d.status])).toEqual([['firing', 'delivered']]);
    const logged = await deliveries(log.id);
    expect(logged.map((d) => `${d.kind}:${d.status}:${d.payload.title.replace(/pipe-host-\d+/, 'H')}`).sort()).toEqual([
      'firing:delivered:[VERY CRITICAL] Disk usage on H',
      'firing:delivered:[WARNING] CPU usage on H',
    ]);
  });

  it('100 alerts of one rule inside the group wait: one message; their resolution: one more; then the group is gone', async () => {
    const receiver: Receiver = await startReceiver();
    const hooks = await channel('burst hooks', 'webhook', { url: `${receiver.url}/hook` });
    await setPolicy({ routes: [{ channels: ['burst hooks'], groupBy: ['rule'], groupWaitSeconds: 30, groupIntervalSeconds: 60 }] });
    const ids: number[] = [];
    for (let i = 0; i < 100; i++) {
      ids.push(await raise('Memory usage', 'critical'));
      if (i % 10 === 9) await runFor(2, 2); // the burst spreads over 20 s, the dispatcher running meanwhile
    }
    await runFor(40);
    expect(receiver.received).toHaveLength(1);
    const first = JSON.parse(receiver.received[0]!.body.toString('utf8')) as { kind: string; alerts: unknown[] };
    expect(first.kind).toBe('firing');
    expect(first.alerts).toHaveLength(100);

    for (const id of ids) await resolve(id);
    await runFor(90);
    await receiver.close();
    expect(receiver.received).toHaveLength(2);
    const second = JSON.parse(receiver.received[1]!.body.toString('utf8')) as { kind: string; alerts: { state: string }[] };
    expect(second.kind).toBe('resolved');
    expect(second.alerts.every((a) => a.state === 'resolved')).toBe(true);
    expect((await s.testDb.sql.query(`SELECT id FROM notification_groups`)).length).toBe(0);
    const sent = await deliveries(hooks.createNotificationChannel.id);
    console.log(`[notify ${testDatabaseKind()}] 100 alerts in one group: ${sent.length} messages (${sent.map((d) => `${d.kind} ${d.payload.alerts.length} alerts`).join(', ')}), ${receiver.received.length} received`);
  });

  it('a still-firing, unacknowledged group is sent again after the repeat interval; acknowledged, it is not', async () => {
    const receiver = await startReceiver();
    await channel('repeat hooks', 'webhook', { url: `${receiver.url}/hook` });
    await setPolicy({ routes: [{ channels: ['repeat hooks'], groupWaitSeconds: 10, repeatIntervalSeconds: 120 }] });
    const id = await raise('CPU usage', 'critical');
    await runFor(150);
    expect(receiver.received.map((r) => (JSON.parse(r.body.toString('utf8')) as { kind: string }).kind)).toEqual(['firing', 'renotify']);
    await s.testDb.sql.query(`UPDATE alerts SET acknowledged_at = $2 WHERE id = $1`, [id, new Date(clock)]);
    await runFor(300);
    await receiver.close();
    expect(receiver.received).toHaveLength(2);
  });

  it('an unacknowledged critical group escalates to the next channel after N minutes; an acknowledged one does not', async () => {
    const team = await startReceiver();
    const oncall = await startReceiver();
    await channel('team hooks', 'webhook', { url: `${team.url}/hook` });
    await channel('oncall hooks', 'webhook', { url: `${oncall.url}/hook` });
    await setPolicy({
      routes: [{ channels: ['team hooks'], groupBy: ['host'], groupWaitSeconds: 10, match: { severity: ['critical'] }, escalate: [{ afterMinutes: 15, channels: ['oncall hooks'] }] }],
    });
    const ignored = await raise('CPU usage', 'critical');
    const handled = await raise('CPU usage', 'critical');
    await runFor(5 * 60, 30);
    await s.testDb.sql.query(`UPDATE alerts SET acknowledged_at = $2 WHERE id = $1`, [handled, new Date(clock)]);
    await runFor(20 * 60, 30);
    await team.close();
    await oncall.close();
    expect(team.received).toHaveLength(2); // each group said once
    expect(oncall.received).toHaveLength(1);
    const escalated = JSON.parse(oncall.received[0]!.body.toString('utf8')) as { kind: string; alerts: { id: string }[] };
    expect(escalated.kind).toBe('escalation');
    expect(escalated.alerts.map((a) => a.id)).toEqual([String(ignored)]);
  });
});
