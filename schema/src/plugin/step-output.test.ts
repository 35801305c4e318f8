import { describe, expect, it } from 'vitest';
import { describeExit, keyedMetric, numericValue, parseNumber, samplesFromRecord } from './step-output.ts';

describe('parseNumber', () => {
  it.each<[string, number]>([
    ['42', 42],
    [' -1.5e3\n', -1500],
    ['+0.25', 0.25],
    ['.5', 0.5],
    ['7.', 7],
  ])('reads %j as %d', (text, n) => {
    expect(parseNumber(text)).toBe(n);
  });
  it.each(['', ' ', '0x1f', 'Infinity', 'NaN', '1,5', '12 ms', '1e999', '--1'])('refuses %j', (text) => {
    expect(parseNumber(text)).toBeUndefined();
  });
});

describe('numericValue', () => {
  it.each<[unknown, number | undefined]>([
    [3, 3],
    ['3.5', 3.5],
    [true, 1],
    [false, 0],
    [null, undefined],
    ['Running', undefined],
    [{ a: 1 }, undefined],
    [[1], undefined],
  ])('%j → %j', (v, n) => {
    expect(numericValue(v)).toBe(n);
  });
});

describe('keyedMetric', () => {
  it.each<[string, string | undefined]>([
    ['Heap', 'app.heap'],
    ['disk.free_bytes', 'app.disk.free_bytes'],
    ['heap used', undefined],
    ['cpu-load', undefined],
    ['', undefined],
    ['a'.repeat(200), undefined],
  ])('%j', (key, metric) => {
    expect(keyedMetric('app', key)).toBe(metric);
  });
});

describe('samplesFromRecord', () => {
  it('keeps numeric values, skips the rest, and names keys that make no metric', () => {
    const r = samplesFromRecord({ Used: 10, free: '5', ok: true, name: 'x', nested: { a: 1 }, 'bad key': 1 }, 'mem', 1000);
    expect(r.samples).toEqual([
      { metric: 'mem.used', value: 10, ts: 1000 },
      { metric: 'mem.free', value: 5, ts: 1000 },
      { metric: 'mem.ok', value: 1, ts: 1000 },
    ]);
    expect(r.badKeys).toEqual(['bad key']);
  });
});

describe('describeExit', () => {
  const base = { stdout: '', timedOut: false, durationMs: 1 };
  it.each([
    [{ exitCode: 2, stderr: ' boom \n' }, 'exit code 2; stderr: boom'],
    [{ exitCode: 0, stderr: '' }, 'exit code 0'],
    [{ exitCode: null, stderr: 'x: not found (ENOENT)' }, 'no exit code; stderr: x: not found (ENOENT)'],
  ])('%j', (r, text) => {
    expect(describeExit({ ...base, ...r })).toBe(text);
  });
  it('keeps the end of a long stderr', () => {
    const text = describeExit({ ...base, exitCode: 1, stderr: `${'a'.repeat(5000)}the reason` });
    expect(text.endsWith('the reason')).toBe(true);
    expect(text.length).toBeLessThan(2100);
  });
});
