// backtestRule: a draft rule run through the live engine over stored history (see
// evaluator/backtest.ts), so an analyst sees what it would have done before saving it.
import { loadRules } from '../evaluator/evaluator.ts';
import { backtest, BacktestError, type BacktestResult, type BacktestTransition } from '../evaluator/backtest.ts';
import { runnableRule } from '../rules/definition.ts';
import { builder } from './builder.ts';
import { idArg, userError } from './errors.ts';
import { checkRuleInput, definitionInputOf, RuleInput } from './rule-input.ts';
import { SeverityEnum } from './rule-object.ts';

/** More transitions than this are counted but not listed. */
const MAX_LISTED = 5000;

const Transition = builder.objectRef<BacktestTransition>('BacktestTransition').implement({
  authScopes: { analyst: true },
  description: 'One transition the rule would have made',
  fields: (t) => ({
    at: t.field({ type: 'DateTime', resolve: (x) => new Date(x.at) }),
    fingerprint: t.exposeString('instance', { description: 'the instance: host:<id>, plus groupBy label values' }),
    hostname: t.exposeString('hostname'),
    group: t.field({ type: 'JSON', resolve: (x) => x.group }),
    kind: t.exposeString('kind', { description: 'state, severity, suppressed, unsuppressed, flapping_start, flapping_end' }),
    fromState: t.exposeString('from'),
    toState: t.exposeString('to'),
    fromSeverity: t.field({ type: SeverityEnum, nullable: true, resolve: (x) => x.fromSeverity ?? null }),
    severity: t.field({ type: SeverityEnum, nullable: true, resolve: (x) => x.toSeverity ?? null }),
    value: t.float({ nullable: true, resolve: (x) => x.value ?? null }),
    reason: t.exposeString('reason'),
    notify: t.exposeBoolean('notify', { description: 'whether channels would have heard of it (silences not applied)' }),
  }),
});

const Counts = builder.objectRef<BacktestResult['counts']>('BacktestCounts').implement({
  authScopes: { analyst: true },
  description: 'Transitions into each state, and severity changes inside incidents',
  fields: (t) => ({
    pending: t.exposeInt('pending'),
    firing: t.exposeInt('firing'),
    resolved: t.exposeInt('resolved'),
    nodata: t.exposeInt('nodata'),
    ok: t.exposeInt('ok', { description: 'pending alerts whose breach ended before they fired' }),
    severityChanges: t.exposeInt('severityChanges'),
  }),
});

const Backtest = builder.objectRef<BacktestResult>('RuleBacktest').implement({
  authScopes: { analyst: true },
  fields: (t) => ({
    transitions: t.field({ type: [Transition], description: `the first ${MAX_LISTED}, in time order`, resolve: (r) => r.transitions.slice(0, MAX_LISTED) }),
    truncated: t.boolean({ resolve: (r) => r.transitions.length > MAX_LISTED }),
    counts: t.field({ type: Counts, resolve: (r) => r.counts }),
    instances: t.exposeInt('instances', { description: 'rule instances (hosts or label groups) the data made' }),
    evaluations: t.exposeInt('evaluations'),
    points: t.exposeInt('points', { description: 'stored points read' }),
  }),
});

builder.queryField('backtestRule', (t) =>
  t.field({
    type: Backtest,
    authScopes: { analyst: true },
    description:
      'Runs a draft rule over stored history with the live state machine: the transitions it would have made and their counts. Host outages are not stored, so STALE never appears.',
    args: {
      draft: t.arg({ type: RuleInput, required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      ruleId: t.arg.id({ description: 'the saved rule the draft edits, if any' }),
    },
    resolve: async (_root, args, ctx) => {
      const { definition } = await checkRuleInput(ctx.sql, definitionInputOf(args.draft), 'draft');
      const id = args.ruleId ? idArg(args.ruleId, 'ruleId') : 0;
      try {
        return await backtest(ctx.sql, runnableRule(id, 0, definition), args.from.getTime(), args.to.getTime(), (ids) => loadRules(ctx.prisma, ids));
      } catch (err) {
        if (err instanceof BacktestError) throw userError('BAD_USER_INPUT', err.message);
        throw err;
      }
    },
  }),
);
