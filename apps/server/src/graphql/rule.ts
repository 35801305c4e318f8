// Rules over GraphQL: validateRule, the editor's and the API's check of an expression (diagnostics
// with positions, the canonical text) against the shared rule language. The Rule type and its
// queries are in rule-object.ts and rule-version.ts, the saving mutations in rule-mutations.ts.
import { formatRule, hasErrors, metricNamesOf, validateRule } from '@esmon/schema';
import { builder } from './builder.ts';
import { knownMetricsAmong, positioned, RuleDiagnostic, type PositionedDiagnostic } from './rule-diagnostic.ts';
import './rule-object.ts';
import './rule-version.ts';
import './rule-mutations.ts';
import './rule-backtest.ts';

interface RuleValidation {
  valid: boolean;
  formatted: string | null;
  diagnostics: PositionedDiagnostic[];
}

const RuleValidationRef = builder.objectRef<RuleValidation>('RuleValidation').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    valid: t.exposeBoolean('valid', { description: 'true when there is no error (warnings allowed)' }),
    formatted: t.exposeString('formatted', { nullable: true, description: 'the canonical text, when the expression parses' }),
    diagnostics: t.field({ type: [RuleDiagnostic], resolve: (v) => v.diagnostics }),
  }),
});

builder.queryField('validateRule', (t) =>
  t.field({
    type: RuleValidationRef,
    authScopes: { viewer: true },
    description: 'Checks a rule expression: syntax, functions and their arguments, and metrics never seen (a warning)',
    args: { expression: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      // look up only the metrics the expression names (the editor calls this on every change)
      const named = validateRule(args.expression).ast;
      const names = named ? [...metricNamesOf(named)] : [];
      const knownMetrics = await knownMetricsAmong(ctx.sql, names);
      const { ast, diagnostics } = validateRule(args.expression, { knownMetrics });
      return {
        valid: !hasErrors(diagnostics),
        formatted: ast ? formatRule(ast) : null,
        diagnostics: positioned(args.expression, diagnostics),
      };
    },
  }),
);
