import { describe, expect, it } from 'vitest';
import { bytesPerSecond, CHARTS, maxGapMs, maxPointsFor, percent, plain, RANGES, rangeOf, selectorFor } from './charts.ts';

// the server's choice (apps/server/src/store/downsample.ts): the narrowest nice width whose whole
// buckets over the widened range number at most maxPoints
const NICE = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800].map((s) => s * 1000);
const serverWidth = (from: number, to: number, maxPoints: number) =>
  NICE.find((w) => Math.ceil(to / w) - Math.floor(from / w) <= maxPoints);

describe('ranges', () => {
  it('keep every chart at or under about a thousand points, and the server picks exactly their step', () => {
    for (const r of RANGES) {
      expect(maxPointsFor(r)).toBeLessThanOrEqual(1001);
      for (const to of [Date.UTC(2025, 0, 1), Date.UTC(2025, 0, 1) + 7_777, 1_760_000_123_456]) {
        expect(serverWidth(to - r.ms, to, maxPointsFor(r))).toBe(r.stepMs);
      }
    }
  });

  it('falls back to 1h for an unknown key, and breaks lines only on gaps wider than a few buckets', () => {
    expect(rangeOf('nope').key).toBe('1h');
    expect(rangeOf('24h').key).toBe('24h');
    expect(maxGapMs(rangeOf('15m'))).toBe(90_000);
    expect(maxGapMs(rangeOf('7d'))).toBe(45 * 60_000);
  });
});

describe('formats and names', () => {
  it('reads values as people do', () => {
    expect(percent(3.14159)).toBe('3.1%');
    expect(percent(42.6)).toBe('43%');
    expect(percent(0)).toBe('0%');
    expect(percent(100)).toBe('100%');
    expect(plain(10)).toBe('10');
    // on an axis, the tick step sets the precision
    expect(percent(25.1, 0.1)).toBe('25.1%');
    expect(percent(25, 0.05)).toBe('25%');
    expect(percent(25.05, 0.05)).toBe('25.05%');
    expect(percent(40, 20)).toBe('40%');
    expect(plain(17.5, 2.5)).toBe('17.5');
    expect(plain(0.456)).toBe('0.46');
    expect(bytesPerSecond(2048)).toBe('2.0 KiB/s');
  });

  it('names series by their labels', () => {
    const cpu = CHARTS.find((c) => c.key === 'cpu')!;
    expect(cpu.name('os.cpu.usage', {})).toBe('total');
    expect(cpu.name('os.cpu.usage', { core: '3' })).toBe('core 3');
    const net = CHARTS.find((c) => c.key === 'network')!;
    expect(net.name('os.net.tx_bytes_per_sec', { interface: 'eth0' })).toBe('eth0 out');
    expect(CHARTS.find((c) => c.key === 'disk')!.name('os.disk.used_pct', { mount: '/', fs: 'ext4' })).toBe('/');
  });

  it('builds selectors with quoted label values', () => {
    expect(selectorFor('os.cpu.usage', 'web-01')).toBe('os.cpu.usage{host="web-01"}');
    expect(selectorFor('esmon.agent.probe.errors_total', 'db', { probe: '7' })).toBe('esmon.agent.probe.errors_total{host="db",probe="7"}');
  });
});
