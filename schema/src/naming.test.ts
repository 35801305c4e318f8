import { describe, expect, it } from 'vitest';
import { canonicalLabels, labels, metricName } from './naming.ts';

describe('metric names', () => {
  it.each(['os.cpu.usage', 'maximo.jvm.heap.used', 'a', 'os.disk.io_read_bytes'])('accepts %s', (name) => {
    expect(metricName.safeParse(name).success).toBe(true);
  });
  it.each(['', 'OS.cpu', 'os..cpu', '.os', 'os.', 'os cpu', '1os', 'os.cpu-usage', 'x'.repeat(201)])(
    'rejects %j',
    (name) => {
      expect(metricName.safeParse(name).success).toBe(false);
    },
  );
});

describe('labels', () => {
  it('rejects reserved, malformed and oversized labels', () => {
    expect(labels.safeParse({ host: 'a' }).success).toBe(false);
    expect(labels.safeParse({ 'bad-key': 'a' }).success).toBe(false);
    expect(labels.safeParse({ ok: 'x'.repeat(1025) }).success).toBe(false);
    expect(labels.safeParse(Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v']))).success).toBe(false);
    expect(labels.safeParse({ core: '0', mount: '/' }).success).toBe(true);
  });
  it('refuses __proto__ and constructor as label names, as JSON.parse hands them over (zod alone drops __proto__)', () => {
    const proto = labels.safeParse(JSON.parse('{"__proto__": "x", "core": "0"}'));
    expect(proto.success).toBe(false);
    expect(proto.error?.issues[0]).toMatchObject({ path: ['__proto__'], message: 'label name is reserved' });
    expect(labels.safeParse(JSON.parse('{"constructor": "x"}')).success).toBe(false);
    expect(labels.safeParse(JSON.parse('{"toString": "x"}')).success).toBe(true);
  });
  it('refuses label values PostgreSQL cannot store (NUL, lone surrogates), keeps other Unicode', () => {
    for (const v of ['a\u0000b', '\ud800', 'x\udfffy']) expect(labels.safeParse({ k: v }).success, JSON.stringify(v)).toBe(false);
    for (const v of ['😀', 'é\u0301', '\u202e', '\r\n', '\\u0000']) expect(labels.safeParse({ k: v }).success, JSON.stringify(v)).toBe(true);
  });
  it('canonical form ignores key order and quotes values', () => {
    expect(canonicalLabels({ b: '2', a: '1' })).toBe(canonicalLabels({ a: '1', b: '2' }));
    expect(canonicalLabels({ a: 'x,b=y' })).not.toBe(canonicalLabels({ a: 'x', b: 'y' }));
    expect(canonicalLabels({})).toBe('');
  });
});
