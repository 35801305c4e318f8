import { describe, expect, it } from 'vitest';
import { describeMatch, routeLines, seconds } from './policy-tree.ts';

describe('the routing tree as lines', () => {
  it('reads durations', () => {
    expect(seconds(30)).toBe('30 s');
    expect(seconds(300)).toBe('5 min');
    expect(seconds(90)).toBe('1 min 30 s');
    expect(seconds(14_400)).toBe('4 h');
    expect(seconds(5400)).toBe('1 h 30 min');
    expect(seconds(172_800)).toBe('2 d');
  });

  it('reads matchers', () => {
    expect(describeMatch(undefined)).toBe('every alert');
    expect(describeMatch({ severity: ['critical', 'very_critical'], labels: { env: 'prod', team: { regex: 'ops.*' } }, rules: ['Disk full'], hosts: ['maximo-*', 'db?'] })).toBe(
      'severity ∈ {critical, very_critical} · env = prod · team =~ ops.* · rule = Disk full · host ~ maximo-* | db?',
    );
  });

  it('walks the default policy, inheriting what a route leaves out', () => {
    const lines = routeLines({
      channels: [],
      groupBy: ['rule'],
      groupWaitSeconds: 30,
      groupIntervalSeconds: 300,
      repeatIntervalSeconds: 4 * 3600,
      routes: [
        { match: { severity: ['very_critical'] }, channels: ['email'], continue: true, escalate: [{ afterMinutes: 15, channels: ['pager'] }] },
        { channels: ['log'], groupBy: [], repeatIntervalSeconds: 0, routes: [{ match: { hosts: ['web-*'] } }] },
      ],
    });
    expect(lines.map((l) => [l.path, l.depth, l.match, l.channels.text, l.continue])).toEqual([
      ['root', 0, 'every alert', 'no channel', false],
      ['1', 1, 'severity = very_critical', 'email', true],
      ['2', 1, 'every alert', 'log', false],
      ['2.1', 2, 'host ~ web-*', 'log', false],
    ]);
    expect(lines[1]!.escalate).toEqual(['after 15 min unacknowledged → pager']);
    expect(lines[1]!.settings.map((s) => [s.text, s.own])).toEqual([['group by rule', false], ['wait 30 s', false], ['interval 5 min', false], ['repeat every 4 h', false]]);
    expect(lines[2]!.settings.map((s) => [s.text, s.own])).toEqual([['one group', true], ['wait 30 s', false], ['interval 5 min', false], ['never repeat', true]]);
    expect(lines[3]!.channels).toEqual({ text: 'log', own: false });
    expect(lines[3]!.settings[3]).toEqual({ text: 'never repeat', own: false });
  });
});
