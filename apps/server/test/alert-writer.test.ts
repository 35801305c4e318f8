// The alert writer's memory of what channels heard, against the real database: an alert whose
// firing a mute held is listed as held (to announce when the mute ends) until it is announced, and
// the recovery of an alert the channels never heard fire is not announced either. The mute is the
// writer's function-typed seam, set by the test; live evaluation is covered in muting.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import type { AlertState, AlertStatus } from '../src/alerts/types.ts';
import { createAlertWriter, type AlertWriter } from '../src/evaluator/alert-writer.ts';
import type { Evaluation, Instance } from '../src/evaluator/engine.ts';
import { loadRules } from '../src/evaluator/evaluator.ts';
import { createLogger } from '../src/log.ts';
import type { RunnableRule } from '../src/rules/definition.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { insertRule } from './rule-fixture.ts';

describe(`the alert writer's announcements (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let rule: RunnableRule;
  let writer: AlertWriter;
  let muted: string | undefined;
  let hosts = 0;

  beforeAll(async () => {
    s = await startTestServer({ ESMON_EVALUATOR: 'off', ESMON_NOTIFY_DISPATCHER: 'off' });
    const ruleId = await insertRule(s.testDb.sql, undefined, { name: 'aw load', expression: 'last(aw.load, "10m")', levels: [{ severity: 'warning', threshold: 50 }] });
    [rule] = (await loadRules(s.testDb.prisma, [ruleId])) as [RunnableRule];
    writer = createAlertWriter({ sql: s.testDb.sql, bus: s.bus, log: createLogger('silent'), mute: () => muted });
  });
  afterAll(async () => {
    await s?.close();
  });

  async function newInstance(): Promise<Instance> {
    const hostname = `aw-${++hosts}`;
    const [h] = await s.testDb.sql.query<{ id: number }>(`INSERT INTO hosts (hostname, updated_at) VALUES ($1, now()) RETURNING id`, [hostname]);
    const status: AlertStatus = { state: 'ok', changes: [], flapping: false, suppressed: false };
    return { key: `host:${h!.id}`, ruleId: rule.id, hostId: h!.id, hostname, group: {}, series: [], status, lastEvalAt: 0, firstSeen: 0 };
  }
  async function transition(instance: Instance, from: AlertState, to: AlertState): Promise<void> {
    const status: AlertStatus = { ...instance.status, state: to, ...(to === 'firing' ? { severity: 'warning' as const, firingSince: Date.now() } : { severity: undefined, firingSince: undefined }) };
    const e: Evaluation = {
      rule, instance, at: Date.now(), previous: instance.status, value: to === 'firing' ? 90 : 10,
      result: { status, events: [{ kind: 'state', from, to, ...(to === 'firing' ? { toSeverity: 'warning' as const } : {}), reason: 'test', notify: true }] },
    };
    instance.status = status;
    writer.enqueue([e]);
    await writer.flush();
  }
  const events = (hostname: string) =>
    s.testDb.sql.query<{ to_state: string; notify: boolean; muted_by: string | null }>(
      `SELECT e.to_state::text, e.notify, e.muted_by FROM alert_events e JOIN alerts a ON a.id = e.alert_id JOIN hosts h ON h.id = a.host_id
       WHERE h.hostname = $1 ORDER BY e.id`,
      [hostname],
    );

  it('lists a muted firing as held until it is announced, and not after', async () => {
    const i = await newInstance();
    muted = 'silence:7';
    await transition(i, 'pending', 'firing');
    expect(writer.held()).toContainEqual({ ruleId: rule.id, key: i.key });
    writer.unhold(rule.id, i.key);
    expect(writer.held()).not.toContainEqual({ ruleId: rule.id, key: i.key });
    muted = undefined;
  });

  it('does not announce the recovery of an alert the channels never heard fire', async () => {
    const i = await newInstance();
    muted = 'silence:8';
    await transition(i, 'pending', 'firing');
    muted = undefined; // the silence ended, and the alert recovers before anything announced it
    await transition(i, 'firing', 'resolved');
    expect(await events(i.hostname)).toEqual([
      { to_state: 'firing', notify: false, muted_by: 'silence:8' },
      { to_state: 'resolved', notify: false, muted_by: 'never announced' },
    ]);
    expect(writer.held()).not.toContainEqual({ ruleId: rule.id, key: i.key });
  });

  it('announces the recovery of an alert it announced firing', async () => {
    const i = await newInstance();
    await transition(i, 'pending', 'firing');
    await transition(i, 'firing', 'resolved');
    expect(await events(i.hostname)).toEqual([
      { to_state: 'firing', notify: true, muted_by: null },
      { to_state: 'resolved', notify: true, muted_by: null },
    ]);
  });
});
