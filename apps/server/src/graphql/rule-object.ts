// The Rule type and the rule queries. A rule's fields are its latest definition (the `rules`
// columns); `versions` is its saved history.
import { Severity } from '@esmon/db';
import { compileRule, validateRule } from '@esmon/schema';
import type { RuleDefinition, ThresholdForm } from '../rules/definition.ts';
import { builder } from './builder.ts';
import { containsText } from './search.ts';
import { idArg, userError } from './errors.ts';

/** Alert severity in ascending urgency; the one GraphQL enum for it (alert types reuse it). */
export const SeverityEnum = builder.enumType(Severity, {
  name: 'Severity',
  description: 'Alert severity, in ascending order of urgency',
});

const RuleKindEnum = builder.enumType('RuleKind', {
  values: {
    value: { description: 'the expression yields a number, compared with each level’s threshold' },
    condition: { description: 'the expression is true or false; one level names the severity' },
  } as const,
});

const RuleThreshold = builder.objectRef<ThresholdForm>('RuleThreshold').implement({
  authScopes: { viewer: true },
  description: 'The threshold form a rule was built from: fn(metric, window[, percentile])',
  fields: (t) => ({
    metric: t.exposeString('metric', { description: 'a series selector, e.g. os.disk.used_pct{mount="/"}' }),
    fn: t.exposeString('fn', { description: 'the window function: avg, last, max, percentile, …' }),
    window: t.exposeString('window', { description: 'e.g. 5m' }),
    percentile: t.float({ nullable: true, resolve: (f) => f.percentile ?? null }),
  }),
});

type Level = RuleDefinition['levels'][number];

const RuleLevel = builder.objectRef<Level>('RuleLevel').implement({
  authScopes: { viewer: true },
  description: 'One severity level: alerts when the value passes threshold, recovers at recovery',
  fields: (t) => ({
    severity: t.field({ type: SeverityEnum, resolve: (l) => l.severity }),
    threshold: t.float({
      nullable: true,
      description: 'null for a condition rule',
      resolve: (l) => l.threshold,
    }),
    recovery: t.float({
      nullable: true,
      description: 'null for a condition rule',
      resolve: (l) => l.recovery,
    }),
  }),
});

/** Whether a stored expression is a condition or a value (it passed the checks when saved). */
function kindOf(expression: string): 'value' | 'condition' {
  const { ast } = validateRule(expression, { expect: 'condition-or-value' });
  return compileRule(ast!, { expect: 'condition-or-value' }).type;
}

builder.prismaObject('Rule', {
  authScopes: { viewer: true },
  description: 'An alert rule at its latest version',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    expression: t.exposeString('expression', {
      description: 'canonical text; for a threshold form, the expression it stands for',
    }),
    kind: t.field({ type: RuleKindEnum, select: { expression: true }, resolve: (r) => kindOf(r.expression) }),
    threshold: t.field({
      type: RuleThreshold,
      nullable: true,
      description: 'set when the rule was built with the threshold form',
      select: { thresholdForm: true },
      resolve: (r) => r.thresholdForm as ThresholdForm | null,
    }),
    comparator: t.exposeString('comparator', {
      description: '>, >=, < or <=: how the value meets the thresholds',
    }),
    levels: t.field({
      type: [RuleLevel],
      select: { severities: true },
      resolve: (r) => r.severities as Level[],
    }),
    forSeconds: t.exposeInt('forSeconds', { description: 'how long a breach lasts before the alert fires' }),
    keepFiringSeconds: t.exposeInt('keepFiringSeconds', {
      description: 'how long a firing alert stays after it cleared',
    }),
    noDataPolicy: t.exposeString('noDataPolicy', { description: 'ok, alerting, nodata or keep_last' }),
    evalIntervalSeconds: t.exposeInt('evalIntervalSeconds'),
    scope: t.expose('scope', {
      type: 'JSON',
      description: '{ hostIds?, labels?, hostnamePattern?, groupBy? }',
    }),
    dependsOn: t.exposeIntList('dependsOn', {
      description: 'ids of rules that suppress this one while they fire',
    }),
    labels: t.expose('labels', { type: 'JSON' }),
    annotations: t.expose('annotations', {
      type: 'JSON',
      description: 'templates such as {{host}}, {{value}}, {{labels.NAME}}',
    }),
    enabled: t.exposeBoolean('enabled'),
    version: t.exposeInt('version'),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    versions: t.relation('versions', {
      description: 'newest first',
      query: { orderBy: { version: 'desc' } },
    }),
  }),
});

builder.queryField('rules', (t) =>
  t.prismaField({
    type: ['Rule'],
    authScopes: { viewer: true },
    description: 'Rules by name; search matches part of the name, ignoring case',
    args: { enabled: t.arg.boolean(), search: t.arg.string() },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.rule.findMany({
        ...query,
        where: {
          ...(args.enabled == null ? {} : { enabled: args.enabled }),
          ...(args.search ? { name: containsText(args.search) } : {}),
        },
        orderBy: { name: 'asc' },
      }),
  }),
);

builder.queryField('rule', (t) =>
  t.prismaField({
    type: 'Rule',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idArg(args.id);
      const rule = await ctx.prisma.rule.findUnique({ ...query, where: { id } });
      if (!rule) throw userError('NOT_FOUND', `no rule ${id}`);
      return rule;
    },
  }),
);
