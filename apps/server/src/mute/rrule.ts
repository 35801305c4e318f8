// Recurring maintenance windows: the RFC 5545 RRULE subset people write for planned work
// (FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL), expanded in the window's
// time zone. Every occurrence keeps the first start's wall-clock time, so "Sunday 02:00 in Berlin"
// stays 02:00 on the wall across daylight-saving changes while its UTC offset moves.
//
// As in RFC 5545, the first start (DTSTART) is always the first occurrence and counts towards
// COUNT; the rule then produces the later ones. Weeks start on Monday (WKST is not supported).
import { calendarOf, canonicalTimeZone, DAY_MS, dayFromCalendar, dayOf, daysInMonth, fromLocalMs, toLocalMs, weekdayOf } from './zoned-time.ts';

export type Frequency = 'DAILY' | 'WEEKLY' | 'MONTHLY';

/** A BYDAY entry: weekday 0 = Monday … 6 = Sunday; nth (MONTHLY only) 1..5 or -5..-1. */
export interface ByDay {
  weekday: number;
  nth?: number;
}

export interface RRule {
  freq: Frequency;
  interval: number;
  byDay: ByDay[];
  byMonthDay: number[];
  count?: number;
  /** inclusive bound: an instant (UNTIL=…Z) or a wall-clock reading in the window's zone */
  until?: { utc: boolean; ms: number };
}

export interface MaintenanceSchedule {
  startsAt: Date;
  durationSeconds: number;
  rrule: string | null;
  timeZone: string;
}

export interface Occurrence {
  start: Date;
  end: Date;
}

/** A recurrence rule that does not parse or is outside the supported subset. */
export class RRuleError extends Error {
  override name = 'RRuleError';
}

const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'];
const PARTS = ['FREQ', 'INTERVAL', 'BYDAY', 'BYMONTHDAY', 'COUNT', 'UNTIL'];
export const MAX_COUNT = 10_000;
const MAX_INTERVAL = 1000;
// a rule that can never match (MONTHLY;INTERVAL=12;BYMONTHDAY=30 from February) must still end
const MAX_PERIODS = 50_000;
// the widest UTC offsets in use (+14:00, -12:00) plus a day's slack, to skip without Intl
const EARLIEST = 14 * 3_600_000 + DAY_MS;
const LATEST = 12 * 3_600_000 + DAY_MS;

function wholeNumber(part: string, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new RRuleError(`${part}: "${text}" is not a whole number from ${min} to ${max}`);
  }
  return Number(text);
}

function parseByDay(text: string, freq: Frequency): ByDay[] {
  return text.split(',').map((item) => {
    const m = /^([+-]?\d{1,2})?([A-Z]{2})$/.exec(item);
    const weekday = m ? WEEKDAYS.indexOf(m[2]!) : -1;
    if (!m || weekday < 0) throw new RRuleError(`BYDAY: "${item}" is not a weekday (MO, TU, WE, TH, FR, SA, SU, or 1MO, -1FR with FREQ=MONTHLY)`);
    if (m[1] === undefined) return { weekday };
    if (freq !== 'MONTHLY') throw new RRuleError(`BYDAY: "${item}" has a position, allowed only with FREQ=MONTHLY`);
    const nth = Number(m[1]);
    if (nth === 0 || Math.abs(nth) > 5) throw new RRuleError(`BYDAY: "${item}": the position must be 1 to 5 or -1 to -5`);
    return { weekday, nth };
  });
}

function parseByMonthDay(text: string): number[] {
  return text.split(',').map((item) => {
    const n = /^[+-]?\d{1,2}$/.test(item) ? Number(item) : NaN;
    if (!Number.isInteger(n) || n === 0 || Math.abs(n) > 31) {
      throw new RRuleError(`BYMONTHDAY: "${item}" is not a day of the month (1 to 31 or -31 to -1)`);
    }
    return n;
  });
}

function parseUntil(text: string): { utc: boolean; ms: number } {
  const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(text);
  if (!m) throw new RRuleError(`UNTIL: "${text}" is not a date (20261231) or date-time (20261231T235959Z)`);
  const [, y, mo, d, h, mi, s, z] = m;
  const dayMs = dayFromCalendar(Number(y), Number(mo), Number(d)) * DAY_MS;
  const check = calendarOf(dayOf(dayMs));
  if (check.month !== Number(mo) || check.dayOfMonth !== Number(d) || Number(h ?? 0) > 23 || Number(mi ?? 0) > 59 || Number(s ?? 0) > 59) {
    throw new RRuleError(`UNTIL: "${text}" is not a real date`);
  }
  // a bare date includes the whole day
  if (h === undefined) return { utc: false, ms: dayMs + DAY_MS - 1 };
  return { utc: z === 'Z', ms: dayMs + ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 };
}

