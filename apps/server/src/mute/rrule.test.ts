import { describe, expect, it } from 'vitest';
import { activeOccurrence, occurrences, parseRRule, RRuleError, type MaintenanceSchedule } from './rrule.ts';

const window = (startsAt: string, rrule: string | null, timeZone = 'UTC', durationSeconds = 3600): MaintenanceSchedule => ({
  startsAt: new Date(startsAt),
  durationSeconds,
  rrule,
  timeZone,
});
const starts = (w: MaintenanceSchedule, from: string, to: string, limit?: number) =>
  occurrences(w, new Date(from), new Date(to), limit).map((o) => o.start.toISOString().replace(':00.000Z', 'Z'));

describe('parseRRule', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=SU', { freq: 'WEEKLY', interval: 1, byDay: [{ weekday: 6 }], byMonthDay: [] }],
    ['RRULE:freq=daily;interval=2;count=3;', { freq: 'DAILY', interval: 2, byDay: [], byMonthDay: [], count: 3 }],
    ['FREQ=MONTHLY;BYDAY=-1FR,+1MO', { freq: 'MONTHLY', interval: 1, byDay: [{ weekday: 4, nth: -1 }, { weekday: 0, nth: 1 }], byMonthDay: [] }],
    ['FREQ=MONTHLY;BYMONTHDAY=1,-1', { freq: 'MONTHLY', interval: 1, byDay: [], byMonthDay: [1, -1] }],
    ['FREQ=DAILY;UNTIL=20261231T235959Z', { freq: 'DAILY', interval: 1, byDay: [], byMonthDay: [], until: { utc: true, ms: Date.parse('2026-12-31T23:59:59Z') } }],
    ['FREQ=DAILY;UNTIL=20261231', { freq: 'DAILY', interval: 1, byDay: [], byMonthDay: [], until: { utc: false, ms: Date.parse('2027-01-01T00:00:00Z') - 1 } }],
  ])('%s', (text, rule) => {
    expect(parseRRule(text)).toEqual(rule);
  });

  it.each([
    ['', 'the rule is empty'],
    ['INTERVAL=2', 'FREQ is missing'],
    ['FREQ', '"FREQ" is not NAME=VALUE'],
    ['FREQ=DAILY;;COUNT=2', '"" is not NAME=VALUE'],
    ['FREQ=YEARLY', 'FREQ: "YEARLY" is not supported'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'FREQ is given twice'],
    ['FREQ=WEEKLY;BYDAY=XX', 'BYDAY: "XX" is not a weekday'],
    ['FREQ=WEEKLY;BYDAY=MO,', 'BYDAY: "" is not a weekday'],
    ['FREQ=WEEKLY;BYDAY=1MO', 'BYDAY: "1MO" has a position, allowed only with FREQ=MONTHLY'],
    ['FREQ=MONTHLY;BYDAY=6MO', 'BYDAY: "6MO": the position must be 1 to 5 or -1 to -5'],
    ['FREQ=MONTHLY;BYDAY=0MO', 'BYDAY: "0MO": the position must be'],
    ['FREQ=MONTHLY;BYMONTHDAY=32', 'BYMONTHDAY: "32" is not a day of the month'],
    ['FREQ=MONTHLY;BYMONTHDAY=0', 'BYMONTHDAY: "0" is not a day of the month'],
    ['FREQ=WEEKLY;BYMONTHDAY=1', 'BYMONTHDAY is not allowed with FREQ=WEEKLY'],
    ['FREQ=DAILY;INTERVAL=0', 'INTERVAL: "0" is not a whole number from 1 to 1000'],
    ['FREQ=DAILY;INTERVAL=1.5', 'INTERVAL: "1.5" is not a whole number'],
    ['FREQ=DAILY;COUNT=-1', 'COUNT: "-1" is not a whole number from 1 to 10000'],
    ['FREQ=DAILY;COUNT=2;UNTIL=20261231', 'COUNT and UNTIL cannot both be given'],
    ['FREQ=DAILY;UNTIL=2026-12-31', 'UNTIL: "2026-12-31" is not a date'],
    ['FREQ=DAILY;UNTIL=20260230', 'UNTIL: "20260230" is not a real date'],
    ['FREQ=DAILY;UNTIL=20260101T250000Z', 'UNTIL: "20260101T250000Z" is not a real date'],
    ['FREQ=WEEKLY;WKST=SU', 'WKST is not supported'],
    ['FREQ=DAILY;BYHOUR=3', 'BYHOUR is not supported'],
  ])('refuses %j: %s', (text, message) => {
    expect(() => parseRRule(text)).toThrow(RRuleError);
    expect(() => parseRRule(text)).toThrow(message);
  });
});

