// A rule as analysts write it (the GraphQL input and every stored version) and as the evaluator
// runs it. Two shapes share one model:
// - a value rule: an expression that yields a number (`avg(os.cpu.usage, "5m")`, or the threshold
//   form metric + window function + window), compared by `comparator` with up to three levels,
//   each with its threshold and recovery threshold;
// - a condition rule: an expression that is true or false, with exactly one level naming its
//   severity (a condition has no value to put thresholds on).
import { z } from 'zod';
import {
  compileRule,
  durationProblem,
  formatRule,
  formatSelector,
  hasErrors,
  issuePath,
  MAX_RULE_LENGTH,
  parseSelector,
  ruleScopeSchema,
  validateRule,
  WINDOW_FUNCTIONS,
  type CompiledRule,
  type Diagnostic,
  type RuleScope,
} from '@esmon/schema';
import type { AlertRulePolicy, Comparator, NoDataPolicy, Severity } from '../alerts/types.ts';
import { SEVERITIES } from '../alerts/types.ts';
import { annotationsSchema } from './annotations.ts';

export const COMPARATORS = ['>', '>=', '<', '<='] as const satisfies readonly Comparator[];
export const NO_DATA_POLICIES = ['ok', 'alerting', 'nodata', 'keep_last'] as const satisfies readonly NoDataPolicy[];
/** Too many state changes in this window hold notifications (flapping). */
export const FLAPPING = { windowMs: 20 * 60_000, maxChanges: 6 };
const WEEK_S = 7 * 86_400;

const thresholdFormSchema = z
  .object({
    metric: z.string().min(1).max(1000).describe('a series selector, e.g. os.disk.used_pct{mount="/"}; a missing label equals "", so os.cpu.usage{core=""} is the total'),
    fn: z.enum(WINDOW_FUNCTIONS.filter((f) => f !== 'nodata') as [string, ...string[]]),
    window: z.string().superRefine((w, ctx) => {
      const problem = durationProblem(w);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    percentile: z.number().min(0).max(100).optional(),
  })
  .strict();
export type ThresholdForm = z.infer<typeof thresholdFormSchema>;

const levelSchema = z
  .object({
    severity: z.enum(SEVERITIES),
    threshold: z.number().finite().nullish(),
    /** defaults to the threshold: no hysteresis */
    recovery: z.number().finite().nullish(),
  })
  .strict();

const labelMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'a label name'), z.string().max(256)).refine(
  (l) => Object.keys(l).length <= 32,
  'at most 32 labels',
);

export const ruleDefinitionSchema = z
  .object({
    name: z.string().trim().min(1, 'a rule needs a name').max(120),
    description: z.string().max(4000).nullish(),
    expression: z.string().max(MAX_RULE_LENGTH).nullish(),
    threshold: thresholdFormSchema.nullish(),
    comparator: z.enum(COMPARATORS).default('>'),
    levels: z.array(levelSchema).min(1, 'a rule needs at least one severity level').max(3),
    forSeconds: z.number().int().min(0).max(WEEK_S).default(0),
    keepFiringSeconds: z.number().int().min(0).max(WEEK_S).default(0),
    noDataPolicy: z.enum(NO_DATA_POLICIES).default('nodata'),
    evalIntervalSeconds: z.number().int().min(1).max(3600).default(30),
    scope: ruleScopeSchema.default({}),
    dependsOn: z.array(z.number().int().positive()).max(20).default([]),
    labels: labelMap.default({}),
    annotations: annotationsSchema.default({}),
    enabled: z.boolean().default(true),
  })
  .strict();
export type RuleDefinitionInput = z.input<typeof ruleDefinitionSchema>;

