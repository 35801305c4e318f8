// The host page's pure logic besides the charts: the order of its alerts, and the last run of each
// probe as live probe samples tell it.

export interface HostAlert {
  id: string;
  state: string;
  severity: string | null;
  open: boolean;
  acknowledged: boolean;
  flapping: boolean;
  startedAt: string;
  resolvedAt: string | null;
  value: number | null;
  rule: { id: string; name: string };
}

const RANK: Record<string, number> = { very_critical: 0, critical: 1, warning: 2 };

/** Open alerts first (the most severe first), then by start, newest first. */
export function orderAlerts(alerts: HostAlert[]): HostAlert[] {
  return [...alerts].sort(
    (a, b) =>
      Number(b.open) - Number(a.open) ||
      (a.open ? (RANK[a.severity ?? ''] ?? 3) - (RANK[b.severity ?? ''] ?? 3) : 0) ||
      Date.parse(b.startedAt) - Date.parse(a.startedAt),
  );
}

export interface Run {
  ts: string;
  durationMs?: number;
  errors?: number;
  /** the error count before this run, when known */
  before?: number;
}

export type LiveRuns = Record<string, Run>;
export type LiveEvent = { samplesAdded: { samples: { metric: string; labels: Record<string, string>; ts: string; value: number }[] } };

/** Folds live probe samples into the last run of each probe. */
export function foldRuns(prev: LiveRuns | undefined, event: LiveEvent): LiveRuns {
  const next = { ...prev };
  for (const s of event.samplesAdded.samples) {
    const id = s.labels.probe;
    if (!id) continue;
    const cur = next[id];
    if (cur && Date.parse(s.ts) < Date.parse(cur.ts)) continue;
    // a new run: the error count of the one before is what this run's count is compared with
    const run: Run = cur && cur.ts === s.ts ? { ...cur } : { ts: s.ts, before: cur?.errors };
    if (s.metric === 'esmon.agent.probe.duration_ms') run.durationMs = s.value;
    else run.errors = s.value;
    next[id] = run;
  }
  return next;
}

/** The newer of the two live views of a run, with the other's figures when they are of the same run. */
export function mergeRuns(a: Run | undefined, b: Run | undefined): Run | undefined {
  if (!a || !b) return a ?? b;
  if (a.ts === b.ts) return { ts: a.ts, durationMs: a.durationMs, errors: b.errors, before: b.before };
  return Date.parse(a.ts) > Date.parse(b.ts) ? a : b;
}

