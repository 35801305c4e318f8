// Silences and maintenance windows against live evaluation: notifications held (and why), hosts
// in maintenance not evaluated, the first recovery after a window muted, and "send first
// recovery": an alert announced before a mute still announces that it is over.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { startTestServer, type TestServer } from './harness.ts';
import { insertRule } from './rule-fixture.ts';

describe(`silences and maintenance in live evaluation (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let key: string;
  let analyst: string;
  let seq = 0;
  const send = async (hostname: string, value: number, ts = Date.now()) => {
    const res = await s.ingest({ batchId: `mute-${process.pid}-${++seq}`, hosts: [{ hostname, samples: [{ metric: 'mu.load', ts, value }] }] }, key);
    expect(res.status).toBe(200);
    await s.evaluator.settled();
  };
  const events = async (hostname: string) =>
    s.testDb.sql.query<{ to_state: string; notify: boolean; muted_by: string | null }>(
      `SELECT e.to_state::text, e.notify, e.muted_by FROM alert_events e JOIN alerts a ON a.id = e.alert_id
       JOIN hosts h ON h.id = a.host_id WHERE h.hostname = $1 ORDER BY e.id`,
      [hostname],
    );
  const gqlOk = async (query: string, variables: Record<string, unknown>) => {
    const r = await s.gql(query, variables, analyst);
    expect(r.errors).toBeUndefined();
    await s.evaluator.settled();
    return r.data!;
  };
  const maintenance = (input: Record<string, unknown>) =>
    gqlOk('mutation ($i: MaintenanceWindowInput!) { createMaintenanceWindow(input: $i) { id } }', {
      i: { name: 'patching', startsAt: new Date(Date.now() - 3_600_000).toISOString(), durationSeconds: 4 * 3600, timeZone: 'Europe/Berlin', ...input },
    });

  beforeAll(async () => {
    s = await startTestServer();
    key = await s.integrationKey('analyst');
    analyst = await s.userToken('analyst');
    await insertRule(s.db.sql, s.bus, { name: 'mu load', expression: 'last(mu.load, "10m")', levels: [{ severity: 'warning', threshold: 50 }] });
    await s.evaluator.settled();
  });
  afterAll(async () => {
    await s?.close();
  });

  it('a silence holds the notifications of the alerts it matches, and only those', async () => {
    const data = await gqlOk('mutation ($i: SilenceInput!) { createSilence(input: $i) { id } }', {
      i: { matchers: [{ name: 'host', op: '=', value: 'mu-1' }], durationMinutes: 60, comment: 'disk swap' },
    });
    const silenceId = (data.createSilence as { id: string }).id;
    await send('mu-1', 90);
    await send('mu-2', 90);
    expect(await events('mu-1')).toEqual([{ to_state: 'firing', notify: false, muted_by: `silence:${silenceId}` }]);
    expect(await events('mu-2')).toEqual([{ to_state: 'firing', notify: true, muted_by: null }]);
    await gqlOk('mutation ($id: ID!) { expireSilence(id: $id) { id } }', { id: silenceId });
  });

  it('an alert still firing when its silence ends is announced then, and its recovery too', async () => {
    const made = await gqlOk('mutation ($i: SilenceInput!) { createSilence(input: $i) { id } }', {
      i: { matchers: [{ name: 'host', op: '=', value: 'mu-11' }], durationMinutes: 60, comment: 'swap' },
    });
    const id = (made.createSilence as { id: string }).id;
    await send('mu-11', 90);
    s.evaluator.tick(Date.now());
    await s.evaluator.settled();
    expect(await events('mu-11')).toEqual([{ to_state: 'firing', notify: false, muted_by: `silence:${id}` }]);
    await gqlOk('mutation ($id: ID!) { expireSilence(id: $id) { id } }', { id });
    s.evaluator.tick(Date.now());
    await s.evaluator.settled();
    s.evaluator.tick(Date.now()); // announced once, not on every tick
    await s.evaluator.settled();
    await send('mu-11', 10);
    expect(await events('mu-11')).toEqual([
      { to_state: 'firing', notify: false, muted_by: `silence:${id}` },
      { to_state: 'firing', notify: true, muted_by: null },
      { to_state: 'resolved', notify: true, muted_by: null },
    ]);
  });

  it('a window that stops evaluation leaves its hosts alone', async () => {
    await maintenance({ scope: { hostnamePattern: 'mu-3' }, keepEvaluating: false });
    await send('mu-3', 99);
    expect(await events('mu-3')).toEqual([]);
  });

  it('a window holds notifications and mutes the first recovery after it', async () => {
    const data = await maintenance({ scope: { hostnamePattern: 'mu-4' }, keepEvaluating: true, suppressNotifications: true, muteFirstRecovery: true });
    const id = (data.createMaintenanceWindow as { id: string }).id;
    await send('mu-4', 99);
    await gqlOk('mutation ($id: ID!) { deleteMaintenanceWindow(id: $id) }', { id });
    await send('mu-4', 5);
    await send('mu-4', 99);
    expect(await events('mu-4')).toEqual([
      { to_state: 'firing', notify: false, muted_by: `maintenance:${id}` },
      { to_state: 'resolved', notify: false, muted_by: `maintenance:${id} (first recovery)` },
      { to_state: 'firing', notify: true, muted_by: null },
    ]);
  });

  const silence = (hostname: string, extra: Record<string, unknown> = {}) =>
    gqlOk('mutation ($i: SilenceInput!) { createSilence(input: $i) { id sendFirstRecovery } }', {
      i: { matchers: [{ name: 'host', op: '=', value: hostname }], durationMinutes: 60, comment: 'ticket 42', ...extra },
    }).then((d) => d.createSilence as { id: string; sendFirstRecovery: boolean });

  it('a silence lets an alert announced before it announce its recovery (send first recovery, the default)', async () => {
    await send('mu-5', 90);
    const made = await silence('mu-5');
    expect(made.sendFirstRecovery).toBe(true);
    await send('mu-5', 10);
    expect(await events('mu-5')).toEqual([
      { to_state: 'firing', notify: true, muted_by: null },
      { to_state: 'resolved', notify: true, muted_by: null },
    ]);
  });

  it('without send first recovery, the silence holds that recovery too', async () => {
    await send('mu-6', 90);
    const made = await silence('mu-6', { sendFirstRecovery: false });
    await send('mu-6', 10);
    expect(await events('mu-6')).toEqual([
      { to_state: 'firing', notify: true, muted_by: null },
      { to_state: 'resolved', notify: false, muted_by: `silence:${made.id}` },
    ]);
  });

  it('an alert that fired under the silence never announces its recovery either', async () => {
    const made = await silence('mu-7');
    await send('mu-7', 90);
    await send('mu-7', 10);
    expect(await events('mu-7')).toEqual([
      { to_state: 'firing', notify: false, muted_by: `silence:${made.id}` },
      { to_state: 'resolved', notify: false, muted_by: `silence:${made.id}` },
    ]);
  });

  it('a window sends the first recovery of an alert announced before it only when asked to', async () => {
    await send('mu-8', 90);
    await send('mu-9', 90);
    const sending = await maintenance({ scope: { hostnamePattern: 'mu-8' }, sendFirstRecovery: true });
    const holding = await maintenance({ scope: { hostnamePattern: 'mu-9' } });
    const ids = [sending, holding].map((d) => (d.createMaintenanceWindow as { id: string }).id);
    await send('mu-8', 10);
    await send('mu-9', 10);
    expect(await events('mu-8')).toEqual([
      { to_state: 'firing', notify: true, muted_by: null },
      { to_state: 'resolved', notify: true, muted_by: null },
    ]);
    expect(await events('mu-9')).toEqual([
      { to_state: 'firing', notify: true, muted_by: null },
      { to_state: 'resolved', notify: false, muted_by: `maintenance:${ids[1]}` },
    ]);
  });

  it('whether an alert was announced survives a restart', async () => {
    await send('mu-10', 90);
    const made = await silence('mu-10');
    await s.restart();
    await send('mu-10', 10);
    expect(await events('mu-10')).toEqual([
      { to_state: 'firing', notify: true, muted_by: null },
      { to_state: 'resolved', notify: true, muted_by: null },
    ]);
    expect(made.sendFirstRecovery).toBe(true);
  });
});
