// The alerts pages' pure logic: list filters kept in the URL query and turned into the server's
// AlertFilter, silence matchers drawn from an alert, silence durations, and value formatting.

export const STATES = ['pending', 'firing', 'nodata', 'stale', 'resolved', 'ok'] as const;
export const SEVERITIES = ['warning', 'critical', 'very_critical'] as const;
export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;

export type AlertState = (typeof STATES)[number];
export type Severity = (typeof SEVERITIES)[number];
export type MatcherOp = (typeof MATCHER_OPS)[number];

/** What the list shows, as the URL query says it (`?state=firing&severity=critical&q=web`). */
export interface ListFilters {
  states: AlertState[];
  severities: Severity[];
  hostId: string;
  ruleId: string;
  /** '' any, 'yes' acknowledged only, 'no' unacknowledged only */
  ack: '' | 'yes' | 'no';
  search: string;
  /** open alerts only: the default; `open=all` lifts it */
  openOnly: boolean;
}

export const DEFAULT_FILTERS: ListFilters = { states: [], severities: [], hostId: '', ruleId: '', ack: '', search: '', openOnly: true };

function listOf<T extends string>(raw: string | null, allowed: readonly T[]): T[] {
  if (!raw) return [];
  const out: T[] = [];
  for (const part of raw.split(',')) {
    const v = part.trim() as T;
    if (allowed.includes(v) && !out.includes(v)) out.push(v);
  }
  return out;
}

const isId = (v: string | null): v is string => v != null && /^\d{1,18}$/.test(v);

/** Reads the filters from a URL query; unknown or malformed values are ignored. */
export function parseFilters(query: URLSearchParams): ListFilters {
  const ack = query.get('ack');
  return {
    states: listOf(query.get('state'), STATES),
    severities: listOf(query.get('severity'), SEVERITIES),
    hostId: isId(query.get('host')) ? query.get('host')! : '',
    ruleId: isId(query.get('rule')) ? query.get('rule')! : '',
    ack: ack === 'yes' || ack === 'no' ? ack : '',
    search: (query.get('q') ?? '').slice(0, 200),
    openOnly: query.get('open') !== 'all',
  };
}

/** The query string for the filters (defaults left out), with its leading `?` or ''. */
export function filtersToQuery(f: ListFilters): string {
  const q = new URLSearchParams();
  if (f.states.length) q.set('state', f.states.join(','));
  if (f.severities.length) q.set('severity', f.severities.join(','));
  if (f.hostId) q.set('host', f.hostId);
  if (f.ruleId) q.set('rule', f.ruleId);
  if (f.ack) q.set('ack', f.ack);
  if (f.search.trim()) q.set('q', f.search.trim());
  if (!f.openOnly) q.set('open', 'all');
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** The server's AlertFilter for the list filters. */
export function toAlertFilter(f: ListFilters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (f.states.length) out.states = f.states;
  if (f.severities.length) out.severities = f.severities;
  if (f.hostId) out.hostIds = [f.hostId];
  if (f.ruleId) out.ruleIds = [f.ruleId];
  if (f.ack) out.acknowledged = f.ack === 'yes';
  if (f.search.trim()) out.search = f.search.trim();
  if (f.openOnly) out.open = true;
  return out;
}

/** Turns one value on or off in a list filter, keeping the canonical order. */
export function toggle<T extends string>(list: readonly T[], value: T, all: readonly T[]): T[] {
  const on = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
  return all.filter((v) => on.includes(v));
}

export interface Matcher {
  name: string;
  op: MatcherOp;
  value: string;
}

/** Matcher names the server accepts: "rule", "host" or a label name. */
export const MATCHER_NAME = /^[A-Za-z_][A-Za-z0-9_.]{0,99}$/;

/** Escapes a value so a =~ matcher matches it literally. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A silence's matchers for an alert: its rule's name, its host, then its other labels (the host
 * label repeats the hostname, so it is skipped). Labels the server would refuse as names are left out.
 */
export function matchersFromAlert(alert: { ruleName: string; hostname?: string | null; labels?: unknown }): Matcher[] {
  const out: Matcher[] = [{ name: 'rule', op: '=', value: alert.ruleName }];
  if (alert.hostname) out.push({ name: 'host', op: '=', value: alert.hostname });
  const labels = alert.labels && typeof alert.labels === 'object' && !Array.isArray(alert.labels) ? (alert.labels as Record<string, unknown>) : {};
  for (const [name, value] of Object.entries(labels).sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'host' || name === 'rule' || !MATCHER_NAME.test(name)) continue;
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
    out.push({ name, op: '=', value: String(value) });
  }
  return out.slice(0, 20);
}

