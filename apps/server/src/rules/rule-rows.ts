// A checked definition as rows. `rules` holds the latest definition in columns (so SQL can filter
// on name, enabled and depends_on, and the evaluator reads one row); `rule_versions` records every
// save in full for history, diff and rollback. Invariant: the columns of a rule equal the
// definition of its version row with the same `version`, because both are written in one
// transaction by the functions below and by nothing else.
import type { PrismaTypes } from '@esmon/db';
import type { Comparator, NoDataPolicy } from '../alerts/types.ts';
import type { RuleDefinition, ThresholdForm } from './definition.ts';
import type { RuleScope } from '@esmon/schema';

type Tx = PrismaTypes.TransactionClient;
export type RuleRow = PrismaTypes.RuleModel;

/** Who saved a version and why; authorId null for rules the server made itself. */
export interface SaveMeta {
  authorId: number | null;
  comment: string | null;
}

/** The `rules` columns of a definition, but threshold_form when there is none (see updateRuleRows). */
export function ruleColumns(d: RuleDefinition) {
  return {
    name: d.name,
    description: d.description,
    expression: d.expression,
    comparator: d.comparator,
    severities: d.levels,
    forSeconds: d.forSeconds,
    keepFiringSeconds: d.keepFiringSeconds,
    noDataPolicy: d.noDataPolicy,
    evalIntervalSeconds: d.evalIntervalSeconds,
    scope: d.scope,
    dependsOn: d.dependsOn,
    labels: d.labels,
    annotations: d.annotations,
    enabled: d.enabled,
    ...(d.threshold ? { thresholdForm: d.threshold } : {}),
  };
}

/** The definition a row holds (the inverse of ruleColumns). */
export function definitionOfRule(row: RuleRow): RuleDefinition {
  return {
    name: row.name,
    description: row.description,
    expression: row.expression,
    threshold: (row.thresholdForm as ThresholdForm | null) ?? null,
    comparator: row.comparator as Comparator,
    levels: row.severities as RuleDefinition['levels'],
    forSeconds: row.forSeconds,
    keepFiringSeconds: row.keepFiringSeconds,
    noDataPolicy: row.noDataPolicy as NoDataPolicy,
    evalIntervalSeconds: row.evalIntervalSeconds,
    scope: row.scope as RuleScope,
    dependsOn: row.dependsOn,
    labels: row.labels as Record<string, string>,
    annotations: row.annotations as Record<string, string>,
    enabled: row.enabled,
  };
}

function versionRow(ruleId: number, version: number, d: RuleDefinition, meta: SaveMeta) {
  return { ruleId, version, definition: { ...d }, authorId: meta.authorId, comment: meta.comment };
}

/** Inserts a new rule at version 1 with its version row. Call inside a transaction. */
export async function insertRuleRows(tx: Tx, d: RuleDefinition, meta: SaveMeta): Promise<RuleRow> {
  const row = await tx.rule.create({ data: { ...ruleColumns(d), version: 1 } });
  await tx.ruleVersion.create({ data: versionRow(row.id, 1, d, meta) });
  return row;
}

/**
 * Saves `d` as the version after `fromVersion`, only if the rule is still at `fromVersion`: the
 * guarded UPDATE is what makes two concurrent saves of the same version end with one winner (on
 * PostgreSQL the loser waits for the winner's row lock, then finds the version moved). Returns
 * undefined when it moved. Call inside a transaction.
 */
export async function updateRuleRows(
  tx: Tx,
  id: number,
  fromVersion: number,
  d: RuleDefinition,
  meta: SaveMeta,
): Promise<RuleRow | undefined> {
  const { count } = await tx.rule.updateMany({
    where: { id, version: fromVersion },
    data: { ...ruleColumns(d), version: { increment: 1 } },
  });
  if (count === 0) return undefined;
  // Prisma needs its runtime Prisma.DbNull to write SQL NULL into a Json column, and @esmon/db
  // exports only the types
  if (!d.threshold) await tx.$executeRaw`UPDATE rules SET threshold_form = NULL WHERE id = ${id}`;
  await tx.ruleVersion.create({ data: versionRow(id, fromVersion + 1, d, meta) });
  return tx.rule.findUniqueOrThrow({ where: { id } });
}

/** Transaction limits for a save: PGlite runs one transaction at a time, so others may wait. */
export const SAVE_TRANSACTION = { maxWait: 10_000, timeout: 20_000 };
