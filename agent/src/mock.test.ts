import { describe, expect, it } from 'vitest';
import { parseIngestBatch } from '@esmon/schema';
import { mockFleet } from './mock.ts';

describe('the mock fleet', () => {
  it('produces valid, varying batches for N hosts, the same for the same seed', () => {
    const fleet = mockFleet(50, 7);
    const t0 = Date.UTC(2026, 10, 22, 12);
    const first = fleet.tick(t0);
    const second = fleet.tick(t0 + 10_000);
    expect(first).toHaveLength(50);
    expect(new Set(first.map((h) => h.hostname)).size).toBe(50);
    expect(parseIngestBatch({ batchId: 'mock-batch-1', hosts: first }).ok).toBe(true);
    const cpu = (hs: typeof first) => hs.map((h) => h.samples.find((s) => s.metric === 'os.cpu.usage' && !s.labels)!.value);
    expect(cpu(first)).not.toEqual(cpu(second));
    expect(cpu(first).every((v) => v >= 0 && v <= 100)).toBe(true);
    expect(mockFleet(50, 7).tick(t0)).toEqual(first);
  });
});
