// What changed between two saved versions of a rule, field by field of the definition.
import type { RuleDefinition } from '../rules/definition.ts';

/** Every field of a definition, in the order an editor shows them. */
export const DEFINITION_FIELDS = [
  'name',
  'description',
  'expression',
  'threshold',
  'comparator',
  'levels',
  'forSeconds',
  'keepFiringSeconds',
  'noDataPolicy',
  'evalIntervalSeconds',
  'scope',
  'dependsOn',
  'labels',
  'annotations',
  'enabled',
] as const satisfies readonly (keyof RuleDefinition)[];

// fails to compile when RuleDefinition gains a field the list above lacks
const complete: Exclude<keyof RuleDefinition, (typeof DEFINITION_FIELDS)[number]> extends never
  ? true
  : never = true;
void complete;

export interface RuleChange {
  field: string;
  before: unknown;
  after: unknown;
}

/**
 * The fields whose values differ. Values compare as JSON: key order does not matter, array order
 * does, and a field an older version lacks counts as null.
 */
export function definitionChanges(
  before: Partial<RuleDefinition>,
  after: Partial<RuleDefinition>,
): RuleChange[] {
  const changes: RuleChange[] = [];
  for (const field of DEFINITION_FIELDS) {
    const a = before[field] ?? null;
    const b = after[field] ?? null;
    if (canonicalJson(a) !== canonicalJson(b)) changes.push({ field, before: a, after: b });
  }
  return changes;
}

/** JSON text with object keys sorted, so equal values give equal text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
