import { describe, expect, it } from 'vitest';
import { addLive, buildTable, lastValues, seriesKey, type LivePoint, type RangeSeries } from './series-table.ts';

const iso = (ms: number) => new Date(ms).toISOString();
const T = Date.UTC(2025, 0, 1, 12, 0, 0);
const S = 10_000;

const cpu: RangeSeries[] = [
  { metric: 'os.cpu.usage', labels: { core: '10' }, points: [{ ts: iso(T), value: 5 }] },
  { metric: 'os.cpu.usage', labels: {}, points: [{ ts: iso(T), value: 1 }, { ts: iso(T + S), value: 2 }] },
  { metric: 'os.cpu.usage', labels: { core: '2' }, points: [{ ts: iso(T + S), value: 7 }] },
];
const live = (ms: number, value: number, labels: Record<string, string> = {}, metric = 'os.cpu.usage'): LivePoint => ({ metric, labels, ts: iso(ms), value });

describe('buildTable', () => {
  it('aligns series on the union of their buckets, totals before cores, cores in natural order', () => {
    const t = buildTable(cpu, ['os.cpu.usage'], S, 60_000);
    expect(t.xs).toEqual([T, T + S]);
    expect(t.series.map((s) => s.labels)).toEqual([{}, { core: '2' }, { core: '10' }]);
    expect(t.ys).toEqual([[1, 2], [null, 7], [5, null]]);
    expect(t.baseEnd).toBe(T + S);
    expect(lastValues(t.ys)).toEqual([2, 7, 5]);
  });

  it('orders metrics as the chart lists them', () => {
    const t = buildTable(
      [
        { metric: 'os.load.5', labels: {}, points: [{ ts: iso(T), value: 2 }] },
        { metric: 'os.load.1', labels: {}, points: [{ ts: iso(T), value: 1 }] },
      ],
      ['os.load.1', 'os.load.5'],
      S,
      60_000,
    );
    expect(t.series.map((s) => s.metric)).toEqual(['os.load.1', 'os.load.5']);
  });
});

describe('addLive', () => {
  const base = () => buildTable(cpu, ['os.cpu.usage'], S, 60_000);

  it('ignores samples the range answer already counted and other metrics', () => {
    const t = base();
    expect(addLive(t, [live(T + S + 5000, 99), live(T - 1, 99), live(T + 5 * S, 1, {}, 'os.mem.used_pct')], ['os.cpu.usage'])).toBe(t);
  });

  it('opens a bucket after the answer and averages the samples in it', () => {
    let t = addLive(base(), [live(T + 2 * S + 1000, 10), live(T + 2 * S + 1000, 40, { core: '2' })], ['os.cpu.usage']);
    t = addLive(t, [live(T + 2 * S + 6000, 20)], ['os.cpu.usage']);
    expect(t.xs).toEqual([T, T + S, T + 2 * S]);
    expect(t.ys[0]).toEqual([1, 2, 15]);
    expect(t.ys[1]).toEqual([null, 7, 40]);
    expect(t.ys[2]).toEqual([5, null, null]);
  });

  it('adds a series it had not seen, and inserts a late bucket in order', () => {
    let t = addLive(base(), [live(T + 4 * S, 3)], ['os.cpu.usage']);
    t = addLive(t, [live(T + 3 * S, 8, { core: '3' })], ['os.cpu.usage']);
    expect(t.xs).toEqual([T, T + S, T + 3 * S, T + 4 * S]);
    expect(t.keys[3]).toBe(seriesKey('os.cpu.usage', { core: '3' }));
    expect(t.ys[3]).toEqual([null, null, 8, null]);
    expect(t.ys[0]).toEqual([1, 2, null, 3]);
  });

  it('drops buckets that scroll out of the window, and their running sums', () => {
    let t = buildTable(cpu, ['os.cpu.usage'], S, 3 * S);
    t = addLive(t, [live(T + 2 * S, 1)], ['os.cpu.usage']);
    expect(t.xs).toEqual([T, T + S, T + 2 * S]);
    t = addLive(t, [live(T + 4 * S, 1), live(T + 5 * S, 1)], ['os.cpu.usage']);
    expect(t.xs).toEqual([T + 2 * S, T + 4 * S, T + 5 * S]);
    expect(t.ys.every((row) => row.length === 3)).toBe(true);
    t = addLive(t, [live(T + 9 * S, 1)], ['os.cpu.usage']);
    expect(t.xs).toEqual([T + 9 * S]);
    expect(Object.keys(t.acc)).toEqual([`${T + 9 * S}:0`]);
  });

  it('starts from nothing when the range held no sample', () => {
    const t = addLive(buildTable([], ['os.cpu.usage'], S, 60_000), [live(T, 4), live(T + 1000, 6)], ['os.cpu.usage']);
    expect(t.xs).toEqual([T]);
    expect(t.ys).toEqual([[5]]);
  });
});
