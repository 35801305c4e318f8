// Rules over GraphQL. For now: validateRule, the editor's and the API's check of an expression
// (diagnostics with positions, the canonical text) against the shared rule language.
import { formatRule, hasErrors, metricNamesOf, validateRule, type Diagnostic } from '@esmon/schema';
import { builder } from './builder.ts';

interface PositionedDiagnostic extends Diagnostic {
  line: number;
  column: number;
}

const RuleDiagnostic = builder.objectRef<PositionedDiagnostic>('RuleDiagnostic').implement({
  authScopes: { viewer: true },
  description: 'A problem in a rule expression: start/end are character offsets, line/column 1-based',
  fields: (t) => ({
    severity: t.exposeString('severity', { description: 'error (the rule cannot be saved) or warning' }),
    message: t.exposeString('message'),
    start: t.exposeInt('start'),
    end: t.exposeInt('end'),
    line: t.exposeInt('line'),
    column: t.exposeInt('column'),
  }),
});

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

/** 1-based line and column of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

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
      const known = names.length
        ? await ctx.sql.query<{ metric: string }>('SELECT DISTINCT metric FROM series WHERE metric = ANY($1::text[])', [names])
        : [];
      const { ast, diagnostics } = validateRule(args.expression, { knownMetrics: new Set(known.map((m) => m.metric)) });
      return {
        valid: !hasErrors(diagnostics),
        formatted: ast ? formatRule(ast) : null,
        diagnostics: diagnostics.map((d) => ({ ...d, ...position(args.expression, d.start) })),
      };
    },
  }),
);
