// Test rules stored the way the rules API stores them (one row, checked definition), then
// announced on the bus as the API does, so the evaluator picks them up.
import type { SqlRunner } from '@esmon/db';
import type { EventBus } from '../src/events/bus.ts';
import { checkDefinition, type RuleDefinitionInput } from '../src/rules/definition.ts';

export async function insertRule(sql: SqlRunner, bus: EventBus | undefined, input: RuleDefinitionInput): Promise<number> {
  const checked = checkDefinition(input);
  if (!checked.ok) throw new Error(`bad test rule: ${JSON.stringify(checked.problems)}`);
  const d = checked.definition;
  const [row] = await sql.query<{ id: number }>(
    `INSERT INTO rules (name, description, expression, threshold_form, comparator, severities, for_seconds, keep_firing_seconds,
                        no_data_policy, eval_interval_seconds, scope, depends_on, labels, annotations, enabled, updated_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6::jsonb, $7, $8, $9, $10, $11::jsonb, $12::int4[], $13::jsonb, $14::jsonb, $15, now())
     RETURNING id`,
    [
      d.name, d.description, d.expression, d.threshold ? JSON.stringify(d.threshold) : null, d.comparator, JSON.stringify(d.levels),
      d.forSeconds, d.keepFiringSeconds, d.noDataPolicy, d.evalIntervalSeconds, JSON.stringify(d.scope), d.dependsOn,
      JSON.stringify(d.labels), JSON.stringify(d.annotations), d.enabled,
    ],
  );
  bus?.publish('ruleChanged', { ruleId: row!.id, deleted: false });
  return row!.id;
}
