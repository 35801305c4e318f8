// Maintenance windows through the running server: create, edit, delete; the checks on recurrence,
// time zone, duration and scope; who may do what; the preview's hosts and rules; a weekly window
// keeping its Berlin wall-clock time across the next daylight-saving change.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { collect, startTestServer, type TestServer } from './harness.ts';

const FIELDS = `id name description startsAt durationSeconds rrule timeZone scope { hostIds labels hostnamePattern }
  keepEvaluating suppressNotifications muteFirstRecovery enabled createdBy nextOccurrences(count: 3) { start end }`;
const create = `mutation ($input: MaintenanceWindowInput!) { createMaintenanceWindow(input: $input) { ${FIELDS} } }`;
const update = `mutation ($id: ID!, $input: MaintenanceWindowInput!) { updateMaintenanceWindow(id: $id, input: $input) { ${FIELDS} } }`;
const remove = 'mutation ($id: ID!) { deleteMaintenanceWindow(id: $id) }';
const list = `{ maintenanceWindows { ${FIELDS} } }`;
const preview = `query ($input: MaintenanceWindowInput!) {
  maintenancePreview(input: $input) { occurrences { start end } hosts { id hostname } rules { id name enabled } } }`;

const DAY = 86_400_000;
const later = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const base = { name: 'Patch night', startsAt: later(2), durationSeconds: 7200 };

/** The next change of Europe/Berlin's offset at least `minDays` away: last Sunday of March or October, 01:00 UTC. */
function nextBerlinChange(minDays: number): { at: Date; spring: boolean } {
  const year = new Date().getUTCFullYear();
  for (const y of [year, year + 1]) {
    for (const month of [2, 9]) {
      const lastDay = new Date(Date.UTC(y, month, 31));
      const at = new Date(Date.UTC(y, month, 31 - lastDay.getUTCDay(), 1));
      if (at.getTime() > Date.now() + minDays * DAY) return { at, spring: month === 2 };
    }
  }
  throw new Error('no change found');
}

const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

