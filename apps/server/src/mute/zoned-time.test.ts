import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, dayFromCalendar, daysInMonth, fromLocalMs, offsetAt, TimeZoneError, toLocalMs, weekdayOf } from './zoned-time.ts';

const H = 3_600_000;
const local = (text: string) => Date.parse(`${text}Z`);
const iso = (ms: number) => new Date(ms).toISOString();

describe('zoned time', () => {
  it.each([
    ['2026-01-15T12:00:00Z', 'Europe/Berlin', 1],
    ['2026-07-15T12:00:00Z', 'Europe/Berlin', 2],
    ['2026-03-29T00:59:59Z', 'Europe/Berlin', 1],
    ['2026-03-29T01:00:00Z', 'Europe/Berlin', 2],
    ['2026-10-25T00:59:59Z', 'Europe/Berlin', 2],
    ['2026-10-25T01:00:00Z', 'Europe/Berlin', 1],
    ['2026-01-15T12:00:00Z', 'America/New_York', -5],
    ['2026-07-15T12:00:00Z', 'America/New_York', -4],
    ['2026-07-15T12:00:00Z', 'Asia/Kolkata', 5.5],
    ['2026-07-15T12:00:00Z', 'Pacific/Kiritimati', 14],
    ['2026-07-15T12:00:00Z', 'UTC', 0],
  ])('offset at %s in %s is %s h', (instant, zone, hours) => {
    expect(offsetAt(Date.parse(instant), zone)).toBe(hours * H);
  });

  it.each([
    // an ordinary reading
    ['2026-01-15T10:00:00', 'Europe/Berlin', '2026-01-15T09:00:00.000Z'],
    // spring forward: 02:00–03:00 does not exist, 02:30 moves on by the hour to 03:30 CEST
    ['2026-03-29T02:30:00', 'Europe/Berlin', '2026-03-29T01:30:00.000Z'],
    ['2026-03-29T03:00:00', 'Europe/Berlin', '2026-03-29T01:00:00.000Z'],
    // fall back: 02:30 happens twice, the first (CEST) is taken
    ['2026-10-25T02:30:00', 'Europe/Berlin', '2026-10-25T00:30:00.000Z'],
    ['2026-10-25T03:00:00', 'Europe/Berlin', '2026-10-25T02:00:00.000Z'],
    ['2026-03-08T02:15:00', 'America/New_York', '2026-03-08T07:15:00.000Z'],
    ['2026-11-01T01:30:00', 'America/New_York', '2026-11-01T05:30:00.000Z'],
    ['2026-07-01T00:00:00', 'Asia/Kolkata', '2026-06-30T18:30:00.000Z'],
  ])('%s in %s happens at %s', (reading, zone, instant) => {
    expect(iso(fromLocalMs(local(reading), zone))).toBe(instant);
  });

  it('reads the wall clock back, milliseconds kept', () => {
    expect(iso(toLocalMs(Date.parse('2026-03-29T01:30:00.250Z'), 'Europe/Berlin'))).toBe('2026-03-29T03:30:00.250Z');
    expect(iso(toLocalMs(Date.parse('2026-11-01T05:30:00Z'), 'America/New_York'))).toBe('2026-11-01T01:30:00.000Z');
  });

  it('knows IANA names and refuses unknown ones clearly', () => {
    expect(canonicalTimeZone('europe/berlin')).toBe('Europe/Berlin');
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(() => canonicalTimeZone('Mars/Olympus_Mons')).toThrow(TimeZoneError);
    expect(() => canonicalTimeZone('Mars/Olympus_Mons')).toThrow('unknown time zone "Mars/Olympus_Mons"');
    expect(() => canonicalTimeZone('')).toThrow(TimeZoneError);
  });

  it('does calendar arithmetic on day numbers', () => {
    expect(weekdayOf(0)).toBe(3); // 1970-01-01, a Thursday
    expect(weekdayOf(dayFromCalendar(2026, 3, 29))).toBe(6); // a Sunday
    expect(dayFromCalendar(2026, 13, 1)).toBe(dayFromCalendar(2027, 1, 1));
    expect([daysInMonth(2026, 2), daysInMonth(2028, 2), daysInMonth(2026, 12)]).toEqual([28, 29, 31]);
  });
});