/** Parses `FREQ=WEEKLY;BYDAY=SU` (an `RRULE:` prefix is allowed); throws RRuleError naming the part. */
export function parseRRule(text: string): RRule {
  const body = text.trim().toUpperCase().replace(/^RRULE:/, '');
  if (body === '') throw new RRuleError('the rule is empty (e.g. FREQ=WEEKLY;BYDAY=SU)');
  const values = new Map<string, string>();
  // a trailing ";" is common in hand-written rules and harmless
  for (const part of body.split(';').filter((p, i, all) => p !== '' || i < all.length - 1)) {
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (eq < 0 || eq === part.length - 1) throw new RRuleError(`"${part}" is not NAME=VALUE`);
    if (!PARTS.includes(name)) throw new RRuleError(`${name} is not supported (only ${PARTS.join(', ')})`);
    if (values.has(name)) throw new RRuleError(`${name} is given twice`);
    values.set(name, part.slice(eq + 1));
  }
  const freqText = values.get('FREQ');
  if (freqText === undefined) throw new RRuleError('FREQ is missing (DAILY, WEEKLY or MONTHLY)');
  if (freqText !== 'DAILY' && freqText !== 'WEEKLY' && freqText !== 'MONTHLY') {
    throw new RRuleError(`FREQ: "${freqText}" is not supported (DAILY, WEEKLY or MONTHLY)`);
  }
  const freq: Frequency = freqText;
  if (values.has('COUNT') && values.has('UNTIL')) throw new RRuleError('COUNT and UNTIL cannot both be given');
  if (freq === 'WEEKLY' && values.has('BYMONTHDAY')) throw new RRuleError('BYMONTHDAY is not allowed with FREQ=WEEKLY');
  const rule: RRule = {
    freq,
    interval: values.has('INTERVAL') ? wholeNumber('INTERVAL', values.get('INTERVAL')!, 1, MAX_INTERVAL) : 1,
    byDay: values.has('BYDAY') ? parseByDay(values.get('BYDAY')!, freq) : [],
    byMonthDay: values.has('BYMONTHDAY') ? parseByMonthDay(values.get('BYMONTHDAY')!) : [],
  };
  if (values.has('COUNT')) rule.count = wholeNumber('COUNT', values.get('COUNT')!, 1, MAX_COUNT);
  if (values.has('UNTIL')) rule.until = parseUntil(values.get('UNTIL')!);
  return rule;
}

// --- expansion ------------------------------------------------------------------------------------

/** The days (sorted day numbers) a rule picks in the month starting on `first`. */
function monthDays(rule: RRule, first: number, startDayOfMonth: number): number[] {
  const { year, month } = calendarOf(first);
  const length = daysInMonth(year, month);
  const byMonthDay = new Set<number>();
  for (const n of rule.byMonthDay) {
    const dom = n > 0 ? n : length + 1 + n;
    if (dom >= 1 && dom <= length) byMonthDay.add(dom);
  }
  const byDay = new Set<number>();
  for (const { weekday, nth } of rule.byDay) {
    const matching: number[] = [];
    for (let dom = 1; dom <= length; dom++) if (weekdayOf(first + dom - 1) === weekday) matching.push(dom);
    const picked = nth === undefined ? matching : [matching[nth > 0 ? nth - 1 : matching.length + nth]];
    for (const dom of picked) if (dom !== undefined) byDay.add(dom);
  }
  let doms: number[];
  if (rule.byDay.length > 0 && rule.byMonthDay.length > 0) doms = [...byDay].filter((d) => byMonthDay.has(d));
  else if (rule.byDay.length > 0) doms = [...byDay];
  else if (rule.byMonthDay.length > 0) doms = [...byMonthDay];
  else doms = startDayOfMonth <= length ? [startDayOfMonth] : [];
  return doms.sort((a, b) => a - b).map((dom) => first + dom - 1);
}

