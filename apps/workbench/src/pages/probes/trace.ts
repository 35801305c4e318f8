// The trace runProbeNow returns (agent/src/probes/trace.ts), and which step each of its samples
// came from: the trace lists the run's samples together, so a sample is given to the step whose
// extraction names its metric, else to the first step whose plugin's outputs match it
// (`http.up`, `<metricPrefix>.<attribute path>` with the step's own prefix).
import type { PluginManifest, ProbeDefinition } from './model.ts';

export type StepTraceStatus = 'ok' | 'error' | 'timeout' | 'unsupported' | 'skipped';

export interface StepTrace {
  id: string;
  plugin: string;
  status: StepTraceStatus;
  durationMs: number;
  input?: unknown;
  output?: string;
  error?: string;
  rowCount?: number;
  rows?: unknown[];
}

export interface TraceSample {
  metric: string;
  value: number;
  ts?: number;
  labels?: Record<string, string>;
}

export interface ProbeTrace {
  probeId: string;
  version: number;
  startedAt: number;
  durationMs: number;
  status: StepTraceStatus;
  steps: StepTrace[];
  samples: TraceSample[];
  problems: string[];
}

/** Reads runProbeNow's JSON defensively: an older or newer agent may send a little more or less. */
export function asTrace(json: unknown): ProbeTrace | undefined {
  if (!json || typeof json !== 'object') return undefined;
  const t = json as Partial<ProbeTrace>;
  if (!Array.isArray(t.steps)) return undefined;
  return {
    probeId: String(t.probeId ?? ''),
    version: Number(t.version ?? 0),
    startedAt: Number(t.startedAt ?? 0),
    durationMs: Number(t.durationMs ?? 0),
    status: (t.status ?? 'ok') as StepTraceStatus,
    steps: t.steps,
    samples: Array.isArray(t.samples) ? t.samples : [],
    problems: Array.isArray(t.problems) ? t.problems.map(String) : [],
  };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** An output pattern as a regex, placeholders naming a string parameter filled from the step's params. */
export function outputPattern(pattern: string, params: Record<string, unknown>, manifest: PluginManifest): RegExp {
  const body = pattern
    .split(/(<[^>]+>)/)
    .map((part) => {
      const m = /^<([^>]+)>$/.exec(part);
      if (!m) return escape(part);
      const name = m[1]!;
      const value = params[name] ?? manifest.params.properties?.[name]?.default;
      return typeof value === 'string' && value ? escape(value) : '.+';
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/** The samples of a run grouped by step id; the ones no step claims under ''. */
export function samplesByStep(
  trace: Pick<ProbeTrace, 'samples'>,
  definition: Pick<ProbeDefinition, 'steps' | 'extract'>,
  manifests: ReadonlyMap<string, PluginManifest>,
): Map<string, TraceSample[]> {
  const out = new Map<string, TraceSample[]>(definition.steps.map((s) => [s.id, []]));
  out.set('', []);
  const extracted = new Map<string, string>();
  for (const x of definition.extract ?? []) if (!extracted.has(x.metric)) extracted.set(x.metric, x.step);
  const patterns = definition.steps.map((s) => {
    const m = manifests.get(s.plugin);
    return { id: s.id, res: m ? m.outputs.map((o) => outputPattern(o.metric, s.params ?? {}, m)) : [] };
  });
  for (const sample of trace.samples) {
    const byExtraction = extracted.get(sample.metric);
    const id = byExtraction && out.has(byExtraction) ? byExtraction : (patterns.find((p) => p.res.some((re) => re.test(sample.metric)))?.id ?? '');
    out.get(id)!.push(sample);
  }
  return out;
}

export function formatLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  return entries.length ? `{${entries.map(([k, v]) => `${k}="${v}"`).join(', ')}}` : '';
}
