// Wall-clock time in an IANA time zone without a date library: Intl.DateTimeFormat tells the
// zone's offset at an instant, and a local time is turned back into an instant by trying the
// offsets in force a day before and a day after (no real zone changes offset twice in 48 hours).
//
// Local times are "local milliseconds": the wall-clock reading written as if it were UTC, so
// calendar arithmetic on them is plain Date.UTC arithmetic with no zone in sight.

export const DAY_MS = 86_400_000;

/** A time zone name Intl does not know. */
export class TimeZoneError extends Error {
  override name = 'TimeZoneError';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        era: 'short',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new TimeZoneError(`unknown time zone "${timeZone}" (an IANA name such as Europe/Berlin or UTC)`);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's canonical IANA name (`europe/berlin` → `Europe/Berlin`); throws TimeZoneError. */
export function canonicalTimeZone(timeZone: string): string {
  if (timeZone.trim() === '' || timeZone.length > 64) throw new TimeZoneError(`unknown time zone "${timeZone}"`);
  return formatterFor(timeZone).resolvedOptions().timeZone;
}

/** The wall-clock reading of an instant in a zone, as local milliseconds (whole seconds). */
export function toLocalMs(instantMs: number, timeZone: string): number {
  const seconds = Math.floor(instantMs / 1000) * 1000;
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(seconds)) parts[p.type] = p.value;
  const year = parts.era === 'BC' || parts.era === 'B' ? 1 - Number(parts.year) : Number(parts.year);
  const local = Date.UTC(year, Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back
  const d = new Date(local);
  d.setUTCFullYear(year);
  return d.getTime() + (instantMs - seconds);
}

/** The zone's UTC offset at an instant, in milliseconds (Berlin in summer: +7 200 000). */
export function offsetAt(instantMs: number, timeZone: string): number {
  return toLocalMs(instantMs, timeZone) - instantMs;
}

/**
 * The instant a wall-clock reading happens in a zone. A reading that happens twice (the hour
 * repeated when clocks fall back) gives the first instant; a reading that never happens (the hour
 * skipped when clocks spring forward) moves forward by the gap, 02:30 becoming 03:30.
 */
export function fromLocalMs(localMs: number, timeZone: string): number {
  const before = offsetAt(localMs - DAY_MS, timeZone);
  const after = offsetAt(localMs + DAY_MS, timeZone);
  const valid = [localMs - before, localMs - after].filter((t) => offsetAt(t, timeZone) === localMs - t);
  if (valid.length > 0) return Math.min(...valid);
  // in the gap: reading the wall time with the offset from before the change lands after it,
  // exactly the gap's length later on the wall clock
  return localMs - before;
}

/** Days since 1970-01-01 of a local-milliseconds value. */
export const dayOf = (localMs: number): number => Math.floor(localMs / DAY_MS);

/** Weekday of a day number: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7;

/** Year and month (1–12) and day of month of a day number. */
export function calendarOf(day: number): { year: number; month: number; dayOfMonth: number } {
  const d = new Date(day * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, dayOfMonth: d.getUTCDate() };
}

/** The day number of a calendar date; month may run past 12 (month 13 is next January). */
export function dayFromCalendar(year: number, month: number, dayOfMonth: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, dayOfMonth);
  return dayOf(d.getTime());
}

export const daysInMonth = (year: number, month: number): number =>
  dayFromCalendar(year, month + 1, 1) - dayFromCalendar(year, month, 1);
