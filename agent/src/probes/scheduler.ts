// Runs each probe every intervalSeconds, at a fixed phase within its interval (a hash of the probe
// id, and of the agent's seed, so a fleet does not hit a shared database in the same millisecond),
// at most `maxConcurrent` at a time (the rest wait in a queue), never two runs of one probe at
// once: a slot that finds its probe still queued or running is skipped and counted.
//
// `apply(probes)` replaces the set live. Unchanged probes (same id and version) keep their timer:
// no gap, no extra run. A changed probe moves to the next slot of its new interval. A removed
// probe's timer stops. A run in flight is not aborted (its own timeout bounds it). When it ends,
// its result is emitted if its probe is still applied, in whatever version: it measured, at its
// slot, what the definition then said, like every run before the change (dropping it would leave
// a gap). A deleted probe's last run is dropped.
import type { SampleInput } from '@esmon/schema';
import type { ProbeRef } from './run-probe.ts';
import { realTimer, type SetTimer } from './timer.ts';
import type { ProbeTrace } from './trace.ts';

export interface SchedulerOptions {
  /** runs one probe (createProbeRunner().run); `stop` is aborted when the scheduler stops */
  run(probe: ProbeRef, stop: AbortSignal): Promise<ProbeTrace>;
  /** every run's samples with the probe's self-metrics, and esmon.agent.config.version on apply */
  onSamples(samples: SampleInput[]): void;
  /** each trace whose result is kept, e.g. to log failed runs */
  onTrace?(trace: ProbeTrace): void;
  maxConcurrent?: number;
  /** mixed into the phase hash: the agent's host name spreads one probe's runs across a fleet */
  jitterSeed?: string;
  now?: () => number;
  setTimer?: SetTimer;
}

export interface SchedulerStats {
  /** apply() calls so far: the value of esmon.agent.config.version */
  applies: number;
  probes: number;
  running: number;
  queued: number;
}

export interface Scheduler {
  apply(probes: readonly ProbeRef[]): void;
  stats(): SchedulerStats;
  /** Stops every timer, drops the queue, aborts runs in flight and waits for them; drops their results. */
  stop(): Promise<void>;
}

export const DEFAULT_MAX_CONCURRENT = 4;

/** FNV-1a, 32 bits: stable across restarts and platforms, which Math.random is not. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** The probe's phase within its interval, in ms. */
export function phaseOf(probeId: string, intervalMs: number, seed = ''): number {
  return hash(`${seed}\u0000${probeId}`) % intervalMs;
}

/** The first slot strictly after `t`: slots are the times ≡ phase (mod interval), counted from the epoch. */
export function nextSlot(t: number, intervalMs: number, phaseMs: number): number {
  const into = (((t - phaseMs) % intervalMs) + intervalMs) % intervalMs;
  return t - into + intervalMs;
}

interface Entry {
  probe: ProbeRef;
  cancelTimer: () => void;
  /** the slot the timer waits for */
  slot: number;
  errors: number;
  skipped: number;
}

const sameVersion = (a: ProbeRef, b: ProbeRef) => a.id === b.id && a.version === b.version;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const {
    run,
    onSamples,
    onTrace,
    maxConcurrent = DEFAULT_MAX_CONCURRENT,
    jitterSeed = '',
    now = Date.now,
    setTimer = realTimer,
  } = options;
  const entries = new Map<string, Entry>();
  const queue: Entry[] = [];
  /** probe ids queued or running, whatever the version: one run per probe at a time */
  const busy = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  const stopping = new AbortController();
  let applies = 0;

  const intervalMs = (p: ProbeRef) => p.definition.intervalSeconds * 1000;

  function arm(entry: Entry, after: number): void {
    const interval = intervalMs(entry.probe);
    entry.slot = nextSlot(after, interval, phaseOf(entry.probe.id, interval, jitterSeed));
    entry.cancelTimer = setTimer(() => fire(entry), entry.slot - now());
  }

  function fire(entry: Entry): void {
    // from the slot, not the clock: a timer firing a little early must not find the same slot again
    arm(entry, Math.max(now(), entry.slot));
    if (busy.has(entry.probe.id)) {
      entry.skipped++;
      return;
    }
    busy.add(entry.probe.id);
    queue.push(entry);
    pump();
  }

  function pump(): void {
    while (queue.length > 0 && inFlight.size < maxConcurrent && !stopping.signal.aborted) {
      const entry = queue.shift()!;
      const done = execute(entry, entry.probe).finally(() => {
        inFlight.delete(done);
        busy.delete(entry.probe.id);
        pump();
      });
      inFlight.add(done);
    }
  }

  async function execute(entry: Entry, probe: ProbeRef): Promise<void> {
    let trace: ProbeTrace | undefined;
    try {
      trace = await run(probe, stopping.signal);
    } catch {
      // run-probe never throws; a replaced runner that does counts as a failed run
    }
    // a removed probe's run is dropped; a changed probe's run is kept (it measured, at its slot,
    // what the definition then said): a change leaves no gap in the probe's series
    const current = entries.get(probe.id);
    if (stopping.signal.aborted || !current) return;
    // counters are per probe id and go on across versions
    if (trace?.status !== 'ok') current.errors++;
    const ts = Math.round(now());
    const labels = { probe: probe.id };
    const self: SampleInput[] = [
      ...(trace ? [{ metric: 'esmon.agent.probe.duration_ms', value: trace.durationMs, ts, labels }] : []),
      { metric: 'esmon.agent.probe.errors_total', value: current.errors, ts, labels },
      { metric: 'esmon.agent.probe.skipped_total', value: current.skipped, ts, labels },
    ];
    if (trace) onTrace?.(trace);
    onSamples([...(trace?.samples ?? []), ...self]);
  }

  function remove(entry: Entry): void {
    entry.cancelTimer();
    const i = queue.indexOf(entry);
    if (i >= 0) {
      queue.splice(i, 1);
      busy.delete(entry.probe.id);
    }
  }

  return {
    apply(probes) {
      if (stopping.signal.aborted) return;
      const t = now();
      const wanted = new Map(probes.filter((p) => p.definition.enabled).map((p) => [p.id, p]));
      for (const [id, entry] of entries) {
        if (!wanted.has(id)) {
          remove(entry);
          entries.delete(id);
        }
      }
      for (const probe of wanted.values()) {
        const old = entries.get(probe.id);
        if (old && sameVersion(old.probe, probe)) continue;
        // counters are per probe id and go on across versions; a run of the old version still in
        // flight keeps the id busy, so the new version's first slot is then a skip, not a double
        const entry: Entry = {
          probe,
          cancelTimer: () => {},
          slot: 0,
          errors: old?.errors ?? 0,
          skipped: old?.skipped ?? 0,
        };
        if (old) remove(old);
        entries.set(probe.id, entry);
        arm(entry, t);
      }
      applies++;
      onSamples([{ metric: 'esmon.agent.config.version', value: applies, ts: Math.round(t) }]);
    },
    stats: () => ({ applies, probes: entries.size, running: inFlight.size, queued: queue.length }),
    async stop() {
      stopping.abort();
      for (const entry of entries.values()) remove(entry);
      entries.clear();
      queue.length = 0;
      await Promise.all(inFlight);
    },
  };
}
