// The mute cache against a real database: PGlite, or PostgreSQL when TEST_DATABASE_URL is set.
import { openTestDatabase, testDatabaseKind, type TestDatabase } from '@esmon/db/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMutes, type MuteTarget, type Mutes } from './mutes.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const now = Date.now();
const at = (offsetMs: number) => new Date(now + offsetMs);

const web: MuteTarget = { ruleId: 1, rule: 'Disk full', hostId: 0, host: 'web-01', hostLabels: { env: 'prod', role: 'web' }, labels: { mount: '/var' } };
const staging: MuteTarget = { ruleId: 1, rule: 'Disk full', hostId: 0, host: 'stage-01', hostLabels: { env: 'staging' }, labels: { mount: '/' } };
const ruleWide: MuteTarget = { ruleId: 2, rule: 'Queue depth', hostLabels: {}, labels: { queue: 'orders' } };

describe(`the mute cache (${testDatabaseKind()})`, () => {
  let db: TestDatabase;
  let mutes: Mutes;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    db = await openTestDatabase();
    const silence = (name: string, matchers: unknown, from: number, to: number) =>
      db.prisma.silence.create({ data: { matchers: matchers as object, startsAt: at(from), endsAt: at(to), comment: name } }).then((s) => (ids[name] = s.id));
    await silence('disk', [{ name: 'rule', op: '=', value: 'Disk full' }], -HOUR, HOUR);
    await silence('later', [{ name: 'host', op: '=~', value: 'web-.*' }], HOUR, 3 * HOUR);
    await silence('gone', [{ name: 'rule', op: '=~', value: '.+' }], -3 * HOUR, -HOUR);
    await silence('staging', [{ name: 'env', op: '=', value: 'staging' }], -HOUR, HOUR);
    await silence('broken', [{ name: 'rule', op: '=~', value: '(' }], -HOUR, HOUR);

    const window = (name: string, data: { scope?: object; rrule?: string | null; enabled?: boolean; timeZone?: string; keepEvaluating?: boolean }) =>
      db.prisma.maintenanceWindow
        .create({ data: { name, startsAt: at(-30 * MIN), durationSeconds: 3600, rrule: 'FREQ=DAILY', ...data } })
        .then((w) => (ids[name] = w.id));
    // daily, from 30 minutes ago for an hour: in progress now, over in an hour, back tomorrow
    await window('prod', { scope: { labels: { env: 'prod' } }, keepEvaluating: false });
    await window('everything', { scope: {}, rrule: null });
    await window('off', { scope: {}, enabled: false });
    await window('bad scope', { scope: { hosts: [1] } });
    await window('bad rule', { scope: {}, rrule: 'FREQ=HOURLY' });
    await window('bad zone', { scope: {}, timeZone: 'Mars/Olympus_Mons' });
    await window('by id', { scope: { hostIds: [999] } });

    mutes = createMutes(db.prisma);
    await mutes.reload();
  });

  afterAll(async () => {
    await db?.close();
  });

  it.each<[string, MuteTarget, number, string[]]>([
    ['an active silence by rule name', web, 0, ['disk']],
    ['a silence once it has started; the other one has ended', web, 90 * MIN, ['later']],
    ['no silence after all have ended', web, 4 * HOUR, []],
    ['a silence on a host label', staging, 0, ['disk', 'staging']],
    ['a rule-wide alert by rule name only', ruleWide, 0, []],
    // loaded are only silences that had not ended at reload: the ended one is not even looked at
    ['never a silence that had ended before the reload', web, -2 * HOUR, []],
  ])('%s', (_name, target, offset, expected) => {
    expect(mutes.check(target, now + offset).silences.map((m) => m.id)).toEqual(expected.map((n) => ids[n]));
  });

  it.each<[string, MuteTarget, number, string[]]>([
    ['a window whose scope covers the host, and the one covering everything', web, 0, ['prod', 'everything']],
    ['only the window covering everything for a host outside the scope', staging, 0, ['everything']],
    ['a host-less target only under an empty scope', ruleWide, 0, ['everything']],
    ['nothing once the occurrence is over', web, 45 * MIN, []],
    ['the recurring window again the next day (expanded afresh)', web, 24 * HOUR, ['prod']],
    ['nothing before the first start', web, -45 * MIN, []],
  ])('%s', (_name, target, offset, expected) => {
    expect(mutes.check(target, now + offset).maintenance.map((m) => m.id)).toEqual(expected.map((n) => ids[n]));
  });

  it('answers what each window asks for', () => {
    const [prod] = mutes.check(web, now).maintenance;
    expect(prod).toEqual({ id: ids.prod, keepEvaluating: false, suppressNotifications: true, muteFirstRecovery: true, sendFirstRecovery: false });
  });

  it('holds a weekly Sunday 02:00–04:00 Berlin window at that wall-clock time across the March change', async () => {
    const other = await openTestDatabase();
    try {
      // first occurrence Sunday 15 March 2026, 02:00 CET = 01:00 UTC
      await other.prisma.maintenanceWindow.create({
        data: { name: 'patch night', startsAt: new Date('2026-03-15T01:00:00Z'), durationSeconds: 2 * 3600, rrule: 'FREQ=WEEKLY;BYDAY=SU', timeZone: 'Europe/Berlin' },
      });
      const cache = createMutes(other.prisma);
      await cache.reload();
      const inWindow = (iso: string) => cache.check(web, Date.parse(iso)).maintenance.length > 0;
      expect(
        [
          '2026-03-22T00:59:00Z', // 01:59 CET: not yet
          '2026-03-22T01:30:00Z', // 02:30 CET
          '2026-03-29T00:30:00Z', // 01:30 CET on the change day: not yet
          '2026-03-29T01:30:00Z', // 03:30 CEST: 02:00 does not exist, the window starts at 03:00 CEST
          '2026-04-05T00:30:00Z', // 02:30 CEST: the UTC hour moved, the wall clock did not
          '2026-04-05T01:59:00Z', // 03:59 CEST
          '2026-04-05T02:00:00Z', // 04:00 CEST: over
        ].map(inWindow),
      ).toEqual([false, true, false, true, true, true, false]);
    } finally {
      await other.close();
    }
  });

  it('matches a host id scope by id', () => {
    expect(mutes.check({ ...web, hostId: 999 }, now).maintenance.map((m) => m.id)).toContain(ids['by id']);
  });

  it('sees new, edited and deleted rows after a reload', async () => {
    await db.prisma.silence.delete({ where: { id: ids.disk! } });
    await db.prisma.maintenanceWindow.update({ where: { id: ids.off! }, data: { enabled: true } });
    const added = await db.prisma.silence.create({
      data: { matchers: [{ name: 'mount', op: '=', value: '/var' }], startsAt: at(-MIN), endsAt: at(HOUR), comment: 'added' },
    });
    expect(mutes.check(web, now).silences.map((m) => m.id)).toEqual([ids.disk]);
    await mutes.reload();
    expect(mutes.check(web, now).silences.map((m) => m.id)).toEqual([added.id]);
    expect(mutes.check(ruleWide, now).maintenance.map((m) => m.id)).toEqual([ids.everything, ids.off]);
  });
});
