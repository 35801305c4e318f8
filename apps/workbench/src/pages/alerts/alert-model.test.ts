import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FILTERS,
  escapeRegex,
  filtersToQuery,
  formatMinutes,
  formatValue,
  matcherProblem,
  matchersFromAlert,
  parseDuration,
  parseFilters,
  since,
  toAlertFilter,
  toggle,
  SEVERITIES,
} from './alert-model.ts';

describe('list filters in the URL', () => {
  it('defaults to open alerts only, with nothing in the query', () => {
    expect(parseFilters(new URLSearchParams(''))).toEqual(DEFAULT_FILTERS);
    expect(filtersToQuery(DEFAULT_FILTERS)).toBe('');
    expect(toAlertFilter(DEFAULT_FILTERS)).toEqual({ open: true });
  });

  it('reads every filter and writes it back the same', () => {
    const q = '?state=pending%2Cfiring&severity=critical&host=12&rule=7&ack=no&q=web+01&open=all';
    const f = parseFilters(new URLSearchParams(q));
    expect(f).toEqual({ states: ['pending', 'firing'], severities: ['critical'], hostId: '12', ruleId: '7', ack: 'no', search: 'web 01', openOnly: false });
    expect(filtersToQuery(f)).toBe(q);
    expect(toAlertFilter(f)).toEqual({ states: ['pending', 'firing'], severities: ['critical'], hostIds: ['12'], ruleIds: ['7'], acknowledged: false, search: 'web 01' });
  });

  it('ignores unknown states, bad ids and duplicates', () => {
    const f = parseFilters(new URLSearchParams('state=firing,bogus,firing&severity=huge&host=abc&rule=1;drop&ack=maybe'));
    expect(f.states).toEqual(['firing']);
    expect(f.severities).toEqual([]);
    expect(f.hostId).toBe('');
    expect(f.ruleId).toBe('');
    expect(f.ack).toBe('');
    expect(toAlertFilter({ ...f, ack: 'yes' })).toEqual({ states: ['firing'], acknowledged: true, open: true });
  });

  it('toggles a value keeping the canonical order', () => {
    expect(toggle(['very_critical'], 'warning', SEVERITIES)).toEqual(['warning', 'very_critical']);
    expect(toggle(['warning', 'critical'], 'warning', SEVERITIES)).toEqual(['critical']);
  });
});

describe('silence matchers from an alert', () => {
  it('names the rule, the host and the other labels, in order', () => {
    const m = matchersFromAlert({ ruleName: 'CPU high', hostname: 'web-01', labels: { host: 'web-01', team: 'ops', mount: '/' } });
    expect(m).toEqual([
      { name: 'rule', op: '=', value: 'CPU high' },
      { name: 'host', op: '=', value: 'web-01' },
      { name: 'mount', op: '=', value: '/' },
      { name: 'team', op: '=', value: 'ops' },
    ]);
  });

  it('leaves out labels the server would refuse and objects, and works without a host', () => {
    const m = matchersFromAlert({ ruleName: 'r', hostname: null, labels: { 'bad name': 'x', nested: { a: 1 }, ok_1: 3 } });
    expect(m).toEqual([{ name: 'rule', op: '=', value: 'r' }, { name: 'ok_1', op: '=', value: '3' }]);
  });

  it('finds problems the server would report', () => {
    expect(matcherProblem({ name: 'host', op: '=', value: 'a' })).toBeUndefined();
    expect(matcherProblem({ name: '1x', op: '=', value: 'a' })).toMatch(/not a matcher name/);
    expect(matcherProblem({ name: 'host', op: '=~', value: 'web-(' })).toMatch(/regular expression/);
    expect(matcherProblem({ name: 'host', op: '=~', value: escapeRegex('web-(1).x') })).toBeUndefined();
    expect(new RegExp(`^${escapeRegex('a.b')}$`).test('axb')).toBe(false);
  });
});

describe('durations', () => {
  it.each([
    ['90m', 90],
    ['2h30m', 150],
    ['1d', 1440],
    ['1w 2d', 12960],
    ['45', 45],
  ])('%s is %i minutes', (text, minutes) => expect(parseDuration(text)).toBe(minutes));

  it.each(['', '0', '2x', 'h', '400d', '-5m'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());

  it('formats minutes back', () => {
    expect(formatMinutes(90)).toBe('1h30m');
    expect(formatMinutes(1440)).toBe('1d');
    expect(formatMinutes(1501)).toBe('1d1h1m');
  });
});

describe('formatting', () => {
  it('keeps values short', () => {
    expect(formatValue(95)).toBe('95');
    expect(formatValue(95.12345)).toBe('95.12');
    expect(formatValue(1234.5678)).toBe('1234.6');
    expect(formatValue(0.000123456)).toBe('0.0001');
    expect(formatValue(null)).toBe('—');
  });

  it('says how long ago', () => {
    const now = Date.parse('2025-01-01T12:00:00Z');
    expect(since('2025-01-01T11:59:30Z', now)).toBe('30s ago');
    expect(since('2025-01-01T11:55:00Z', now)).toBe('5m ago');
    expect(since('2025-01-01T09:50:00Z', now)).toBe('2h 10m ago');
    expect(since('2024-12-29T12:00:00Z', now)).toBe('3d ago');
  });
});

describe('errors', () => {
  it('drops the transport prefix', async () => {
    const { errorText } = await import('./alert-model.ts');
    expect(errorText(new Error('[GraphQL] the alert is already acknowledged'))).toBe('the alert is already acknowledged');
    expect(errorText(new Error('plain'))).toBe('plain');
  });
});
