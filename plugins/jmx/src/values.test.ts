import { labels as labelsSchema, metricName } from '@esmon/schema';
import { describe, expect, it } from 'vitest';
import { labelsFor, LABEL_VALUE_MAX, metricFor, partsFrom } from './values.ts';

describe('metric names from attribute paths', () => {
  it.each([
    ['jmx', 'HeapMemoryUsage.used', 'jmx.heapmemoryusage.used'],
    ['was.threadpool', 'ActiveCount', 'was.threadpool.activecount'],
    ['jmx', 'Cache Hit-Ratio.%', 'jmx.cache_hit_ratio._'],
    ['jmx', 'Größe', 'jmx.gr__e'],
  ])('%s + %s → %s', (prefix, path, metric) => {
    expect(metricFor(prefix, path)).toBe(metric);
    expect(metricName.safeParse(metric).success).toBe(true);
  });
});

describe('labels from ObjectName key properties', () => {
  it('makes keys label-safe, renames reserved ones and cuts long values', () => {
    const l = labelsFor({ 'mbean-id': 'a', '1st': 'b', host: 'c', __proto__x: 'd', name: 'x'.repeat(300) });
    expect(l).toEqual({ mbean_id: 'a', _1st: 'b', host_: 'c', __proto__x: 'd', name: 'x'.repeat(LABEL_VALUE_MAX) });
    expect(labelsSchema.safeParse(l).success).toBe(true);
  });

  it('keeps __proto__ a plain key', () => {
    const l = labelsFor(JSON.parse('{"__proto__":"p","type":"Memory"}'));
    expect(Object.getPrototypeOf(l)).toBe(Object.prototype);
    expect(l).toEqual({ __proto___: 'p', type: 'Memory' });
  });
});

describe('bridge values → step parts', () => {
  it('samples finite numbers only, rows everything, and nests exact reads in the output', () => {
    const parts = partsFrom(
      {
        ok: true,
        values: [
          { mbean: 'a:type=X', props: { type: 'X' }, attribute: 'N', value: 2 },
          { mbean: 'a:type=X', props: { type: 'X' }, attribute: 'Nan', value: 'NaN' },
          { mbean: 'a:type=X', props: { type: 'X' }, attribute: 'On', value: true },
          { mbean: 'a:type=X', props: { type: 'X' }, attribute: '__proto__', key: 'polluted', value: 1 },
        ],
      },
      [{ mbean: 'a:type=X', attributes: ['N', 'Nan', 'On', '__proto__.polluted'] }],
      'jmx',
      1000,
    );
    expect(parts.samples.map((s) => s.metric)).toEqual(['jmx.n', 'jmx.__proto__.polluted']);
    expect(parts.rows).toHaveLength(4);
    expect(JSON.parse(parts.output)).toEqual({ N: 2, Nan: 'NaN', On: true, ['__proto__']: { polluted: 1 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
