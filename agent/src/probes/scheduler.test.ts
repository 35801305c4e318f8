// The scheduler on a fake clock: runs are promises the test settles by hand, so "still running",
// "queued" and "finished after it was removed" are states the test puts it in, not races.
import { describe, expect, it } from 'vitest';
import { probeDefinitionSchema, type SampleInput, type StepStatus } from '@esmon/schema';
import { fakeClock } from './fake-clock.ts';
import type { ProbeRef } from './run-probe.ts';
import { createScheduler, nextSlot, phaseOf } from './scheduler.ts';
import type { ProbeTrace } from './trace.ts';

const T0 = 1_763_900_000_000;

const probe = (
  id: string,
  version = 1,
  more: { intervalSeconds?: number; enabled?: boolean } = {},
): ProbeRef => ({
  id,
  version,
  definition: probeDefinitionSchema.parse({
    name: `probe ${id}`,
    steps: [{ id: 's', plugin: 'x' }],
    intervalSeconds: 60,
    timeoutSeconds: 10,
    ...more,
  }),
});

const firstSlot = (id: string, t = T0, intervalMs = 60_000, seed = '') =>
  nextSlot(t, intervalMs, phaseOf(id, intervalMs, seed));

interface Run {
  probe: ProbeRef;
  at: number;
  stop: AbortSignal;
  finish(status?: StepStatus, samples?: SampleInput[]): void;
}

function setup(options: { maxConcurrent?: number; autoFinish?: boolean; jitterSeed?: string } = {}) {
  const clock = fakeClock(T0);
  const runs: Run[] = [];
  const emitted: SampleInput[][] = [];
  const traces: ProbeTrace[] = [];
  const scheduler = createScheduler({
    run: (probe, stop) =>
      new Promise<ProbeTrace>((resolve) => {
        const at = clock.now();
        const finish = (
          status: StepStatus = 'ok',
          samples: SampleInput[] = [{ metric: `m.${probe.id}`, value: probe.version, ts: at }],
        ) =>
          resolve({
            probeId: probe.id,
            version: probe.version,
            startedAt: at,
            durationMs: clock.now() - at,
            status,
            steps: [],
            samples,
            problems: [],
          });
        runs.push({ probe, at, stop, finish });
        // as runProbe does: a stopping agent cancels the run, which then ends at once
        stop.addEventListener('abort', () => finish('error', []));
        if (options.autoFinish) finish();
      }),
    onSamples: (s) => emitted.push(s),
    onTrace: (t) => traces.push(t),
    now: clock.now,
    setTimer: clock.setTimer,
    ...(options.maxConcurrent ? { maxConcurrent: options.maxConcurrent } : {}),
    ...(options.jitterSeed !== undefined ? { jitterSeed: options.jitterSeed } : {}),
  });
  /** the samples emitted, as `metric{probe} value` lines */
  const lines = () =>
    emitted.flat().map((s) => `${s.metric}${s.labels?.probe ? `{${s.labels.probe}}` : ''} ${s.value}`);
  return { clock, runs, emitted, traces, scheduler, lines };
}

describe('slots', () => {
  it.each([
    [0, 60_000, 0, 60_000],
    [59_999, 60_000, 0, 60_000],
    [60_000, 60_000, 0, 120_000],
    [10, 100, 30, 30],
    [30, 100, 30, 130],
    [T0, 60_000, 1234, Math.floor((T0 - 1234) / 60_000) * 60_000 + 1234 + 60_000],
  ])('after %d every %d at phase %d: %d', (t, interval, phase, expected) => {
    expect(nextSlot(t, interval, phase)).toBe(expected);
  });

  it('puts each probe at a stable phase within its interval, moved by the seed', () => {
    const phases = ['1', '2', '3', '42', 'x'].map((id) => phaseOf(id, 60_000));
    expect(phases).toEqual(['1', '2', '3', '42', 'x'].map((id) => phaseOf(id, 60_000)));
    for (const p of phases) expect(p >= 0 && p < 60_000).toBe(true);
    expect(new Set(phases).size).toBe(5);
    expect(['1', '2', '3'].map((id) => phaseOf(id, 60_000, 'host-a'))).not.toEqual(
      ['1', '2', '3'].map((id) => phaseOf(id, 60_000, 'host-b')),
    );
  });
});

