import { describe, expect, it } from 'vitest';
import { parseIngestBatch } from './ingest.ts';

const good = {
  batchId: 'b-0001-abcdef',
  hosts: [{ hostname: 'web-1', samples: [{ metric: 'os.cpu.usage', ts: Date.UTC(2026, 0, 1), value: 12.5 }] }],
};

describe('ingest batch validation', () => {
  it('accepts a well-formed batch', () => {
    expect(parseIngestBatch(good)).toMatchObject({ ok: true });
  });

  it('names the offending sample and field', () => {
    const bad = structuredClone(good);
    bad.hosts[0]!.samples.push({ metric: 'os.mem.used', ts: Date.UTC(2026, 0, 1), value: 'NaN' as unknown as number });
    const result = parseIngestBatch(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]).toEqual({ path: 'hosts[0].samples[1].value', message: 'value must be a number' });
  });

  it('rejects an oversized label value with its path', () => {
    const bad = structuredClone(good) as { hosts: { samples: { labels?: Record<string, string> }[] }[] };
    bad.hosts[0]!.samples[0]!.labels = { mount: 'x'.repeat(10 * 1024 * 1024) };
    const result = parseIngestBatch(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues[0]?.path).toBe('hosts[0].samples[0].labels.mount');
  });

  it.each([
    ['no batch id', { ...good, batchId: undefined }, 'batchId'],
    ['a short batch id', { ...good, batchId: 'x' }, 'batchId'],
    ['no hosts', { ...good, hosts: [] }, 'hosts'],
    ['a fractional timestamp', { ...good, hosts: [{ hostname: 'a', samples: [{ metric: 'a', ts: 1.5e12 + 0.5, value: 1 }] }] }, 'hosts[0].samples[0].ts'],
    ['a bad hostname', { ...good, hosts: [{ hostname: 'a b', samples: [] }] }, 'hosts[0].hostname'],
  ])('rejects %s', (_name, body, path) => {
    const result = parseIngestBatch(body);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.path)).toContain(path);
  });
});
