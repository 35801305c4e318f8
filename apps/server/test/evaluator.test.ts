// Live evaluation through the real pipeline: ingest over HTTP → commit → evaluator → alert rows,
// history, the alertEvents bus channel and, through the notification pipeline, a webhook channel;
// and a restart in the middle of pending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { loadRules } from '../src/evaluator/evaluator.ts';
import { createLogger } from '../src/log.ts';
import type { WebhookDocument } from '../src/notify/channels/webhook/document.ts';
import { startReceiver, type Receiver } from '../src/notify/channels/webhook/test-receiver.ts';
import { createNotificationPipeline } from '../src/notify/pipeline.ts';
import { collect, startTestServer, type TestServer } from './harness.ts';
import { insertRule } from './rule-fixture.ts';

const MIN = 60_000;

describe(`live rule evaluation (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let key: string;
  let seq = 0;
  const send = async (hostname: string, points: [ts: number, value: number][], metric = 'app.load', labels?: Record<string, string>) => {
    const res = await s.ingest(
      { batchId: `eval-${process.pid}-${++seq}`, hosts: [{ hostname, samples: points.map(([ts, value]) => ({ metric, ts, value, ...(labels ? { labels } : {}) })) }] },
      key,
    );
    expect(res.status).toBe(200);
  };
  const history = async (ruleId: number) =>
    s.testDb.sql.query<{ kind: string; from_state: string; to_state: string; severity: string | null; message: string; notify: boolean }>(
      `SELECT e.kind, e.from_state::text, e.to_state::text, e.severity::text, e.message, e.notify FROM alert_events e
       JOIN alerts a ON a.id = e.alert_id WHERE a.rule_id = $1 ORDER BY e.id`,
      [ruleId],
    );

  // A webhook channel and a policy sending every alert to it, made over GraphQL as an admin would.
  // Its receiver refuses the first request, so that delivery must be retried. The server's own
  // dispatcher is off: the test runs the same pipeline on a clock it moves, so the group interval
  // and the retry's backoff pass at once and the messages arrive in a known order.
  let receiver: Receiver;
  let channelId: string;
  let clock = Date.now();
  const GROUP_INTERVAL_S = 10;
  const bodies = () => receiver.received.map((r) => JSON.parse(r.body.toString('utf8')) as WebhookDocument);

  beforeAll(async () => {
    let requests = 0;
    receiver = await startReceiver((_req, res) => res.writeHead(++requests === 1 ? 503 : 204).end());
    s = await startTestServer({ ESMON_NOTIFY_DISPATCHER: 'off' });
    key = await s.integrationKey('analyst');
    const admin = await s.login();
    const made = await s.gql<{ createNotificationChannel: { id: string } }>(
      'mutation ($n: String!, $c: JSON!) { createNotificationChannel(name: $n, type: "webhook", config: $c) { id } }',
      { n: 'evaluator hooks', c: { url: `${receiver.url}/hook` } },
      admin,
    );
    if (!made.data) throw new Error(JSON.stringify(made.errors));
    channelId = made.data.createNotificationChannel.id;
    const policy = await s.gql(
      'mutation ($p: JSON) { setNotificationPolicy(policy: $p) }',
      { p: { routes: [{ channels: ['evaluator hooks'], groupBy: ['rule'], groupWaitSeconds: 0, groupIntervalSeconds: GROUP_INTERVAL_S }] } },
      admin,
    );
    if (policy.errors) throw new Error(JSON.stringify(policy.errors));
  });
  afterAll(async () => {
    await s?.close();
    await receiver?.close();
  });

  it('fires, rises and falls in severity inside one incident, and resolves through recovery thresholds', async () => {
    const ruleId = await insertRule(s.db.sql, s.bus, {
      name: 'load levels',
      expression: 'last(app.load, "5m")',
      comparator: '>',
      levels: [
        { severity: 'warning', threshold: 80, recovery: 70 },
        { severity: 'critical', threshold: 90, recovery: 85 },
      ],
      annotations: { summary: 'load on {{host}} is {{value}} ({{severity}})' },
    });
    await s.evaluator.settled();
    const { items: received, stop } = collect(s.bus.subscribe('alertEvents'));
    // the notification pipeline as the server runs it, but on the test's clock
    const pipeline = createNotificationPipeline({ sql: s.testDb.sql, notify: s.notify, log: createLogger('silent'), now: () => clock, random: () => 0.5, sendTimeoutMs: 5_000 });
    const t = Date.now() - 10 * MIN;
    // each sample evaluated, then the dispatcher's rounds for longer than the group interval and
    // the first retry's backoff (at most 5 s): every transition is said before the next one comes
    const step = async (point: [ts: number, value: number]) => {
      await send('ev-1', [point]);
      await s.evaluator.settled();
      for (const end = clock + 2 * GROUP_INTERVAL_S * 1000; clock < end; clock += 5_000) await pipeline.runOnce();
    };
    await step([t, 50]);
    await step([t + MIN, 85]); // warning
    await step([t + 2 * MIN, 95]); // critical
    await step([t + 3 * MIN, 87]); // above critical's recovery 85: stays critical
    await step([t + 4 * MIN, 80]); // back to warning
    await step([t + 5 * MIN, 72]); // above warning's recovery 70: still firing
    await step([t + 6 * MIN, 60]); // resolved
    const rows = await history(ruleId);
    expect(rows.map((r) => `${r.kind}:${r.from_state}>${r.to_state}:${r.severity ?? ''}`)).toEqual([
      'state:ok>firing:warning',
      'severity:firing>firing:critical',
      'severity:firing>firing:warning',
      'state:firing>resolved:',
    ]);
    expect(rows.every((r) => r.notify)).toBe(true);
    const alerts = await s.testDb.sql.query<{ state: string; open_key: string | null; annotations: Record<string, string>; fired_at: Date }>(
      'SELECT state::text, open_key, annotations, fired_at FROM alerts WHERE rule_id = $1',
      [ruleId],
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'resolved', open_key: null });
    expect(alerts[0]!.fired_at.getTime()).toBe(t + MIN);
    expect(alerts[0]!.annotations.summary).toBe('load on ev-1 is 60 ()');
    stop();
    expect(received.map((m) => m.toState)).toEqual(['firing', 'firing', 'firing', 'resolved']);
    expect(received[0]).toMatchObject({ ruleId, ruleName: 'load levels', hostname: 'ev-1', labels: { host: 'ev-1' } });
    // every notifying transition reaches the webhook channel as a message of its own, in order;
    // the refused first request is sent again, the same notification (its id unchanged)
    const hooks = bodies();
    expect(receiver.received.map((r) => r.path)).toEqual(Array(5).fill('/hook'));
    expect(hooks[1]!.id).toBe(hooks[0]!.id);
    expect(receiver.received[1]!.headers['x-esmon-notification']).toBe(hooks[0]!.id);
    const said = hooks.slice(1);
    expect(said.map((h) => `${h.kind}:${h.severity ?? ''}:${h.alerts.map((a) => `${a.state}/${a.severity ?? ''}`).join(',')}`)).toEqual([
      'firing:warning:firing/warning',
      'firing:critical:firing/critical',
      'firing:warning:firing/warning',
      'resolved::resolved/',
    ]);
    expect(new Set(said.map((h) => h.id)).size).toBe(4);
    for (const h of said) {
      expect(h).toMatchObject({ version: 1, groupLabels: { rule: 'load levels' } });
      expect(h.alerts).toHaveLength(1);
      expect(h.alerts[0]).toMatchObject({
        rule: { id: String(ruleId), name: 'load levels' },
        hostname: 'ev-1',
        labels: { host: 'ev-1' },
        since: new Date(t + MIN).toISOString(),
      });
    }
    expect(said[0]!.title).toBe('[WARNING] load levels on ev-1');
    expect(said[1]!.alerts[0]!.value).toBe(95);
    expect(said[3]!.alerts[0]!.resolvedAt).toBe(new Date(t + 6 * MIN).toISOString());
    const deliveries = await s.testDb.sql.query<{ kind: string; status: string; attempts: number }>(
      `SELECT kind, status, attempts FROM notification_deliveries WHERE channel_id = $1 ORDER BY id`,
      [Number(channelId)],
    );
    expect(deliveries.map((d) => `${d.kind}:${d.status}:${d.attempts}`)).toEqual(['firing:delivered:2', 'firing:delivered:1', 'firing:delivered:1', 'resolved:delivered:1']);
    // the evaluator's own figures on /metrics
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    const figure = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
    expect(figure('esmon_eval_evaluations_total')).toBeGreaterThanOrEqual(7);
    expect(figure('esmon_eval_skipped_total')).toBe(0);
    expect(figure('esmon_eval_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(figure('esmon_eval_points')).toBeGreaterThanOrEqual(7);
  });

  it('runs every stored rule as saved, the default ones included', async () => {
    const rules = await loadRules(s.db.prisma);
    const names = rules.map((r) => r.definition.name);
    expect(names).toEqual(expect.arrayContaining(['Host offline', 'CPU usage', 'Memory usage', 'Disk usage']));
    const cpu = rules.find((r) => r.definition.name === 'CPU usage')!;
    expect(cpu.compiled.type).toBe('value');
    expect(cpu.policy.levels.map((l) => [l.severity, l.threshold, l.recovery])).toEqual([
      ['warning', 80, 75],
      ['critical', 90, 85],
    ]);
  });

  it('keeps the pending time across a restart', async () => {
    const ruleId = await insertRule(s.db.sql, s.bus, {
      name: 'queue depth',
      expression: 'max(app.queue, "2m") >= 100',
      levels: [{ severity: 'critical' }],
      forSeconds: 180,
    });
    await s.evaluator.settled();
    const t = Date.now() - 20 * MIN;
    await send('ev-2', [[t, 150]], 'app.queue');
    await s.evaluator.settled();
    expect((await history(ruleId)).map((r) => r.to_state)).toEqual(['pending']);
    // the server stops and a new one starts on the same database: it rebuilds from the store
    await s.restart();
    await send('ev-2', [[t + 2 * MIN, 140]], 'app.queue'); // 2 min pending: not yet
    await send('ev-2', [[t + 3 * MIN, 130]], 'app.queue'); // 3 min pending: fires
    await s.evaluator.settled();
    const rows = await history(ruleId);
    expect(rows.map((r) => r.to_state)).toEqual(['pending', 'firing']);
    expect(rows[1]!.message).toContain('for 3m');
  });
});
