// Live evaluation through the real pipeline: ingest over HTTP → commit → evaluator → alert rows,
// history and the alertEvents bus channel; and a restart in the middle of pending.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { loadRules } from '../src/evaluator/evaluator.ts';
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

  // a webhook receiver: the first answer fails, so delivery must retry
  const hooks: { event: { to: string; severity: string | null }; rule: { name: string }; host: { hostname: string } }[] = [];
  let requests = 0;
  let receiver: Server;
  const hookArrived = async (n: number) => {
    for (let i = 0; i < 200 && hooks.length < n; i++) await new Promise((r) => setTimeout(r, 50));
  };

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        if (++requests === 1) return res.writeHead(503).end();
        hooks.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    s = await startTestServer({ ESMON_ALERT_WEBHOOKS: `http://127.0.0.1:${port}/hook` });
    key = await s.integrationKey('analyst');
  });
  afterAll(async () => {
    await s?.close();
    receiver?.close();
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
    const t = Date.now() - 10 * MIN;
    await send('ev-1', [[t, 50]]);
    await send('ev-1', [[t + MIN, 85]]); // warning
    await send('ev-1', [[t + 2 * MIN, 95]]); // critical
    await send('ev-1', [[t + 3 * MIN, 87]]); // above critical's recovery 85: stays critical
    await send('ev-1', [[t + 4 * MIN, 80]]); // back to warning
    await send('ev-1', [[t + 5 * MIN, 72]]); // above warning's recovery 70: still firing
    await send('ev-1', [[t + 6 * MIN, 60]]); // resolved
    await s.evaluator.settled();
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
    // every notifying event reaches the webhook, the refused first delivery included
    await hookArrived(4);
    expect(hooks.map((h) => `${h.event.to}:${h.event.severity ?? ''}`).sort()).toEqual(
      ['firing:warning', 'firing:critical', 'firing:warning', 'resolved:'].sort(),
    );
    expect(hooks[0]).toMatchObject({ rule: { name: 'load levels' }, host: { hostname: 'ev-1' } });
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
