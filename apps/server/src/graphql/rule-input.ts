// RuleInput, the GraphQL mirror of ruleDefinitionSchema, and the checks every save passes: the
// definition itself (checkDefinition; metrics never seen are warnings, not errors, because rules
// are often written before the agent that sends the metric) and its dependencies.
import type { PrismaTypes, SqlRunner } from '@esmon/db';
import { metricNamesOf, parseSelector, validateRule, type FieldIssue } from '@esmon/schema';
import { checkDefinition, type RuleDefinition } from '../rules/definition.ts';
import { builder } from './builder.ts';
import { inputError } from './errors.ts';
import { dependencyProblems } from './rule-dependencies.ts';
import { knownMetricsAmong, position, positioned, type PositionedDiagnostic } from './rule-diagnostic.ts';
import { SeverityEnum } from './rule-object.ts';

const RuleThresholdInput = builder.inputType('RuleThresholdInput', {
  description: 'A value rule without writing the expression: fn(metric, "window"[, percentile])',
  fields: (t) => ({
    metric: t.string({
      required: true,
      description: 'a series selector, e.g. os.cpu.usage{core=""} (the total: no core label)',
    }),
    fn: t.string({
      required: true,
      description: 'last, avg, min, max, sum, count, rate, delta, increase, stddev or percentile',
    }),
    window: t.string({ required: true, description: 'e.g. 5m, 1h30m' }),
    percentile: t.float({ description: 'for fn percentile: 0 to 100, default 95' }),
  }),
});

const RuleLevelInput = builder.inputType('RuleLevelInput', {
  fields: (t) => ({
    severity: t.field({ type: SeverityEnum, required: true }),
    threshold: t.float({ description: 'required for a value rule, absent for a condition rule' }),
    recovery: t.float({
      description: 'where the level clears, on the good side of threshold; default: the threshold',
    }),
  }),
});

export const RuleInput = builder.inputType('RuleInput', {
  description: 'A whole rule definition; a field left out or null takes its default',
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    expression: t.string({ description: 'a condition or a value expression; give this or threshold' }),
    threshold: t.field({ type: RuleThresholdInput }),
    comparator: t.string({ description: '> (default), >=, < or <=' }),
    levels: t.field({
      type: [RuleLevelInput],
      required: true,
      description: 'up to three; one for a condition rule',
    }),
    forSeconds: t.int({ description: 'default 0: fire at once' }),
    keepFiringSeconds: t.int({ description: 'default 0' }),
    noDataPolicy: t.string({ description: 'ok, alerting, nodata (default) or keep_last' }),
    evalIntervalSeconds: t.int({ description: 'default 30' }),
    scope: t.field({
      type: 'JSON',
      description: '{ hostIds?, labels?, hostnamePattern?, groupBy? }; default: every host',
    }),
    dependsOn: t.intList({
      description: 'ids of rules that suppress this one while they fire for the same instance',
    }),
    labels: t.field({ type: 'JSON' }),
    annotations: t.field({
      type: 'JSON',
      description: 'templates: {{host}} {{value}} {{severity}} {{rule}} {{state}} {{labels.NAME}}',
    }),
    enabled: t.boolean({
      description: 'default true on create; on update, left out keeps the current state',
    }),
  }),
});
export type RuleInputValue = typeof RuleInput.$inferInput;

const present = (o: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v != null));

/** GraphQL null means "not given", so the definition's defaults apply; JSON values pass unchanged. */
export function definitionInputOf(input: RuleInputValue): Record<string, unknown> {
  return {
    ...present(input),
    ...(input.threshold ? { threshold: present(input.threshold) } : {}),
    levels: input.levels.map(present),
  };
}

/** The metric names a definition input reads, for the unknown-metric warnings. */
function metricNamesIn(input: Record<string, unknown>): string[] {
  const threshold = input.threshold as { metric?: unknown } | undefined;
  if (typeof threshold?.metric === 'string') {
    try {
      const { metric } = parseSelector(threshold.metric);
      return metric ? [metric] : [];
    } catch {
      return []; // checkDefinition names the problem
    }
  }
  const ast = typeof input.expression === 'string' ? validateRule(input.expression).ast : undefined;
  return ast ? [...metricNamesOf(ast)] : [];
}

export interface CheckedRule {
  definition: RuleDefinition;
  warnings: PositionedDiagnostic[];
}

const under = (path: string, issue: string) => [path, issue].filter(Boolean).join('.');

/**
 * Checks a definition input. Throws BAD_USER_INPUT listing every problem with its path under
 * `path`; an expression problem's message ends with its place, "(at line:column)".
 */
export async function checkRuleInput(
  sql: SqlRunner,
  input: Record<string, unknown>,
  path: string,
): Promise<CheckedRule> {
  const typed = typeof input.expression === 'string' ? input.expression : '';
  const checked = checkDefinition(input, await knownMetricsAmong(sql, metricNamesIn(input)));
  if (!checked.ok) {
    throw inputError(
      checked.problems.map((p) => {
        if (p.start === undefined) return { path: under(path, p.path), message: p.message };
        const at = position(typed, p.start);
        return { path: under(path, p.path), message: `${p.message} (at ${at.line}:${at.column})` };
      }),
    );
  }
  const d = checked.definition;
  // warnings point into the text they were found in: the one typed, or the threshold form's
  return { definition: d, warnings: positioned(d.threshold ? d.expression : typed, checked.warnings) };
}

/** Refuses dependencies on missing rules, on the rule itself, or that close a cycle. */
export async function checkDependencies(
  tx: PrismaTypes.TransactionClient,
  ruleId: number | undefined,
  dependsOn: readonly number[],
  path: string,
): Promise<void> {
  if (dependsOn.length === 0) return;
  const rules = await tx.rule.findMany({ select: { id: true, name: true, dependsOn: true } });
  const problems: FieldIssue[] = dependencyProblems(ruleId, dependsOn, rules);
  if (problems.length > 0)
    throw inputError(problems.map((p) => ({ path: under(path, p.path), message: p.message })));
}
