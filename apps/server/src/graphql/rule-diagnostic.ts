// Problems in rule text with their place, shared by validateRule and the rule mutations' warnings.
import type { SqlRunner } from '@esmon/db';
import type { Diagnostic } from '@esmon/schema';
import { builder } from './builder.ts';

export interface PositionedDiagnostic extends Diagnostic {
  line: number;
  column: number;
}

export const RuleDiagnostic = builder.objectRef<PositionedDiagnostic>('RuleDiagnostic').implement({
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

/** 1-based line and column of a character offset. */
export function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

export function positioned(text: string, diagnostics: readonly Diagnostic[]): PositionedDiagnostic[] {
  return diagnostics.map((d) => ({ ...d, ...position(text, d.start) }));
}

/** Which of `names` the series dictionary holds; the rest earn an unknown-metric warning. */
export async function knownMetricsAmong(sql: SqlRunner, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const rows = await sql.query<{ metric: string }>(
    'SELECT DISTINCT metric FROM series WHERE metric = ANY($1::text[])',
    [names],
  );
  return new Set(rows.map((r) => r.metric));
}