/** The days of period `p` (p-th step of FREQ×INTERVAL from the start), sorted. */
function periodDays(rule: RRule, startDay: number, p: number): number[] {
  const weekdays = new Set(rule.byDay.map((d) => d.weekday));
  if (rule.freq === 'DAILY') {
    const day = startDay + p * rule.interval;
    if (weekdays.size > 0 && !weekdays.has(weekdayOf(day))) return [];
    if (rule.byMonthDay.length > 0) {
      const { year, month, dayOfMonth } = calendarOf(day);
      const length = daysInMonth(year, month);
      if (!rule.byMonthDay.some((n) => (n > 0 ? n : length + 1 + n) === dayOfMonth)) return [];
    }
    return [day];
  }
  if (rule.freq === 'WEEKLY') {
    const monday = startDay - weekdayOf(startDay) + 7 * rule.interval * p;
    const days = weekdays.size > 0 ? [...weekdays].sort((a, b) => a - b) : [weekdayOf(startDay)];
    return days.map((wd) => monday + wd);
  }
  const start = calendarOf(startDay);
  return monthDays(rule, dayFromCalendar(start.year, start.month + rule.interval * p, 1), start.dayOfMonth);
}

/** The first period that can still hold an occurrence ending after `fromMs` (rules without COUNT). */
function firstUsefulPeriod(rule: RRule, startDay: number, fromMs: number, durationMs: number): number {
  const day = dayOf(fromMs - durationMs - EARLIEST);
  if (day <= startDay) return 0;
  const { year, month } = calendarOf(startDay);
  const target = calendarOf(day);
  const steps =
    rule.freq === 'MONTHLY' ? (target.year - year) * 12 + (target.month - month) : Math.floor((day - startDay) / (rule.freq === 'DAILY' ? 1 : 7));
  return Math.max(0, Math.floor(steps / rule.interval) - 1);
}

function overlaps(start: number, durationMs: number, from: number, to: number): boolean {
  return start <= to && start + durationMs > from;
}

/**
 * The occurrences of a window that overlap [from, to] (start ≤ to and end > from), in order, at
 * most `limit`. Throws RRuleError or TimeZoneError for a rule or zone that is not understood.
 */
export function occurrences(window: MaintenanceSchedule, from: Date, to: Date, limit = 1000): Occurrence[] {
  const zone = canonicalTimeZone(window.timeZone);
  const rule = window.rrule === null ? null : parseRRule(window.rrule);
  const durationMs = window.durationSeconds * 1000;
  const first = window.startsAt.getTime();
  const out: Occurrence[] = [];
  const push = (start: number) => out.push({ start: new Date(start), end: new Date(start + durationMs) });
  const fromMs = from.getTime();
  const toMs = to.getTime();
  if (overlaps(first, durationMs, fromMs, toMs)) push(first);
  if (rule === null || out.length >= limit) return out.slice(0, Math.max(0, limit));

  const startLocal = toLocalMs(first, zone);
  const startDay = dayOf(startLocal);
  const timeOfDay = startLocal - startDay * DAY_MS;
  let seen = 1; // DTSTART
  const p0 = rule.count === undefined ? firstUsefulPeriod(rule, startDay, fromMs, durationMs) : 0;
  for (let p = p0; p < p0 + MAX_PERIODS; p++) {
    for (const day of periodDays(rule, startDay, p)) {
      if (day <= startDay) continue;
      const local = day * DAY_MS + timeOfDay;
      if (rule.until && !rule.until.utc && local > rule.until.ms) return out;
      if ((rule.until?.utc && local - EARLIEST > rule.until.ms) || local - EARLIEST > toMs) return out;
      if (rule.count !== undefined && ++seen > rule.count) return out;
      // certainly over before `from`: no need to ask Intl for the exact instant
      if (local + LATEST + durationMs <= fromMs) continue;
      const start = fromLocalMs(local, zone);
      if ((rule.until?.utc && start > rule.until.ms) || start > toMs) return out;
      if (overlaps(start, durationMs, fromMs, toMs)) {
        push(start);
        if (out.length >= limit) return out;
      }
    }
  }
  return out;
}

/** The occurrence in progress at `at` (start ≤ at < end), if any. */
export function activeOccurrence(window: MaintenanceSchedule, at: Date): Occurrence | undefined {
  // overlapping the single instant [at, at] means start ≤ at < end
  return occurrences(window, at, at, 1)[0];
}
