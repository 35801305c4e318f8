import { describe, expect, it } from 'vitest';
import { foldRuns, mergeRuns, orderAlerts, type HostAlert, type LiveEvent } from './host-model.ts';

const alert = (id: string, open: boolean, severity: string | null, startedAt: string): HostAlert => ({
  id, open, severity, startedAt, state: open ? 'firing' : 'resolved', acknowledged: false, flapping: false, resolvedAt: null, value: null, rule: { id: '1', name: 'r' },
});

describe('orderAlerts', () => {
  it('puts open alerts first, the most severe first, then the newest', () => {
    const got = orderAlerts([
      alert('closed-new', false, 'very_critical', '2025-01-03T00:00:00Z'),
      alert('warn', true, 'warning', '2025-01-02T00:00:00Z'),
      alert('crit-old', true, 'critical', '2025-01-01T00:00:00Z'),
      alert('crit-new', true, 'critical', '2025-01-02T12:00:00Z'),
      alert('none', true, null, '2025-01-04T00:00:00Z'),
      alert('closed-old', false, 'warning', '2024-12-01T00:00:00Z'),
    ]);
    expect(got.map((a) => a.id)).toEqual(['crit-new', 'crit-old', 'warn', 'none', 'closed-new', 'closed-old']);
  });
});

const event = (samples: [string, string, string, number][]): LiveEvent => ({
  samplesAdded: { samples: samples.map(([metric, probe, ts, value]) => ({ metric, labels: { probe }, ts, value })) },
});
const E = 'esmon.agent.probe.errors_total';
const D = 'esmon.agent.probe.duration_ms';

describe('foldRuns', () => {
  it('keeps the last run of each probe with the error count of the run before', () => {
    let runs = foldRuns(undefined, event([[E, '1', '2025-01-01T00:00:00.000Z', 2], [E, '2', '2025-01-01T00:00:00.000Z', 0]]));
    expect(runs['1']).toEqual({ ts: '2025-01-01T00:00:00.000Z', errors: 2, before: undefined });
    runs = foldRuns(runs, event([[E, '1', '2025-01-01T00:01:00.000Z', 3]]));
    expect(runs['1']).toEqual({ ts: '2025-01-01T00:01:00.000Z', errors: 3, before: 2 });
    // an older sample arriving late changes nothing
    runs = foldRuns(runs, event([[E, '1', '2025-01-01T00:00:30.000Z', 9]]));
    expect(runs['1']!.errors).toBe(3);
    expect(runs['2']!.errors).toBe(0);
  });

  it('merges the duration and error views of the same run', () => {
    const d = foldRuns(undefined, event([[D, '1', '2025-01-01T00:00:00.000Z', 12]]))['1'];
    const e = foldRuns(undefined, event([[E, '1', '2025-01-01T00:00:00.000Z', 1]]))['1'];
    expect(mergeRuns(d, e)).toEqual({ ts: '2025-01-01T00:00:00.000Z', durationMs: 12, errors: 1, before: undefined });
    const later = foldRuns(undefined, event([[D, '1', '2025-01-01T00:05:00.000Z', 7]]))['1'];
    expect(mergeRuns(later, e)).toBe(later);
    expect(mergeRuns(undefined, e)).toBe(e);
  });
});