describe('occurrences', () => {
  it.each<[string, MaintenanceSchedule, string, string, string[]]>([
    [
      'weekly Sunday 10:00 in Berlin across the March change: UTC hour moves, wall clock does not',
      window('2026-03-15T09:00:00Z', 'FREQ=WEEKLY;BYDAY=SU', 'Europe/Berlin'),
      '2026-03-01T00:00:00Z',
      '2026-04-13T00:00:00Z',
      ['2026-03-15T09:00Z', '2026-03-22T09:00Z', '2026-03-29T08:00Z', '2026-04-05T08:00Z', '2026-04-12T08:00Z'],
    ],
    [
      'weekly Sunday 10:00 in Berlin across the October change',
      window('2026-10-11T08:00:00Z', 'FREQ=WEEKLY;BYDAY=SU', 'Europe/Berlin'),
      '2026-10-01T00:00:00Z',
      '2026-11-02T00:00:00Z',
      ['2026-10-11T08:00Z', '2026-10-18T08:00Z', '2026-10-25T09:00Z', '2026-11-01T09:00Z'],
    ],
    [
      'Sunday 02:30 in Berlin: skipped on the spring-forward day, so 03:30 CEST',
      window('2026-03-22T01:30:00Z', 'FREQ=WEEKLY', 'Europe/Berlin'),
      '2026-03-01T00:00:00Z',
      '2026-04-06T00:00:00Z',
      ['2026-03-22T01:30Z', '2026-03-29T01:30Z', '2026-04-05T00:30Z'],
    ],
    [
      'Sunday 02:30 in Berlin: twice on the fall-back day, the first (CEST) taken',
      window('2026-10-18T00:30:00Z', 'FREQ=WEEKLY', 'Europe/Berlin'),
      '2026-10-01T00:00:00Z',
      '2026-11-02T00:00:00Z',
      ['2026-10-18T00:30Z', '2026-10-25T00:30Z', '2026-11-01T01:30Z'],
    ],
    [
      'daily 09:00 in New York across its March change, COUNT=4',
      window('2026-03-06T14:00:00Z', 'FREQ=DAILY;COUNT=4', 'America/New_York'),
      '2026-03-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      ['2026-03-06T14:00Z', '2026-03-07T14:00Z', '2026-03-08T13:00Z', '2026-03-09T13:00Z'],
    ],
    [
      'UNTIL as an instant is inclusive',
      window('2026-03-06T14:00:00Z', 'FREQ=DAILY;UNTIL=20260308T130000Z', 'America/New_York'),
      '2026-03-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      ['2026-03-06T14:00Z', '2026-03-07T14:00Z', '2026-03-08T13:00Z'],
    ],
    [
      'UNTIL one second earlier drops that occurrence',
      window('2026-03-06T14:00:00Z', 'FREQ=DAILY;UNTIL=20260308T125959Z', 'America/New_York'),
      '2026-03-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      ['2026-03-06T14:00Z', '2026-03-07T14:00Z'],
    ],
    [
      'UNTIL as a date includes that local day',
      window('2026-03-06T14:00:00Z', 'FREQ=DAILY;UNTIL=20260307', 'America/New_York'),
      '2026-03-01T00:00:00Z',
      '2026-04-01T00:00:00Z',
      ['2026-03-06T14:00Z', '2026-03-07T14:00Z'],
    ],
    [
      'monthly on the last Friday',
      window('2026-01-30T22:00:00Z', 'FREQ=MONTHLY;BYDAY=-1FR'),
      '2026-01-01T00:00:00Z',
      '2026-06-01T00:00:00Z',
      ['2026-01-30T22:00Z', '2026-02-27T22:00Z', '2026-03-27T22:00Z', '2026-04-24T22:00Z', '2026-05-29T22:00Z'],
    ],
    [
      'monthly on the first Monday, every second month',
      window('2026-01-05T06:00:00Z', 'FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO'),
      '2026-01-01T00:00:00Z',
      '2026-08-01T00:00:00Z',
      ['2026-01-05T06:00Z', '2026-03-02T06:00Z', '2026-05-04T06:00Z', '2026-07-06T06:00Z'],
    ],
    [
      'monthly on the 31st skips shorter months; BYMONTHDAY=-1 is the last day',
      window('2026-01-31T06:00:00Z', 'FREQ=MONTHLY;COUNT=3'),
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
      ['2026-01-31T06:00Z', '2026-03-31T06:00Z', '2026-05-31T06:00Z'],
    ],
    [
      'the last day of each month',
      window('2026-01-31T06:00:00Z', 'FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3'),
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
      ['2026-01-31T06:00Z', '2026-02-28T06:00Z', '2026-03-31T06:00Z'],
    ],
    [
      'BYDAY and BYMONTHDAY together: Friday the 13th',
      window('2026-02-13T12:00:00Z', 'FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13'),
      '2026-01-01T00:00:00Z',
      '2027-01-01T00:00:00Z',
      ['2026-02-13T12:00Z', '2026-03-13T12:00Z', '2026-11-13T12:00Z'],
    ],
    [
      'every other week on Monday and Wednesday',
      window('2026-01-05T20:00:00Z', 'FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE'),
      '2026-01-01T00:00:00Z',
      '2026-02-05T00:00:00Z',
      ['2026-01-05T20:00Z', '2026-01-07T20:00Z', '2026-01-19T20:00Z', '2026-01-21T20:00Z', '2026-02-02T20:00Z', '2026-02-04T20:00Z'],
    ],
    [
      'weekdays only',
      window('2026-01-09T20:00:00Z', 'FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR'),
      '2026-01-09T00:00:00Z',
      '2026-01-14T00:00:00Z',
      ['2026-01-09T20:00Z', '2026-01-12T20:00Z', '2026-01-13T20:00Z'],
    ],
    [
      'the first start counts even off the rule (RFC 5545), then the rule',
      window('2026-01-07T20:00:00Z', 'FREQ=WEEKLY;BYDAY=SU;COUNT=3'),
      '2026-01-01T00:00:00Z',
      '2026-03-01T00:00:00Z',
      ['2026-01-07T20:00Z', '2026-01-11T20:00Z', '2026-01-18T20:00Z'],
    ],
    [
      'a long-running daily window, asked about a week years later',
      window('2020-02-01T01:00:00Z', 'FREQ=DAILY;INTERVAL=3', 'Europe/Berlin'),
      '2026-07-01T00:00:00Z',
      '2026-07-07T23:59:59Z',
      ['2026-07-02T00:00Z', '2026-07-05T00:00Z'],
    ],
    [
      'a rule that never matches again ends after its first start',
      window('2026-02-28T06:00:00Z', 'FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30'),
      '2026-01-01T00:00:00Z',
      '2099-01-01T00:00:00Z',
      ['2026-02-28T06:00Z'],
    ],
    [
      'a one-off window (rrule null)',
      window('2026-05-01T10:00:00Z', null),
      '2026-01-01T00:00:00Z',
      '2099-01-01T00:00:00Z',
      ['2026-05-01T10:00Z'],
    ],
    [
      'a one-off window already over',
      window('2026-05-01T10:00:00Z', null),
      '2026-05-01T11:00:00Z',
      '2099-01-01T00:00:00Z',
      [],
    ],
  ])('%s', (_name, w, from, to, expected) => {
    expect(starts(w, from, to)).toEqual(expected);
  });

  it('includes an occurrence that began before `from` but is still running, and honours the limit', () => {
    const w = window('2026-01-01T22:00:00Z', 'FREQ=DAILY', 'UTC', 4 * 3600);
    expect(starts(w, '2026-01-05T01:00:00Z', '2026-01-10T00:00:00Z', 2)).toEqual(['2026-01-04T22:00Z', '2026-01-05T22:00Z']);
    expect(starts(w, '2026-01-01T00:00:00Z', '2026-01-10T00:00:00Z', 1)).toEqual(['2026-01-01T22:00Z']);
  });

  it.each([
    ['FREQ=DAILY;INTERVAL=3', '2020-02-01T01:00:00Z'],
    ['FREQ=WEEKLY;INTERVAL=3;BYDAY=MO,SU', '2021-05-02T22:00:00Z'],
    ['FREQ=MONTHLY;INTERVAL=2;BYDAY=-1SU', '2020-03-29T00:30:00Z'],
    ['FREQ=MONTHLY;BYMONTHDAY=31,1', '2020-01-31T23:00:00Z'],
  ])('skipping ahead to `from` (%s) finds what counting from the first start finds', (rrule, startsAt) => {
    const plain = window(startsAt, rrule, 'Europe/Berlin', 7200);
    const counted = { ...plain, rrule: `${rrule};COUNT=10000` };
    for (const [from, to] of [['2026-03-01T00:00:00Z', '2026-04-15T00:00:00Z'], ['2026-10-20T00:00:00Z', '2026-12-01T00:00:00Z']] as const) {
      const expected = starts(counted, from, to);
      expect(expected.length).toBeGreaterThan(0);
      expect(starts(plain, from, to)).toEqual(expected);
    }
  });

  it('ends each occurrence after the duration in real time', () => {
    const [o] = occurrences(window('2026-03-29T00:30:00Z', null, 'Europe/Berlin', 7200), new Date(0), new Date('2030-01-01'));
    expect(o!.end.toISOString()).toBe('2026-03-29T02:30:00.000Z');
  });

  it('refuses an unknown time zone or a bad rule when expanding', () => {
    expect(() => occurrences(window('2026-01-01T00:00:00Z', null, 'Europe/Berln'), new Date(0), new Date())).toThrow('unknown time zone "Europe/Berln"');
    expect(() => occurrences(window('2026-01-01T00:00:00Z', 'FREQ=HOURLY'), new Date(0), new Date())).toThrow('FREQ: "HOURLY"');
  });
});

describe('activeOccurrence', () => {
  const w = window('2026-03-22T01:30:00Z', 'FREQ=WEEKLY;COUNT=3', 'Europe/Berlin', 3600);
  it.each([
    ['2026-03-22T01:30:00.000Z', '2026-03-22T01:30:00.000Z'],
    ['2026-03-22T02:29:59.999Z', '2026-03-22T01:30:00.000Z'],
    ['2026-03-22T02:30:00.000Z', undefined],
    ['2026-03-29T01:45:00.000Z', '2026-03-29T01:30:00.000Z'],
    ['2026-04-05T00:30:00.000Z', '2026-04-05T00:30:00.000Z'],
    ['2026-04-12T00:30:00.000Z', undefined],
    ['2026-03-22T01:29:59.999Z', undefined],
  ])('at %s: %s', (at, start) => {
    expect(activeOccurrence(w, new Date(at))?.start.toISOString()).toBe(start);
  });
});
