// The rule being edited, as the form holds it (text fields as typed), and the way to and from the
// server: a saved Rule becomes a draft, a draft becomes a RuleInput (or the problems that keep it
// from being one), and the server's refusal becomes messages on the fields and in the text.
import { findFunction, isComparisonOp, isLogicOp, parseDuration, type Expr } from '@esmon/schema';

export const SEVERITIES = ['warning', 'critical', 'very_critical'] as const;
export type Severity = (typeof SEVERITIES)[number];
export const COMPARATORS = ['>', '>=', '<', '<='] as const;
export type Comparator = (typeof COMPARATORS)[number];
export const NO_DATA_POLICIES = ['nodata', 'ok', 'alerting', 'keep_last'] as const;
export type NoDataPolicy = (typeof NO_DATA_POLICIES)[number];
export type RuleKind = 'condition' | 'value';

export interface LevelDraft {
  severity: Severity;
  threshold: string;
  recovery: string;
}

export type ScopeMode = 'all' | 'glob' | 'labels';

export interface RuleDraft {
  name: string;
  description: string;
  expression: string;
  comparator: Comparator;
  levels: LevelDraft[];
  /** durations as typed: "0", "90s", "5m" */
  forText: string;
  keepFiringText: string;
  noDataPolicy: NoDataPolicy;
  scopeMode: ScopeMode;
  hostnamePattern: string;
  /** `name=value` per line */
  scopeLabels: string;
  labels: string;
  summary: string;
  enabled: boolean;
  /** what the form does not show, kept as loaded so a save does not drop it */
  kept: { evalIntervalSeconds?: number; dependsOn: number[]; annotations: Record<string, string>; scope: Record<string, unknown> };
}

/** The Rule fields the editor reads. */
export interface SavedRule {
  id: string;
  name: string;
  description: string | null;
  expression: string;
  comparator: string;
  levels: { severity: Severity; threshold: number | null; recovery: number | null }[];
  forSeconds: number;
  keepFiringSeconds: number;
  noDataPolicy: string;
  evalIntervalSeconds: number;
  scope: Record<string, unknown>;
  dependsOn: number[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  enabled: boolean;
  version: number;
}

export function emptyDraft(): RuleDraft {
  return {
    name: '',
    description: '',
    expression: '',
    comparator: '>',
    levels: [{ severity: 'warning', threshold: '', recovery: '' }],
    forText: '0',
    keepFiringText: '0',
    noDataPolicy: 'nodata',
    scopeMode: 'all',
    hostnamePattern: '',
    scopeLabels: '',
    labels: '',
    summary: '',
    enabled: true,
    kept: { dependsOn: [], annotations: {}, scope: {} },
  };
}

const num = (n: number | null) => (n == null ? '' : String(n));
const pairsText = (o: Record<string, unknown> | undefined) =>
  Object.entries(o ?? {})
    .map(([k, v]) => `${k}=${String(v)}`)
    .join('\n');

export function draftFromRule(r: SavedRule): RuleDraft {
  const { hostnamePattern, labels: scopeLabels, ...scopeRest } = r.scope as { hostnamePattern?: string; labels?: Record<string, string> };
  const { summary = '', ...annotations } = r.annotations;
  return {
    name: r.name,
    description: r.description ?? '',
    expression: r.expression,
    comparator: (COMPARATORS as readonly string[]).includes(r.comparator) ? (r.comparator as Comparator) : '>',
    levels: r.levels.map((l) => ({ severity: l.severity, threshold: num(l.threshold), recovery: l.recovery === l.threshold ? '' : num(l.recovery) })),
    forText: durationText(r.forSeconds),
    keepFiringText: durationText(r.keepFiringSeconds),
    noDataPolicy: (NO_DATA_POLICIES as readonly string[]).includes(r.noDataPolicy) ? (r.noDataPolicy as NoDataPolicy) : 'nodata',
    scopeMode: hostnamePattern ? 'glob' : scopeLabels && Object.keys(scopeLabels).length ? 'labels' : 'all',
    hostnamePattern: hostnamePattern ?? '',
    scopeLabels: pairsText(scopeLabels),
    labels: pairsText(r.labels),
    summary,
    enabled: r.enabled,
    kept: { evalIntervalSeconds: r.evalIntervalSeconds, dependsOn: r.dependsOn, annotations, scope: scopeRest },
  };
}

/** Whether an expression is a condition (true/false) or a value compared with thresholds. */
export function exprKind(e: Expr): RuleKind | undefined {
  switch (e.kind) {
    case 'number':
      return 'value';
    case 'binary':
      return isLogicOp(e.op) || isComparisonOp(e.op) ? 'condition' : 'value';
    case 'unary':
      return e.op === 'not' ? 'condition' : 'value';
    case 'call': {
      const f = findFunction(e.name);
      return f ? (f.returns === 'boolean' ? 'condition' : 'value') : undefined;
    }
    default:
      return undefined;
  }
}

/** "5m" for 300; "0" for 0. */
export function durationText(seconds: number): string {
  if (!seconds) return '0';
  const units: [string, number][] = [['d', 86_400], ['h', 3600], ['m', 60], ['s', 1]];
  let left = seconds;
  let out = '';
  for (const [u, n] of units) {
    if (left >= n) {
      out += `${Math.floor(left / n)}${u}`;
      left %= n;
    }
  }
  return out;
}

/** Seconds of "0", "90", "90s", "5m", "1h30m"; undefined when it is none of those. */
export function secondsOf(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || t === '0') return 0;
  if (/^\d+$/.test(t)) return Number(t);
  const ms = parseDuration(t);
  return ms === undefined ? undefined : Math.round(ms / 1000);
}