describe('the scheduler', () => {
  it('runs a probe every interval at its phase and emits its samples with self-metrics', async () => {
    const { clock, runs, scheduler, lines } = setup({ autoFinish: true });
    scheduler.apply([probe('1')]);
    await clock.advance(180_000);
    const slot = firstSlot('1');
    expect(runs.map((r) => r.at)).toEqual([slot, slot + 60_000, slot + 120_000]);
    expect(lines()).toEqual([
      'esmon.agent.config.version 1',
      ...[1, 2, 3].flatMap(() => [
        'm.1 1',
        'esmon.agent.probe.duration_ms{1} 0',
        'esmon.agent.probe.errors_total{1} 0',
        'esmon.agent.probe.skipped_total{1} 0',
      ]),
    ]);
    await scheduler.stop();
    expect(clock.pending()).toBe(0);
  });

  it('uses the seed in the phase', async () => {
    const { clock, runs, scheduler } = setup({ autoFinish: true, jitterSeed: 'web-01' });
    scheduler.apply([probe('1')]);
    await clock.advance(60_000);
    expect(runs.map((r) => r.at)).toEqual([firstSlot('1', T0, 60_000, 'web-01')]);
    await scheduler.stop();
  });

  it('skips a slot while the probe still runs, counts it, and counts failed runs', async () => {
    const { clock, runs, scheduler, lines } = setup();
    scheduler.apply([probe('1')]);
    const slot = firstSlot('1');
    await clock.advance(slot - T0 + 130_000);
    expect(runs).toHaveLength(1);
    runs[0]!.finish('error', []);
    await clock.advance(0);
    expect(lines().slice(1)).toEqual([
      'esmon.agent.probe.duration_ms{1} 130000',
      'esmon.agent.probe.errors_total{1} 1',
      'esmon.agent.probe.skipped_total{1} 2',
    ]);
    await clock.advance(60_000);
    expect(runs.map((r) => r.at)).toEqual([slot, slot + 180_000]);
    await scheduler.stop();
  });

  it('queues runs beyond the concurrency cap and starts them as others end', async () => {
    const { clock, runs, scheduler } = setup({ maxConcurrent: 2 });
    scheduler.apply([probe('1'), probe('2'), probe('3')]);
    await clock.advance(60_000);
    expect(runs).toHaveLength(2);
    expect(scheduler.stats()).toEqual({ applies: 1, probes: 3, running: 2, queued: 1 });
    runs[0]!.finish();
    await clock.advance(0);
    expect(runs).toHaveLength(3);
    expect(scheduler.stats()).toMatchObject({ running: 2, queued: 0 });
    await scheduler.stop();
  });

  it('keeps the schedule of a probe applied again unchanged: no gap, no extra run', async () => {
    const { clock, runs, scheduler, lines } = setup({ autoFinish: true });
    scheduler.apply([probe('1')]);
    const slot = firstSlot('1');
    await clock.advance(slot - T0 - 1);
    scheduler.apply([probe('1'), probe('2')]);
    await clock.advance(1);
    expect(runs.map((r) => [r.probe.id, r.at])).toEqual([['1', slot]]);
    await clock.advance(120_000);
    expect(runs.filter((r) => r.probe.id === '1').map((r) => r.at)).toEqual([
      slot,
      slot + 60_000,
      slot + 120_000,
    ]);
    expect(lines().filter((l) => l.startsWith('esmon.agent.config.version'))).toEqual([
      'esmon.agent.config.version 1',
      'esmon.agent.config.version 2',
    ]);
    await scheduler.stop();
  });

  it('moves a changed probe to the next slot of its new interval', async () => {
    const { clock, runs, scheduler } = setup({ autoFinish: true });
    scheduler.apply([probe('1')]);
    const slot = firstSlot('1');
    await clock.advance(slot - T0 + 10);
    const changedAt = clock.now();
    scheduler.apply([probe('1', 2, { intervalSeconds: 300 })]);
    await clock.advance(600_000);
    const next = firstSlot('1', changedAt, 300_000);
    expect(runs.map((r) => [r.probe.version, r.at])).toEqual([
      [1, slot],
      [2, next],
      [2, next + 300_000],
    ]);
    expect(clock.pending()).toBe(1);
    await scheduler.stop();
  });

  it('drops the result of a run whose probe was removed meanwhile, keeps one whose probe changed, and never runs one probe twice at once', async () => {
    const { clock, runs, scheduler, lines, traces } = setup();
    scheduler.apply([probe('1'), probe('2')]);
    await clock.advance(60_000);
    expect(runs.map((r) => r.probe.id).sort()).toEqual(['1', '2']);
    const [one, two] = ['1', '2'].map((id) => runs.find((r) => r.probe.id === id)!);
    scheduler.apply([probe('2', 2)]); // 1 removed, 2 changed, both still running
    await clock.advance(60_000); // probe 2's new slot comes while its old version runs: skipped
    expect(runs).toHaveLength(2);
    one!.finish();
    two!.finish();
    await clock.advance(0);
    // version 1 of probe 2 measured at its slot: kept, so the change leaves no gap; probe 1 is gone
    expect(lines().filter((l) => !l.startsWith('esmon.agent.config.version'))).toEqual([
      'm.2 1',
      expect.stringMatching(/^esmon\.agent\.probe\.duration_ms\{2\} \d+$/),
      'esmon.agent.probe.errors_total{2} 0',
      'esmon.agent.probe.skipped_total{2} 1',
    ]);
    expect(traces.map((t) => [t.probeId, t.version])).toEqual([['2', 1]]);
    await clock.advance(60_000);
    expect(runs.slice(2).map((r) => [r.probe.id, r.probe.version])).toEqual([['2', 2]]);
    runs[2]!.finish();
    await clock.advance(0);
    expect(lines().filter((l) => l.includes('{2}') || l.startsWith('m.')).slice(4)).toEqual([
      'm.2 2',
      expect.stringMatching(/^esmon\.agent\.probe\.duration_ms\{2\} \d+$/),
      'esmon.agent.probe.errors_total{2} 0',
      'esmon.agent.probe.skipped_total{2} 1',
    ]);
    await scheduler.stop();
  });

  it('does not schedule a disabled probe, and drops a queued run of a removed one', async () => {
    const { clock, runs, scheduler } = setup({ maxConcurrent: 1 });
    scheduler.apply([probe('1'), probe('2'), probe('3', 1, { enabled: false })]);
    await clock.advance(60_000);
    expect(runs).toHaveLength(1);
    const queued = runs[0]!.probe.id === '1' ? '2' : '1';
    scheduler.apply([runs[0]!.probe]);
    expect(scheduler.stats()).toEqual({ applies: 2, probes: 1, running: 1, queued: 0 });
    runs[0]!.finish();
    await clock.advance(0);
    expect(runs.map((r) => r.probe.id)).not.toContain(queued);
    await scheduler.stop();
  });

  it('stops: timers gone, runs in flight aborted and awaited, their results dropped, applies ignored', async () => {
    const { clock, runs, scheduler, emitted } = setup();
    scheduler.apply([probe('1')]);
    await clock.advance(60_000);
    const before = emitted.length;
    const stopped = scheduler.stop();
    expect(runs[0]!.stop.aborted).toBe(true);
    runs[0]!.finish();
    await stopped;
    scheduler.apply([probe('2')]);
    await clock.advance(600_000);
    expect(runs).toHaveLength(1);
    expect(emitted).toHaveLength(before);
    expect(clock.pending()).toBe(0);
  });
});
