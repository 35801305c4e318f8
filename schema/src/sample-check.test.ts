// The hand-written sample check never vouches for a sample zod would refuse or change, and it
// does vouch for the well-formed samples agents send (or the hot path would never be taken).
import { describe, expect, it } from 'vitest';
import { parseIngestBatch, sampleInput } from './ingest.ts';
import { checkSample } from './sample-check.ts';
import { prng } from './testing.ts';

const NOW = Date.UTC(2026, 10, 23);
const good = () => ({ metric: 'os.cpu.usage', labels: { core: '0', mode: 'user' }, ts: NOW, value: 12.5 });

const odd: unknown[] = [
  undefined, null, NaN, Infinity, -Infinity, 0, -1, 1.5, 2 ** 53, '', 'x', 'os.cpu.usage', 'Bad Name', 'a'.repeat(201),
  'a'.repeat(1025), [], {}, { core: 1 }, { host: 'x' }, { __name__: 'x' }, { '1bad': 'x' }, { ok: 'x'.repeat(1025) },
  Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, 'v'])), JSON.parse('{"__proto__": "x"}'),
  { constructor: 'x' }, Date.UTC(1999, 11, 31), Date.UTC(2100, 0, 1) + 1, NOW + 0.5, true, '12',
];

function mutate(r: () => number): unknown {
  const s: Record<string, unknown> = good();
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const n = 1 + Math.floor(r() * 3);
  for (let i = 0; i < n; i++) {
    const what = r();
    if (what < 0.2) delete s[pick(['metric', 'labels', 'ts', 'value'])];
    else if (what < 0.3) s[pick(['extra', 'Metric', '__proto__'])] = pick(odd);
    else s[pick(['metric', 'labels', 'ts', 'value'])] = pick(odd);
  }
  return r() < 0.05 ? pick(odd) : s;
}

describe('checkSample', () => {
  it('vouches for well-formed samples, with and without labels', () => {
    expect(checkSample(good())).toBe(true);
    expect(checkSample({ metric: 'maximo.jvm.heap_used', ts: NOW, value: -0 })).toBe(true);
    expect(checkSample(Object.assign(Object.create(null), good()))).toBe(true);
  });

  it('never vouches for what zod refuses or would change, over 20 000 mangled samples', () => {
    const r = prng(2026);
    let vouched = 0;
    let refused = 0;
    for (let i = 0; i < 20_000; i++) {
      const s = mutate(r);
      const z = sampleInput.safeParse(s);
      if (checkSample(s)) {
        vouched++;
        expect(z.success, JSON.stringify(s)).toBe(true);
        expect(z.data).toEqual(s);
      } else if (!z.success) refused++;
    }
    // both verdicts are exercised
    expect(vouched).toBeGreaterThan(500);
    expect(refused).toBeGreaterThan(5000);
  });

  it('lets the full validator name the problem when the hot path declines', () => {
    const batch = { batchId: 'batch-0001', hosts: [{ hostname: 'h1', samples: [good(), { ...good(), value: 'NaN' }] }] };
    expect(parseIngestBatch(batch)).toEqual({ ok: false, issues: [{ path: 'hosts[0].samples[1].value', message: 'value must be a number' }] });
    const dup = { batchId: 'batch-0002', hosts: [{ hostname: 'h1', samples: [good()] }, { hostname: 'h1', samples: [] }] };
    expect(parseIngestBatch(dup)).toMatchObject({ ok: false, issues: [{ path: 'hosts[1].hostname' }] });
    const fine = { batchId: 'batch-0003', hosts: [{ hostname: 'h1', samples: [good(), good()] }] };
    expect(parseIngestBatch(fine)).toEqual({ ok: true, batch: fine });
  });
});
