// Alerts over GraphQL through the running server: rows are written straight into the database (as
// the evaluator would), then listed, filtered, paged, acknowledged, commented, resolved by hand and
// watched over graphql-ws.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrismaTypes } from '@esmon/db';
import { testDatabaseKind } from '@esmon/db/testing';
import type { AlertEventMessage } from '../src/events/bus.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { subscribe, wsClient } from './live-client.ts';

const T = new Date('2026-01-10T12:00:00Z').getTime();
const ago = (minutes: number) => new Date(T - minutes * 60_000);

const ALERT_FIELDS = `id fingerprint state severity value open acknowledged acknowledgedBy ackComment version
  startedAt resolvedAt rule { id name } host { hostname } labels`;
const EVENT_FIELDS = 'id kind fromState toState fromSeverity severity value message notify mutedBy user at alertId ruleId ruleName hostname';
const LIST = `query ($f: AlertFilter, $first: Int, $after: String) {
  alerts(filter: $f, first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id fingerprint } } } }`;
const COUNTS = 'firing { warning critical veryCritical total } pending nodata stale acknowledged open';

describe(`alerts over GraphQL (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let viewer: string;
  let analyst: string;
  let analystUser: { id: string; email: string };
  let hostA: number;
  let hostB: number;
  let cpu: number;
  let disk: number;
  const ids: Record<string, number> = {};
  let seq = 0;

  /** One alert row as the evaluator stores it; open unless resolvedAt is given. */
  async function alertRow(data: Partial<PrismaTypes.AlertUncheckedCreateInput> & { ruleId: number; state: PrismaTypes.AlertUncheckedCreateInput['state'] }) {
    const fingerprint = data.fingerprint ?? `fp-${++seq}`;
    const closed = data.resolvedAt != null || data.state === 'resolved' || data.state === 'ok';
    const row = await s.testDb.prisma.alert.create({
      data: { startedAt: ago(1), ...data, fingerprint, openKey: closed ? null : `${data.ruleId}:${fingerprint}` },
    });
    return row.id;
  }

  const list = async (f: Record<string, unknown>, first = 50) => {
    const r = await s.gql<any>(LIST, { f, first }, viewer);
    expect(r.errors).toBeUndefined();
    return r.data.alerts.edges.map((e: any) => Number(e.node.id));
  };

  const act = (mutation: string, id: number, comment: string | null, token = analyst) =>
    s.gql<any>(
      `mutation ($id: ID!, $c: String${mutation === 'commentAlert' ? '!' : ''}) { ${mutation}(id: $id, comment: $c) { ${ALERT_FIELDS} } }`,
      { id: String(id), c: comment },
      token,
    );

  const history = async (id: number) =>
    (await s.gql<any>(`query ($id: ID!) { alert(id: $id) { history { ${EVENT_FIELDS} } } }`, { id: String(id) }, viewer)).data.alert.history;

  beforeAll(async () => {
    // the evaluator is someone else's; these tests own every alert row
    s = await startTestServer({ ESMON_EVALUATOR: 'off' });
    viewer = await s.userToken('viewer');
    analyst = await s.userToken('analyst');
    analystUser = (await s.gql<any>('{ me { id email } }', {}, analyst)).data.me;
    const prisma = s.testDb.prisma;
    hostA = (await prisma.host.create({ data: { hostname: 'db-01' } })).id;
    hostB = (await prisma.host.create({ data: { hostname: 'web-01' } })).id;
    cpu = (await prisma.rule.create({ data: { name: 'CPU high', expression: 'avg(os.cpu.usage, "5m") > 90' } })).id;
    disk = (await prisma.rule.create({ data: { name: 'Disk full', expression: 'last(os.disk.used_pct, "5m") > 95' } })).id;
    ids.a1 = await alertRow({ ruleId: cpu, hostId: hostA, fingerprint: 'host:1', state: 'firing', severity: 'critical', value: 97, startedAt: ago(60), firedAt: ago(55), labels: { host: 'db-01' } });
    ids.a2 = await alertRow({ ruleId: cpu, hostId: hostB, state: 'firing', severity: 'warning', startedAt: ago(30), firedAt: ago(30), acknowledgedAt: ago(25), acknowledgedById: Number(analystUser.id), ackComment: 'looking' });
    ids.a3 = await alertRow({ ruleId: disk, hostId: hostA, state: 'pending', startedAt: ago(10) });
    ids.a4 = await alertRow({ ruleId: disk, hostId: hostB, state: 'resolved', severity: 'very_critical', startedAt: ago(300), firedAt: ago(290), resolvedAt: ago(240) });
    ids.a5 = await alertRow({ ruleId: disk, hostId: hostA, state: 'nodata', startedAt: ago(20) });
    ids.a6 = await alertRow({ ruleId: cpu, fingerprint: 'group:eu-west', state: 'stale', severity: 'critical', startedAt: ago(40), firedAt: ago(40) });
    await prisma.alertEvent.createMany({
      data: [
        { alertId: ids.a1!, at: ago(60), kind: 'state', fromState: 'ok', toState: 'pending', value: 91, message: 'avg 91 > 90' },
        { alertId: ids.a1!, at: ago(55), kind: 'state', fromState: 'pending', toState: 'firing', severity: 'critical', value: 97, message: 'avg 97 > 95', notify: true },
        { alertId: ids.a1!, at: ago(50), kind: 'comment', fromState: 'firing', toState: 'firing', message: 'disk io too', userId: Number(analystUser.id) },
      ],
    });
  });
  afterAll(async () => {
    await s?.close();
  });

  describe('queries', () => {
    it('lists alerts newest first, with their rule, host and labels', async () => {
      const r = await s.gql<any>(`{ alerts(first: 3) { totalCount edges { node { ${ALERT_FIELDS} } } } }`, {}, viewer);
      expect(r.errors).toBeUndefined();
      expect(r.data.alerts.totalCount).toBe(6);
      const nodes = r.data.alerts.edges.map((e: any) => e.node);
      expect(nodes.map((n: any) => Number(n.id))).toEqual([ids.a3, ids.a5, ids.a2]);
      expect(nodes[2]).toMatchObject({
        state: 'firing', severity: 'warning', open: true, acknowledged: true, acknowledgedBy: analystUser.email, ackComment: 'looking',
        rule: { id: String(cpu), name: 'CPU high' }, host: { hostname: 'web-01' }, version: 1,
      });
    });

    it('filters by state, severity, host, rule, open and acknowledged', async () => {
      expect(await list({ states: ['firing'] })).toEqual([ids.a2, ids.a1]);
      expect(await list({ states: ['pending', 'nodata'] })).toEqual([ids.a3, ids.a5]);
      expect(await list({ severities: ['critical'] })).toEqual([ids.a6, ids.a1]);
      expect(await list({ hostIds: [String(hostB)] })).toEqual([ids.a2, ids.a4]);
      expect(await list({ ruleIds: [String(disk)] })).toEqual([ids.a3, ids.a5, ids.a4]);
      expect(await list({ open: false })).toEqual([ids.a4]);
      expect(await list({ open: true })).toEqual([ids.a3, ids.a5, ids.a2, ids.a6, ids.a1]);
      expect(await list({ acknowledged: true })).toEqual([ids.a2]);
      expect(await list({ ruleIds: [String(cpu)], states: ['firing'], hostIds: [String(hostA)] })).toEqual([ids.a1]);
    });

    it('filters by the time an alert was active and by a search in rule name, fingerprint or hostname', async () => {
      // only the resolved alert was active five hours ago
      expect(await list({ from: ago(280).toISOString(), to: ago(260).toISOString() })).toEqual([ids.a4]);
      // it resolved before this window; every open alert overlaps it
      expect(await list({ from: ago(200).toISOString(), to: ago(0).toISOString() })).toEqual([ids.a3, ids.a5, ids.a2, ids.a6, ids.a1]);
      // started after `to`: not yet active
      expect(await list({ to: ago(45).toISOString() })).toEqual([ids.a1, ids.a4]);
      expect(await list({ search: 'disk' })).toEqual([ids.a3, ids.a5, ids.a4]);
      expect(await list({ search: 'EU-WEST' })).toEqual([ids.a6]);
      expect(await list({ search: 'WEB-0' })).toEqual([ids.a2, ids.a4]);
      const bad = await s.gql<any>(LIST, { f: { from: ago(0).toISOString(), to: ago(10).toISOString() } }, viewer);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    });

    it('pages through the list with cursors, the total counting the filter', async () => {
      const seen: number[] = [];
      let after: string | undefined;
      for (let page = 0; page < 5; page++) {
        const r = await s.gql<any>(LIST, { f: { open: true }, first: 2, after }, viewer);
        expect(r.data.alerts.totalCount).toBe(5);
        seen.push(...r.data.alerts.edges.map((e: any) => Number(e.node.id)));
        if (!r.data.alerts.pageInfo.hasNextPage) break;
        after = r.data.alerts.pageInfo.endCursor;
      }
      expect(seen).toEqual([ids.a3, ids.a5, ids.a2, ids.a6, ids.a1]);
    });

    it('reads one alert with its history oldest first, and NOT_FOUND for an unknown id', async () => {
      const r = await s.gql<any>(`query ($id: ID!) { alert(id: $id) { id history { ${EVENT_FIELDS} } firstTwo: history(first: 2) { kind } } }`, { id: String(ids.a1) }, viewer);
      expect(r.errors).toBeUndefined();
      const h = r.data.alert.history;
      expect(h.map((e: any) => e.kind)).toEqual(['state', 'state', 'comment']);
      expect(h[1]).toMatchObject({
        fromState: 'pending', toState: 'firing', severity: 'critical', value: 97, notify: true, user: null,
        alertId: String(ids.a1), ruleId: String(cpu), ruleName: 'CPU high', hostname: 'db-01', at: ago(55).toISOString(),
      });
      expect(h[2]).toMatchObject({ message: 'disk io too', user: analystUser.email });
      expect(r.data.alert.firstTwo).toHaveLength(2);
      const missing = await s.gql<any>('{ alert(id: "999999") { id } }', {}, viewer);
      expect(missing.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('counts open alerts by state and severity', async () => {
      const r = await s.gql<any>(`{ alertCounts { ${COUNTS} } }`, {}, viewer);
      expect(r.data.alertCounts).toEqual({
        firing: { warning: 1, critical: 1, veryCritical: 0, total: 2 }, pending: 1, nodata: 1, stale: 1, acknowledged: 1, open: 5,
      });
    });
  });

  describe('mutations', () => {
    it('acknowledges once, writes the history row with the user and bumps the version', async () => {
      const id = await alertRow({ ruleId: cpu, hostId: hostA, state: 'firing', severity: 'critical', value: 93, firedAt: ago(1) });
      const events = s.bus.subscribe('alertEvents')[Symbol.asyncIterator]();
      const published = events.next();
      const r = await act('acknowledgeAlert', id, '  on it  ');
      expect(r.errors).toBeUndefined();
      expect(r.data.acknowledgeAlert).toMatchObject({ acknowledged: true, acknowledgedBy: analystUser.email, ackComment: 'on it', version: 2 });
      const message = (await published).value as AlertEventMessage;
      await events.return?.();
      expect(message).toMatchObject({
        alertId: id, ruleId: cpu, ruleName: 'CPU high', hostId: hostA, hostname: 'db-01', kind: 'acknowledged',
        fromState: 'firing', toState: 'firing', severity: 'critical', value: 93, message: 'on it', notify: true, userId: Number(analystUser.id),
      });
      expect(await history(id)).toEqual([
        expect.objectContaining({ id: String(message.id), kind: 'acknowledged', toState: 'firing', message: 'on it', user: analystUser.email, notify: true }),
      ]);
      const again = await act('acknowledgeAlert', id, null);
      expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      expect(again.errors?.[0]?.message).toMatch(/already acknowledged/);
    });

    it('unacknowledges and comments, each a history row and a new version', async () => {
      const id = await alertRow({ ruleId: disk, hostId: hostB, state: 'pending' });
      expect((await act('acknowledgeAlert', id, null)).data.acknowledgeAlert).toMatchObject({ acknowledged: true, ackComment: null, version: 2 });
      const un = await act('unacknowledgeAlert', id, 'wrong alert');
      expect(un.data.unacknowledgeAlert).toMatchObject({ acknowledged: false, acknowledgedBy: null, ackComment: null, version: 3 });
      expect((await act('unacknowledgeAlert', id, null)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
      const c = await act('commentAlert', id, 'seen this before');
      expect(c.data.commentAlert.version).toBe(4);
      const h = await history(id);
      expect(h.map((e: any) => [e.kind, e.message, e.user, e.toState])).toEqual([
        ['acknowledged', null, analystUser.email, 'pending'],
        ['unacknowledged', 'wrong alert', analystUser.email, 'pending'],
        ['comment', 'seen this before', analystUser.email, 'pending'],
      ]);
      // comments are never news for the channels, nor is anything on an alert that never fired
      expect(h.map((e: any) => e.notify)).toEqual([false, false, false]);
    });

    it('refuses an empty or oversized comment', async () => {
      const id = ids.a1!;
      for (const comment of ['   ', 'x'.repeat(4001)]) {
        const r = await s.gql<any>('mutation ($id: ID!, $c: String!) { commentAlert(id: $id, comment: $c) { id } }', { id: String(id), c: comment }, analyst);
        expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
        expect(r.errors?.[0]?.message).toMatch(/^comment/);
      }
    });

    it('resolves an open alert by hand, tells the evaluator, and refuses to resolve it again', async () => {
      const id = await alertRow({ ruleId: cpu, hostId: hostB, fingerprint: 'host:manual', state: 'firing', severity: 'warning', firedAt: ago(3) });
      const resolved = s.bus.subscribe('alertResolvedManually')[Symbol.asyncIterator]();
      const told = resolved.next();
      const r = await act('resolveAlert', id, 'fixed the disk');
      expect(r.errors).toBeUndefined();
      expect(r.data.resolveAlert).toMatchObject({ state: 'resolved', open: false, version: 2 });
      expect(r.data.resolveAlert.resolvedAt).not.toBeNull();
      expect((await told).value).toEqual({ alertId: id, ruleId: cpu, fingerprint: 'host:manual' });
      await resolved.return?.();
      expect(await history(id)).toEqual([
        expect.objectContaining({ kind: 'manual_resolve', fromState: 'firing', toState: 'resolved', fromSeverity: 'warning', severity: null, message: 'fixed the disk', user: analystUser.email, notify: true }),
      ]);
      expect((await s.testDb.prisma.alert.findUniqueOrThrow({ where: { id } })).openKey).toBeNull();
      for (const mutation of ['resolveAlert', 'acknowledgeAlert']) {
        const again = await act(mutation, id, null);
        expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
      }
      expect((await act('resolveAlert', 999999, null)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    });

    it('lets exactly one of two simultaneous acknowledgements win', async () => {
      const id = await alertRow({ ruleId: disk, hostId: hostA, state: 'firing', severity: 'critical', firedAt: ago(2) });
      const results = await Promise.all([act('acknowledgeAlert', id, 'first'), act('acknowledgeAlert', id, 'second')]);
      const codes = results.map((r) => r.errors?.[0]?.extensions?.code ?? 'ok').sort();
      expect(codes).toEqual(['CONFLICT', 'ok']);
      const h = await history(id);
      expect(h).toHaveLength(1);
      expect((await s.testDb.prisma.alert.findUniqueOrThrow({ where: { id } })).version).toBe(2);
    });
  });

  describe('authorization', () => {
    it('lets viewers read but not act, and refuses the anonymous', async () => {
      expect((await s.gql<any>('{ alerts { totalCount } alertCounts { open } }', {}, viewer)).errors).toBeUndefined();
      for (const mutation of ['acknowledgeAlert', 'unacknowledgeAlert', 'resolveAlert', 'commentAlert']) {
        const r = await act(mutation, ids.a1!, 'x', viewer);
        expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      }
      const anon = await s.gql<any>('{ alerts { totalCount } }');
      expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      const anonAct = await s.gql<any>(`mutation { acknowledgeAlert(id: "${ids.a1}") { id } }`);
      expect(anonAct.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      // nothing was written by the refused calls
      expect((await s.testDb.prisma.alert.findUniqueOrThrow({ where: { id: ids.a1! } })).version).toBe(1);
    });
  });

  describe('subscriptions', () => {
    const message = (over: Partial<AlertEventMessage>): AlertEventMessage => ({
      id: 1, alertId: ids.a1!, ruleId: cpu, ruleName: 'CPU high', fingerprint: 'host:1', hostId: hostA, hostname: 'db-01',
      labels: { host: 'db-01' }, kind: 'state', fromState: 'pending', toState: 'firing', fromSeverity: null, severity: 'critical',
      value: 97, message: 'avg 97 > 95', notify: true, mutedBy: null, userId: null, at: new Date(T), ...over,
    });

    it('delivers alertEvents from the bus, only those passing the filter', async () => {
      const client = wsClient(s.url, viewer);
      const q = subscribe<any>(client, `subscription ($f: AlertEventFilter) { alertEvents(filter: $f) { ${EVENT_FIELDS} } }`, {
        f: { ruleIds: [String(cpu)], severities: ['critical'], notifyOnly: true },
      });
      const event = await q.nextPoking(async () => {
        s.bus.publish('alertEvents', message({ id: 10, ruleId: disk, ruleName: 'Disk full' }));
        s.bus.publish('alertEvents', message({ id: 11, notify: false, mutedBy: 'silence:3' }));
        s.bus.publish('alertEvents', message({ id: 12, severity: 'warning' }));
        // a resolve matches by the severity it had
        s.bus.publish('alertEvents', message({ id: 13, toState: 'resolved', fromState: 'firing', fromSeverity: 'critical', severity: null, userId: Number(analystUser.id) }));
      });
      expect(event.alertEvents).toMatchObject({
        id: '13', kind: 'state', toState: 'resolved', fromSeverity: 'critical', severity: null, ruleName: 'CPU high', hostname: 'db-01',
        user: analystUser.email, at: new Date(T).toISOString(),
      });
      q.close();
      await client.dispose();
    });

    it('refuses alertEvents to the anonymous', async () => {
      const anon = wsClient(s.url);
      await expect(subscribe(anon, 'subscription { alertEvents { id } }').next()).rejects.toThrow(/log in first/);
      await anon.dispose();
    });

    it('sends alertCounts at once and again after an acknowledgement', async () => {
      const now = (await s.gql<any>(`{ alertCounts { ${COUNTS} } }`, {}, viewer)).data.alertCounts;
      const client = wsClient(s.url, viewer);
      const q = subscribe<any>(client, `subscription { alertCounts { ${COUNTS} } }`);
      expect((await q.next()).alertCounts).toEqual(now);
      const id = await alertRow({ ruleId: cpu, hostId: hostA, state: 'firing', severity: 'very_critical', firedAt: ago(1) });
      expect((await act('acknowledgeAlert', id, null)).errors).toBeUndefined();
      const after = await q.next((c) => c.alertCounts.acknowledged === now.acknowledged + 1);
      expect(after.alertCounts).toEqual({
        ...now,
        firing: { ...now.firing, veryCritical: now.firing.veryCritical + 1, total: now.firing.total + 1 },
        open: now.open + 1,
        acknowledged: now.acknowledged + 1,
      });
      q.close();
      await client.dispose();
    });
  });
});