describe(`maintenance windows over GraphQL (${testDatabaseKind()})`, () => {
  let s: TestServer;
  let viewer: string;
  let analyst: string;
  let mutes: { items: unknown[]; stop(): void };
  const hosts: Record<string, string> = {};
  const rules: Record<string, string> = {};

  beforeAll(async () => {
    s = await startTestServer();
    // the previews below list rules: only this test's, not the defaults of a new install
    await s.testDb.prisma.rule.deleteMany();
    viewer = await s.userToken('viewer');
    analyst = await s.userToken('analyst');
    mutes = collect(s.bus.subscribe('mutesChanged'));
    const db = s.testDb.prisma;
    for (const [hostname, labels] of [
      ['maximo-web-01', { env: 'prod', role: 'web' }],
      ['maximo-web-02', { env: 'test', role: 'web' }],
      ['maximo-db-01', { env: 'prod', role: 'db' }],
      ['other-01', { env: 'prod' }],
    ] as const) {
      hosts[hostname] = String((await db.host.create({ data: { hostname, labels } })).id);
    }
    const expression = 'avg(os.cpu.usage, "5m") > 90';
    for (const [name, scope] of [
      ['Everywhere', {}],
      ['Web servers', { hostnamePattern: 'maximo-web-*' }],
      ['Test web only', { hostIds: [Number(hosts['maximo-web-02'])] }],
      ['Databases', { labels: { role: 'db' }, groupBy: ['mount'] }],
      ['Unreadable scope', { hosts: 'all' }],
      ['Other hosts', { hostnamePattern: 'other-*' }],
    ] as const) {
      rules[name] = String((await db.rule.create({ data: { name, expression, scope, enabled: name !== 'Databases' } })).id);
    }
  });
  afterAll(async () => {
    mutes?.stop();
    await s?.close();
  });

  it('lets an analyst create a recurring window; defaults filled, zone made canonical', async () => {
    const before = mutes.items.length;
    const r = await s.gql(
      create,
      { input: { ...base, rrule: 'FREQ=DAILY;COUNT=2', timeZone: 'europe/berlin', scope: { labels: { env: 'prod' }, hostIds: [hosts['maximo-web-01']] } } },
      analyst,
    );
    expect(r.errors).toBeUndefined();
    const w = r.data!.createMaintenanceWindow;
    expect(w).toMatchObject({
      name: 'Patch night',
      description: null,
      startsAt: base.startsAt,
      durationSeconds: 7200,
      rrule: 'FREQ=DAILY;COUNT=2',
      timeZone: 'Europe/Berlin',
      scope: { hostIds: [hosts['maximo-web-01']], labels: { env: 'prod' }, hostnamePattern: null },
      keepEvaluating: true,
      suppressNotifications: true,
      muteFirstRecovery: true,
      enabled: true,
    });
    expect(w.createdBy).toMatch(/^analyst\d+@example\.test$/);
    // COUNT=2: the first start and one more day
    expect(w.nextOccurrences).toHaveLength(2);
    expect(w.nextOccurrences[0]).toEqual({ start: base.startsAt, end: new Date(Date.parse(base.startsAt) + 7200_000).toISOString() });
    expect(mutes.items.length).toBe(before + 1);
    expect((await s.gql(list, {}, viewer)).data!.maintenanceWindows.map((x: any) => x.id)).toContain(w.id);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a weekday that is not one', { rrule: 'FREQ=WEEKLY;BYDAY=XX' }, 'input.rrule: BYDAY: "XX" is not a weekday'],
    ['an unsupported frequency', { rrule: 'FREQ=HOURLY' }, 'input.rrule: FREQ: "HOURLY" is not supported'],
    ['an unsupported part', { rrule: 'FREQ=DAILY;BYSETPOS=1' }, 'input.rrule: BYSETPOS is not supported'],
    ['UNTIL before the start', { rrule: 'FREQ=DAILY;UNTIL=20200101T000000Z' }, 'input.rrule: UNTIL is before startsAt'],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, 'input.timeZone: unknown time zone "Mars/Olympus_Mons"'],
    ['less than a minute', { durationSeconds: 59 }, 'input.durationSeconds: at least 60 (one minute)'],
    ['more than 31 days', { durationSeconds: 31 * 86_400 + 1 }, 'input.durationSeconds: at most 2678400 (31 days)'],
    ['an empty name', { name: ' ' }, 'input.name: name is empty'],
    ['a hostname regex instead of a glob', { scope: { hostnamePattern: '(web|db)+' } }, 'input.scope.hostnamePattern: a hostname pattern'],
    ['a bad label name', { scope: { labels: { 'not ok': 'x' } } }, 'input.scope.labels'],
    ['a host id that is not one', { scope: { hostIds: ['abc'] } }, 'input.scope.hostIds must be a positive whole number'],
  ])('refuses %s with a clear message', async (_name, input, message) => {
    const r = await s.gql(create, { input: { ...base, ...input } }, analyst);
    expect(r.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.message).toContain(message);
    // the preview checks its input the same way
    const p = await s.gql(preview, { input: { ...base, ...input } }, viewer);
    expect(p.errors?.[0]?.message).toContain(message);
  });

  it('lets viewers read and preview but not change', async () => {
    const w = (await s.gql(create, { input: base }, analyst)).data!.createMaintenanceWindow;
    for (const [query, vars] of [
      [create, { input: base }],
      [update, { id: w.id, input: base }],
      [remove, { id: w.id }],
    ] as const) {
      expect((await s.gql(query, vars, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await s.gql(list, {}, viewer)).errors).toBeUndefined();
    expect((await s.gql(preview, { input: base }, viewer)).errors).toBeUndefined();
    expect((await s.gql(list, {})).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('replaces every setting on update and deletes; unknown ids are NOT_FOUND', async () => {
    const w = (await s.gql(create, { input: { ...base, scope: { hostnamePattern: 'maximo-*' } } }, analyst)).data!.createMaintenanceWindow;
    const input = { ...base, name: 'Quarterly', description: 'SAN firmware', rrule: 'FREQ=MONTHLY;BYDAY=-1FR', enabled: false, keepEvaluating: false };
    const r = await s.gql(update, { id: w.id, input }, analyst);
    expect(r.errors).toBeUndefined();
    expect(r.data!.updateMaintenanceWindow).toMatchObject({
      ...input,
      scope: { hostIds: [], labels: {}, hostnamePattern: null },
      timeZone: 'UTC',
    });
    expect((await s.gql(update, { id: '999999', input }, analyst)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await s.gql(remove, { id: w.id }, analyst)).data!.deleteMaintenanceWindow).toBe(true);
    const again = await s.gql(remove, { id: w.id }, analyst);
    expect(again.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(again.errors?.[0]?.message).toBe(`no maintenance window ${w.id}`);
  });

  it('shows the occurrence in progress', async () => {
    const startsAt = new Date(Date.now() - 3_600_000).toISOString();
    const r = await s.gql(create, { input: { ...base, startsAt, durationSeconds: 7200, rrule: 'FREQ=WEEKLY' } }, analyst);
    const q = 'query { maintenanceWindows { id activeOccurrence { start end } } }';
    const found = (await s.gql(q, {}, viewer)).data!.maintenanceWindows.find((x: any) => x.id === r.data!.createMaintenanceWindow.id);
    expect(found.activeOccurrence).toEqual({ start: startsAt, end: new Date(Date.parse(startsAt) + 7200_000).toISOString() });
    expect(r.data!.createMaintenanceWindow.nextOccurrences[0].start).toBe(startsAt);
  });

  it('previews the hosts a scope covers and the rules with an instance on them', async () => {
    const r = await s.gql(preview, { input: { ...base, scope: { labels: { env: 'prod' }, hostnamePattern: 'maximo-*' } } }, viewer);
    expect(r.errors).toBeUndefined();
    const p = r.data!.maintenancePreview;
    expect(p.hosts).toEqual([
      { id: hosts['maximo-db-01'], hostname: 'maximo-db-01' },
      { id: hosts['maximo-web-01'], hostname: 'maximo-web-01' },
    ]);
    // not "Test web only" (web-02 is env=test), not "Other hosts", never the unreadable scope
    expect(p.rules).toEqual([
      { id: rules.Databases, name: 'Databases', enabled: false },
      { id: rules.Everywhere, name: 'Everywhere', enabled: true },
      { id: rules['Web servers'], name: 'Web servers', enabled: true },
    ]);
    expect(p.occurrences).toEqual([{ start: base.startsAt, end: new Date(Date.parse(base.startsAt) + 7200_000).toISOString() }]);
  });

  it('previews an empty scope as every host, and a scope matching none as nothing', async () => {
    const all = (await s.gql(preview, { input: base }, viewer)).data!.maintenancePreview;
    expect(all.hosts).toHaveLength(4);
    expect(all.rules.map((x: any) => x.name)).toEqual(['Databases', 'Everywhere', 'Other hosts', 'Test web only', 'Web servers']);
    const none = (await s.gql(preview, { input: { ...base, scope: { hostnamePattern: 'nope-*' } } }, viewer)).data!.maintenancePreview;
    expect(none).toMatchObject({ hosts: [], rules: [] });
  });

  it('keeps a weekly Sunday 10:00 window at 10:00 in Berlin across the next daylight-saving change', async () => {
    const change = nextBerlinChange(8);
    // three Sundays before the change, 10:00 local: 09:00 UTC in winter time, 08:00 UTC in summer time
    const [before, after] = change.spring ? [9, 8] : [8, 9];
    const startsAt = new Date(change.at.getTime() - 21 * DAY);
    startsAt.setUTCHours(before, 0, 0, 0);
    const input = { ...base, startsAt: startsAt.toISOString(), durationSeconds: 3600, rrule: 'FREQ=WEEKLY;BYDAY=SU', timeZone: 'Europe/Berlin' };
    const r = await s.gql(preview, { input }, viewer);
    expect(r.errors).toBeUndefined();
    const occurrences: { start: string; end: string }[] = r.data!.maintenancePreview.occurrences;
    expect(occurrences).toHaveLength(10);
    for (const o of occurrences) {
      expect(berlin.format(new Date(o.start))).toBe('Sun 10:00');
      expect(Date.parse(o.end) - Date.parse(o.start)).toBe(3600_000);
      expect(new Date(o.start).getUTCHours()).toBe(Date.parse(o.start) < change.at.getTime() ? before : after);
    }
    const hours = new Set(occurrences.map((o) => new Date(o.start).getUTCHours()));
    expect(hours).toEqual(new Set([before, after]));
    // the saved window says the same
    const saved = (await s.gql(create, { input }, analyst)).data!.createMaintenanceWindow;
    expect(saved.nextOccurrences).toEqual(occurrences.slice(0, 3));
  });
});
