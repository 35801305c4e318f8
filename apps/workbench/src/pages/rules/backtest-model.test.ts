import { parseRule } from '@esmon/schema';
import { describe, expect, test } from 'vitest';
import { bandsOf, chartSelector, thresholdLines, type Transition } from './backtest-model.ts';

const t = (at: number, fingerprint: string, fromState: string, toState: string, severity: Transition['severity'] = null, kind = 'state'): Transition => ({
  at: new Date(at).toISOString(), fingerprint, hostname: fingerprint.replace('host:', 'h'), kind, fromState, toState, severity, value: null,
});

describe('bandsOf', () => {
  test('pending then firing then resolved, per instance; an open band runs to the end', () => {
    const bands = bandsOf(
      [
        t(1000, 'host:1', 'ok', 'pending', 'warning'),
        t(2000, 'host:2', 'ok', 'firing', 'critical'),
        t(3000, 'host:1', 'pending', 'firing', 'warning'),
        t(4000, 'host:1', 'firing', 'firing', 'critical', 'severity'),
        t(4500, 'host:1', 'firing', 'firing', null, 'flapping_start'),
        t(5000, 'host:1', 'firing', 'resolved'),
      ],
      9000,
    );
    expect(bands.map((b) => [b.instance, b.from, b.to, b.state, b.severity])).toEqual([
      ['host:1', 1000, 3000, 'pending', 'warning'],
      ['host:1', 3000, 4000, 'firing', 'warning'],
      ['host:1', 4000, 5000, 'firing', 'critical'],
      ['host:2', 2000, 9000, 'firing', 'critical'],
    ]);
  });

  test('order of the input does not matter; nothing open, no bands', () => {
    expect(bandsOf([t(2000, 'host:1', 'pending', 'ok'), t(1000, 'host:1', 'ok', 'pending')], 5000)).toEqual([
      { instance: 'host:1', hostname: 'h1', from: 1000, to: 2000, state: 'pending', severity: null },
    ]);
    expect(bandsOf([], 5000)).toEqual([]);
  });
});

describe('thresholdLines', () => {
  test('a value rule: thresholds and distinct recoveries', () => {
    expect(
      thresholdLines(parseRule('avg(m, "5m")'), 'value', [
        { severity: 'warning', threshold: 80, recovery: 70 },
        { severity: 'critical', threshold: 95, recovery: 95 },
      ]),
    ).toEqual([
      { value: 80, severity: 'warning', kind: 'threshold' },
      { value: 70, severity: 'warning', kind: 'recovery' },
      { value: 95, severity: 'critical', kind: 'threshold' },
    ]);
  });

  test('a condition: the numbers it compares with, either side, negative ones too', () => {
    const lines = thresholdLines(parseRule('last(m, "5m") > 90 and (1 < avg(m, "1m") or min(m, "1m") < -5)'), 'condition', [{ severity: 'critical', threshold: null, recovery: null }]);
    expect(lines).toEqual([
      { value: 90, severity: 'critical', kind: 'condition' },
      { value: 1, severity: 'critical', kind: 'condition' },
      { value: -5, severity: 'critical', kind: 'condition' },
    ]);
    expect(thresholdLines(undefined, 'condition', [])).toEqual([]);
  });
});

test('chartSelector picks the first metric with its matchers', () => {
  expect(chartSelector(parseRule('rate(net.rx{iface="eth0"}, "5m") > 1 and last(x, "1m") > 0'))).toBe('net.rx{iface="eth0"}');
  expect(chartSelector(parseRule('1 > 0'))).toBeUndefined();
  expect(chartSelector(undefined)).toBeUndefined();
});
