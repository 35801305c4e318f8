// The probe builder's model: plugin manifests as the `plugins` query returns them, the draft the
// builder edits (steps with their own extractions, settings and targets as form text), and the
// conversions between a draft and the definition the server stores (probeDefinitionSchema).

/** UI metadata of one parameter (schema/src/plugin/manifest.ts ParamUi). */
export interface ParamUi {
  label: string;
  help?: string;
  widget?: string;
  secret?: boolean;
  visibleWhen?: { param: string; equals: readonly (string | number | boolean)[] };
  placeholder?: string;
}

/** The part of JSON Schema (as zod's toJSONSchema writes it) the form reads. */
export interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  pattern?: string;
  ui?: ParamUi;
}

export interface PluginManifest {
  id: string;
  version: string;
  title: string;
  description: string;
  category: string;
  platforms: string[];
  runsScripts: boolean;
  params: JsonSchema;
  outputs: { metric: string; description: string; unit?: string }[];
}

export type ExtractMode = 'column' | 'jsonPath' | 'regex';
export type LabelKind = 'text' | 'column' | 'group' | 'key';

export interface LabelDraft {
  name: string;
  kind: LabelKind;
  value: string;
}

export interface ExtractionDraft {
  mode: ExtractMode;
  column: string;
  path: string;
  pattern: string;
  group: string;
  metric: string;
  labels: LabelDraft[];
  transform: string;
}

export interface StepDraft {
  /** stable while editing (the canvas node id); the step id may be renamed */
  key: string;
  id: string;
  plugin: string;
  params: Record<string, unknown>;
  extract: ExtractionDraft[];
}

export interface TargetsDraft {
  hostIds: number[];
  labels: { name: string; value: string }[];
  hostnamePattern: string;
}

export interface ProbeDraft {
  name: string;
  description: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  enabled: boolean;
  targets: TargetsDraft;
  steps: StepDraft[];
}

type LabelSource = string | { column: string } | { group: number | string } | { key: string };

/** The stored definition, as far as the builder reads it. */
export interface ProbeDefinition {
  name: string;
  description?: string | null;
  steps: { id: string; plugin: string; params?: Record<string, unknown> }[];
  extract?: {
    step: string;
    from: { kind: 'column'; column: string } | { kind: 'jsonPath'; path: string } | { kind: 'regex'; pattern: string; group?: number };
    metric: string;
    labels?: Record<string, LabelSource>;
    transform?: string;
  }[];
  intervalSeconds?: number;
  timeoutSeconds?: number;
  targets?: { hostIds?: number[]; labels?: Record<string, string>; hostnamePattern?: string };
  enabled?: boolean;
}

let keys = 0;
export const newKey = (): string => `k${++keys}`;

export function emptyDraft(): ProbeDraft {
  return {
    name: '',
    description: '',
    intervalSeconds: '60',
    timeoutSeconds: '30',
    enabled: true,
    targets: { hostIds: [], labels: [], hostnamePattern: '' },
    steps: [],
  };
}

export function emptyExtraction(): ExtractionDraft {
  return { mode: 'regex', column: '', path: '$', pattern: '', group: '1', metric: '', labels: [], transform: '' };
}

/** A step id for a new step of `plugin`: `http_1`, `http_2`, … (lower case, digits and _). */
export function nextStepId(plugin: string, taken: readonly string[]): string {
  const base = plugin.toLowerCase().replace(/-/g, '_').replace(/[^a-z0-9_]/g, '').slice(0, 28) || 'step';
  const start = /^[a-z]/.test(base) ? base : `s_${base}`.slice(0, 28);
  for (let n = 1; ; n++) if (!taken.includes(`${start}_${n}`)) return `${start}_${n}`;
}

export function newStep(plugin: string, taken: readonly string[]): StepDraft {
  return { key: newKey(), id: nextStepId(plugin, taken), plugin, params: {}, extract: [] };
}

function labelSource(l: LabelDraft): LabelSource {
  switch (l.kind) {
    case 'column':
      return { column: l.value };
    case 'key':
      return { key: l.value };
    case 'group':
      return { group: /^\d+$/.test(l.value.trim()) ? Number(l.value.trim()) : l.value.trim() };
    default:
      return l.value;
  }
}

function labelDraft(name: string, s: LabelSource): LabelDraft {
  if (typeof s === 'string') return { name, kind: 'text', value: s };
  if ('column' in s) return { name, kind: 'column', value: s.column };
  if ('key' in s) return { name, kind: 'key', value: s.key };
  return { name, kind: 'group', value: String(s.group) };
}

/** A number typed in a field; empty leaves the server's default, anything else is sent as typed. */
function numberField(text: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
}