/** `a=b` lines into a map; the problem with the first bad line otherwise. */
export function parsePairs(text: string): { ok: true; value: Record<string, string> } | { ok: false; message: string } {
  const value: Record<string, string> = {};
  for (const [i, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, message: `line ${i + 1}: write name=value` };
    value[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return { ok: true, value };
}

export type FieldErrors = Record<string, string>;

function numberField(text: string): number | null | undefined {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * The RuleInput a draft stands for, given the kind of its expression (a condition keeps one
 * severity and no thresholds), or the problems found before asking the server.
 */
export function draftToInput(d: RuleDraft, kind: RuleKind | undefined): { input?: Record<string, unknown>; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const levels = (kind === 'condition' ? d.levels.slice(0, 1) : d.levels).map((l, i) => {
    if (kind === 'condition') return { severity: l.severity };
    const threshold = numberField(l.threshold);
    const recovery = numberField(l.recovery);
    if (threshold === undefined || (threshold === null && kind === 'value')) errors[`levels[${i}].threshold`] = 'a number is needed';
    if (recovery === undefined) errors[`levels[${i}].recovery`] = 'a number, or empty for the threshold';
    return { severity: l.severity, ...(threshold != null ? { threshold } : {}), ...(recovery != null ? { recovery } : {}) };
  });
  const forSeconds = secondsOf(d.forText);
  if (forSeconds === undefined) errors.forSeconds = 'a duration such as 0, 90s or 5m';
  const keepFiringSeconds = secondsOf(d.keepFiringText);
  if (keepFiringSeconds === undefined) errors.keepFiringSeconds = 'a duration such as 0, 90s or 5m';
  const labels = parsePairs(d.labels);
  if (!labels.ok) errors.labels = labels.message;
  const scope: Record<string, unknown> = { ...d.kept.scope };
  if (d.scopeMode === 'glob') {
    if (!d.hostnamePattern.trim()) errors.scope = 'a hostname pattern such as web-*';
    scope.hostnamePattern = d.hostnamePattern.trim();
  } else if (d.scopeMode === 'labels') {
    const l = parsePairs(d.scopeLabels);
    if (!l.ok) errors.scope = l.message;
    else if (Object.keys(l.value).length === 0) errors.scope = 'at least one host label, name=value';
    else scope.labels = l.value;
  }
  if (Object.keys(errors).length > 0) return { errors };
  const annotations = { ...d.kept.annotations, ...(d.summary.trim() ? { summary: d.summary.trim() } : {}) };
  return {
    errors,
    input: {
      name: d.name.trim(),
      description: d.description.trim() || null,
      expression: d.expression,
      comparator: d.comparator,
      levels,
      forSeconds,
      keepFiringSeconds,
      noDataPolicy: d.noDataPolicy,
      ...(d.kept.evalIntervalSeconds ? { evalIntervalSeconds: d.kept.evalIntervalSeconds } : {}),
      scope,
      dependsOn: d.kept.dependsOn,
      labels: labels.ok ? labels.value : {},
      annotations,
      enabled: d.enabled,
    },
  };
}

export interface TextProblem {
  line: number;
  column: number;
  message: string;
}

/**
 * The server's BAD_USER_INPUT details ({ path, message }) as field errors, with expression
 * problems ("… (at 1:12)") as places in the text; paths lose their argument prefix (input., draft.).
 */
export function serverProblems(details: unknown): { fields: FieldErrors; text: TextProblem[] } {
  const fields: FieldErrors = {};
  const text: TextProblem[] = [];
  if (!Array.isArray(details)) return { fields, text };
  for (const d of details as { path?: unknown; message?: unknown }[]) {
    if (typeof d?.message !== 'string') continue;
    const path = String(d.path ?? '').replace(/^(input|draft)\.?/, '');
    const at = /\s*\(at (\d+):(\d+)\)$/.exec(d.message);
    if (path === 'expression' && at) {
      text.push({ line: Number(at[1]), column: Number(at[2]), message: d.message.slice(0, at.index) });
      continue;
    }
    const key = path.startsWith('scope') ? 'scope' : path.startsWith('annotations') ? 'summary' : path.startsWith('labels') ? 'labels' : path || 'form';
    fields[key] = fields[key] ? `${fields[key]}; ${d.message}` : d.message;
  }
  return { fields, text };
}