/** A checked definition, as stored in `rules` and in every `rule_versions.definition`. */
export interface RuleDefinition {
  name: string;
  description: string | null;
  /** canonical text */
  expression: string;
  threshold: ThresholdForm | null;
  comparator: Comparator;
  levels: { severity: Severity; threshold: number | null; recovery: number | null }[];
  forSeconds: number;
  keepFiringSeconds: number;
  noDataPolicy: NoDataPolicy;
  evalIntervalSeconds: number;
  scope: RuleScope;
  dependsOn: number[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  enabled: boolean;
}

export interface DefinitionProblem {
  path: string;
  message: string;
  /** for expression problems: where in the text */
  start?: number;
  end?: number;
}

export type Checked = { ok: true; definition: RuleDefinition; warnings: Diagnostic[] } | { ok: false; problems: DefinitionProblem[] };

/** The expression a threshold form stands for: fn(selector, "window"[, p]). */
export function thresholdExpression(form: ThresholdForm): string {
  const selector = formatSelector(parseSelector(form.metric));
  const p = form.fn === 'percentile' ? `, ${form.percentile ?? 95}` : '';
  return `${form.fn}(${selector}, "${form.window}"${p})`;
}

/**
 * Checks a rule input as a whole: shape (zod), the expression, and the levels against the kind of
 * expression. Returns the canonical definition, or every problem with its path.
 */
export function checkDefinition(input: unknown, knownMetrics?: ReadonlySet<string>): Checked {
  const parsed = ruleDefinitionSchema.safeParse(input);
  if (!parsed.success) {
    // the same path notation as every other GraphQL input error (levels[0].severity)
    return { ok: false, problems: parsed.error.issues.map((i) => ({ path: issuePath(i.path), message: issueMessage(i) })) };
  }
  const d = parsed.data;
  const problems: DefinitionProblem[] = [];
  let text: string;
  if (d.threshold && d.expression) return fail('threshold', 'give either an expression or a threshold form, not both');
  if (d.threshold) {
    // stored with the form, a percentile the function ignores would show up again in the editor
    if (d.threshold.percentile !== undefined && d.threshold.fn !== 'percentile') {
      return fail('threshold.percentile', `percentile applies to fn percentile only, not ${d.threshold.fn}`);
    }
    try {
      text = thresholdExpression(d.threshold);
    } catch (err) {
      return fail('threshold.metric', (err as Error).message);
    }
  } else if (d.expression && d.expression.trim()) {
    text = d.expression;
  } else {
    return fail('expression', 'a rule needs an expression or a threshold form');
  }
  const { ast, diagnostics } = validateRule(text, { knownMetrics, expect: 'condition-or-value' });
  if (!ast || hasErrors(diagnostics)) {
    for (const p of diagnostics.filter((x) => x.severity === 'error')) {
      // offsets into text the user never typed would mislead: name the generated expression instead
      problems.push(
        d.threshold
          ? { path: 'threshold', message: `${p.message} (in ${text})` }
          : { path: 'expression', message: p.message, start: p.start, end: p.end },
      );
    }
    return { ok: false, problems };
  }
  const kind = compileRule(ast, { expect: 'condition-or-value' }).type;
  const seen = new Set<string>();
  d.levels.forEach((l, i) => {
    if (seen.has(l.severity)) problems.push({ path: `levels[${i}].severity`, message: `${l.severity} is listed twice` });
    seen.add(l.severity);
    if (kind === 'condition') {
      if (l.threshold != null || l.recovery != null) {
        problems.push({ path: `levels[${i}]`, message: 'a condition rule has no thresholds: its expression decides; give only the severity' });
      }
    } else if (l.threshold == null) {
      problems.push({ path: `levels[${i}].threshold`, message: `the ${l.severity} level needs a threshold` });
    }
  });
  if (kind === 'condition' && d.levels.length > 1) {
    problems.push({ path: 'levels', message: 'a condition rule has one severity; for several, write a value expression with thresholds' });
  }
  const high = d.comparator === '>' || d.comparator === '>=';
  const levels = d.levels.map((l) => ({
    severity: l.severity,
    threshold: l.threshold ?? null,
    recovery: kind === 'condition' ? null : (l.recovery ?? l.threshold ?? null),
  }));
  if (kind === 'value' && problems.length === 0) problems.push(...levelOrderProblems(levels, high, d.comparator));
  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    warnings: diagnostics,
    definition: {
      name: d.name,
      description: d.description ?? null,
      expression: d.threshold ? text : formatRule(ast),
      threshold: d.threshold ?? null,
      comparator: d.comparator,
      levels: [...levels].sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity)),
      forSeconds: d.forSeconds,
      keepFiringSeconds: d.keepFiringSeconds,
      noDataPolicy: d.noDataPolicy,
      evalIntervalSeconds: d.evalIntervalSeconds,
      scope: d.scope,
      dependsOn: [...new Set(d.dependsOn)],
      labels: d.labels,
      annotations: d.annotations,
      enabled: d.enabled,
    },
  };

  function fail(path: string, message: string): Checked {
    return { ok: false, problems: [{ path, message }] };
  }
}