/** Why a matcher cannot be sent, or undefined. */
export function matcherProblem(m: Matcher): string | undefined {
  if (!MATCHER_NAME.test(m.name)) return `"${m.name}" is not a matcher name: "rule", "host" or a label (letters, digits, _ and .)`;
  if (m.value.length > 256) return `the value of ${m.name} is longer than 256 characters`;
  if (m.op === '=~' || m.op === '!~') {
    try {
      new RegExp(`^(?:${m.value})$`);
    } catch {
      return `${m.name}${m.op}"${m.value}" is not a valid regular expression`;
    }
  }
  return undefined;
}

export const DURATION_PRESETS = [
  { label: '1h', minutes: 60 },
  { label: '4h', minutes: 240 },
  { label: '1d', minutes: 1440 },
] as const;

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

/**
 * A custom duration in minutes: `90m`, `2h30m`, `1d`, `1w2d`, or a bare number of minutes.
 * Undefined when it does not read, is under a minute or over a year.
 */
export function parseDuration(text: string): number | undefined {
  const s = text.trim().toLowerCase().replace(/\s+/g, '');
  if (!s) return undefined;
  let minutes: number;
  if (/^\d+$/.test(s)) minutes = Number(s);
  else {
    if (!/^(\d+[mhdw])+$/.test(s)) return undefined;
    minutes = 0;
    for (const [, n, unit] of s.matchAll(/(\d+)([mhdw])/g)) minutes += Number(n) * UNIT_MINUTES[unit!]!;
  }
  return minutes >= 1 && minutes <= 365 * 1440 ? minutes : undefined;
}

/** 90 → "1h30m", 1440 → "1d". */
export function formatMinutes(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  return [d ? `${d}d` : '', h ? `${h}h` : '', m ? `${m}m` : ''].join('') || '0m';
}

/** A rule's last value, readable: at most 4 significant decimals, no exponent for usual sizes. */
export function formatValue(v: number | null | undefined): string {
  if (v == null || !Number.isFinite(v)) return '—';
  if (Number.isInteger(v)) return String(v);
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 1 : abs >= 1 ? 2 : 4;
  return String(Number(v.toFixed(digits)));
}

/** "3m ago", "2h 5m ago", "4d ago" from an instant to now. */
export function since(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 60) return `${s}s ago`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ago`;
  const h = Math.floor(m / 60);
  if (h < 24) return m % 60 ? `${h}h ${m % 60}m ago` : `${h}h ago`;
  return `${Math.floor(h / 24)}d ago`;
}

/** Severity names as people read them. */
export function severityLabel(s: string | null | undefined): string {
  return s ? s.replace('_', ' ') : '—';
}

/** The row's look (with data-severity): firing by severity; pending, no data and stale apart; closed ones quiet. */
export function rowClass(a: { state: string; open?: boolean }): string {
  return `alert-row state-${a.state}${a.open === false ? ' closed' : ''}`;
}

/** A server error in words: urql's "[GraphQL] " / "[Network] " prefixes taken off. */
export function errorText(error: { message: string }): string {
  return error.message.replace(/^\[(GraphQL|Network)\] /, '');
}