/** Where each entry of the flat `extract` array came from (for the server's `extract[i]` errors). */
export interface ExtractOrigin {
  stepKey: string;
  index: number;
}

/** The draft as the server's definition, and where each extraction came from. */
export function toDefinition(d: ProbeDraft): { definition: ProbeDefinition & Record<string, unknown>; origins: ExtractOrigin[] } {
  const origins: ExtractOrigin[] = [];
  const extract: NonNullable<ProbeDefinition['extract']> = [];
  for (const s of d.steps) {
    s.extract.forEach((x, index) => {
      origins.push({ stepKey: s.key, index });
      const from =
        x.mode === 'column'
          ? { kind: 'column' as const, column: x.column.trim() }
          : x.mode === 'jsonPath'
            ? { kind: 'jsonPath' as const, path: x.path.trim() }
            : { kind: 'regex' as const, pattern: x.pattern, group: (numberField(x.group) ?? 1) as number };
      const labels = Object.fromEntries(x.labels.filter((l) => l.name.trim() || l.value.trim()).map((l) => [l.name.trim(), labelSource(l)]));
      extract.push({
        step: s.id,
        from,
        metric: x.metric.trim(),
        ...(Object.keys(labels).length ? { labels } : {}),
        ...(x.transform.trim() ? { transform: x.transform.trim() } : {}),
      });
    });
  }
  const t = d.targets;
  const labels = Object.fromEntries(t.labels.filter((l) => l.name.trim()).map((l) => [l.name.trim(), l.value]));
  const targets = {
    ...(t.hostIds.length ? { hostIds: t.hostIds } : {}),
    ...(Object.keys(labels).length ? { labels } : {}),
    ...(t.hostnamePattern.trim() ? { hostnamePattern: t.hostnamePattern.trim() } : {}),
  };
  const interval = numberField(d.intervalSeconds);
  const timeout = numberField(d.timeoutSeconds);
  const definition = {
    name: d.name,
    description: d.description.trim() || null,
    steps: d.steps.map((s) => ({ id: s.id, plugin: s.plugin, params: s.params })),
    extract,
    ...(interval !== undefined ? { intervalSeconds: interval as number } : {}),
    ...(timeout !== undefined ? { timeoutSeconds: timeout as number } : {}),
    targets,
    enabled: d.enabled,
  };
  return { definition, origins };
}

/** A stored definition as a draft to edit. */
export function fromDefinition(def: ProbeDefinition): ProbeDraft {
  const steps: StepDraft[] = def.steps.map((s) => ({ key: newKey(), id: s.id, plugin: s.plugin, params: { ...(s.params ?? {}) }, extract: [] }));
  for (const x of def.extract ?? []) {
    const step = steps.find((s) => s.id === x.step);
    if (!step) continue;
    const e = emptyExtraction();
    e.mode = x.from.kind;
    if (x.from.kind === 'column') e.column = x.from.column;
    else if (x.from.kind === 'jsonPath') e.path = x.from.path;
    else {
      e.pattern = x.from.pattern;
      e.group = String(x.from.group ?? 1);
    }
    e.metric = x.metric;
    e.labels = Object.entries(x.labels ?? {}).map(([name, s]) => labelDraft(name, s));
    e.transform = x.transform ?? '';
    step.extract.push(e);
  }
  const t = def.targets ?? {};
  return {
    name: def.name,
    description: def.description ?? '',
    intervalSeconds: String(def.intervalSeconds ?? 60),
    timeoutSeconds: String(def.timeoutSeconds ?? 30),
    enabled: def.enabled ?? true,
    targets: {
      hostIds: t.hostIds ?? [],
      labels: Object.entries(t.labels ?? {}).map(([name, value]) => ({ name, value })),
      hostnamePattern: t.hostnamePattern ?? '',
    },
    steps,
  };
}

/** Moves a step by `delta` places in the pipeline (clamped). */
export function moveStep(d: ProbeDraft, key: string, delta: number): ProbeDraft {
  const i = d.steps.findIndex((s) => s.key === key);
  if (i < 0) return d;
  const j = Math.max(0, Math.min(d.steps.length - 1, i + delta));
  const steps = [...d.steps];
  const [s] = steps.splice(i, 1);
  steps.splice(j, 0, s!);
  return { ...d, steps };
}

/** Puts step `key` right after step `after` (an edge drawn on the canvas). */
export function placeAfter(d: ProbeDraft, key: string, after: string): ProbeDraft {
  if (key === after) return d;
  const step = d.steps.find((s) => s.key === key);
  if (!step) return d;
  const rest = d.steps.filter((s) => s.key !== key);
  const i = rest.findIndex((s) => s.key === after);
  if (i < 0) return d;
  rest.splice(i + 1, 0, step);
  return { ...d, steps: rest };
}