/** zod says only "Invalid key in record" for a bad label name; the key schema's own message says why. */
function issueMessage(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_key' ? (issue.issues[0]?.message ?? issue.message) : issue.message;
}

/**
 * The input that checks back to `d` (rollback re-checks a stored version): a stored definition
 * carries both the threshold form and the expression it stands for, which an input may not.
 */
export function definitionInput(d: RuleDefinition): RuleDefinitionInput {
  const { threshold, expression, ...rest } = d;
  return { ...rest, ...(threshold ? { threshold } : { expression }) };
}

/** Thresholds rise with severity (fall, for < rules) and recoveries sit on the good side. */
function levelOrderProblems(levels: RuleDefinition['levels'], high: boolean, comparator: string): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const sorted = levels
    .map((l, i) => ({ ...l, i }))
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity));
  for (const l of sorted) {
    const t = l.threshold!;
    const r = l.recovery!;
    if (high ? r > t : r < t) {
      problems.push({
        path: `levels[${l.i}].recovery`,
        message: `recovery ${r} must be ${high ? 'at or below' : 'at or above'} the threshold ${t} (alerting on values ${comparator} ${t})`,
      });
    }
  }
  for (let k = 1; k < sorted.length; k++) {
    const lower = sorted[k - 1]!;
    const upper = sorted[k]!;
    if (high ? upper.threshold! <= lower.threshold! : upper.threshold! >= lower.threshold!) {
      problems.push({
        path: `levels[${upper.i}].threshold`,
        message: `the ${upper.severity} threshold must be ${high ? 'above' : 'below'} the ${lower.severity} threshold ${lower.threshold}`,
      });
    }
  }
  return problems;
}

/** What the evaluator runs: the definition compiled, with the state machine's policy. */
export interface RunnableRule {
  id: number;
  version: number;
  definition: RuleDefinition;
  compiled: CompiledRule;
  policy: AlertRulePolicy;
}

/** Compiles a stored definition. Condition rules become a 1/0 value against threshold 1. */
export function runnableRule(id: number, version: number, definition: RuleDefinition): RunnableRule {
  const compiled = compileRule(validateRule(definition.expression, { expect: 'condition-or-value' }).ast!, {
    expect: 'condition-or-value',
  });
  const base = {
    forMs: definition.forSeconds * 1000,
    keepFiringForMs: definition.keepFiringSeconds * 1000,
    noData: definition.noDataPolicy,
    flapping: FLAPPING,
  };
  const policy: AlertRulePolicy =
    compiled.type === 'condition'
      ? { ...base, comparator: '>=', levels: [{ severity: definition.levels[0]!.severity, threshold: 1, recovery: 0 }] }
      : {
          ...base,
          comparator: definition.comparator,
          levels: definition.levels.map((l) => ({ severity: l.severity, threshold: l.threshold!, recovery: l.recovery! })),
        };
  return { id, version, definition, compiled, policy };
}
