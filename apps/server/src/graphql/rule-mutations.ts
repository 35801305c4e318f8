// The mutations that change rules. A save writes the rule row and its version row in one
// transaction (rules/rule-rows.ts), then publishes ruleChanged: after the commit, so the evaluator
// never reloads a rule that is still being rolled back. A save that changes nothing writes nothing.
import { z } from 'zod';
import { definitionInput, type RuleDefinition } from '../rules/definition.ts';
import {
  definitionOfRule,
  insertRuleRows,
  SAVE_TRANSACTION,
  updateRuleRows,
  type SaveMeta,
} from '../rules/rule-rows.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { idArg, userError, validate } from './errors.ts';
import { definitionChanges } from './rule-changes.ts';
import { RuleDiagnostic, type PositionedDiagnostic } from './rule-diagnostic.ts';
import { checkDependencies, checkRuleInput, definitionInputOf, RuleInput } from './rule-input.ts';

interface RulePayloadShape {
  ruleId: number;
  warnings: PositionedDiagnostic[];
}

const RulePayload = builder.objectRef<RulePayloadShape>('RulePayload').implement({
  authScopes: { viewer: true },
  description: 'A saved rule, with the warnings its definition raised (e.g. metrics no agent has sent yet)',
  fields: (t) => ({
    rule: t.prismaField({
      type: 'Rule',
      resolve: (query, p, _args, ctx) =>
        ctx.prisma.rule.findUniqueOrThrow({ ...query, where: { id: p.ruleId } }),
    }),
    warnings: t.field({ type: [RuleDiagnostic], resolve: (p) => p.warnings }),
  }),
});

const commentSchema = z.string().trim().max(2000).nullish();

function metaOf(ctx: GraphQLContext, comment: string | null | undefined): SaveMeta {
  return {
    authorId: ctx.principal.kind === 'user' ? ctx.principal.userId : null,
    comment: validate(commentSchema, comment, 'comment') || null,
  };
}

/** Runs a save; the unique index on rules.name (the only one on rules) turns a taken name into CONFLICT. */
async function uniqueName<T>(name: () => string, save: () => Promise<T>): Promise<T> {
  try {
    return await save();
  } catch (err) {
    const known = err as { code?: unknown; meta?: { modelName?: unknown } };
    if (known.code === 'P2002' && known.meta?.modelName === 'Rule')
      throw userError('CONFLICT', `a rule named "${name()}" already exists`);
    throw err;
  }
}

function versionConflict(id: number, current: number | undefined, expected: number) {
  return userError(
    'CONFLICT',
    `rule ${id} is at version ${current ?? '?'}, not ${expected}: reload it and apply your change again`,
    undefined,
    {
      currentVersion: current,
    },
  );
}

interface ReviseOptions {
  ctx: GraphQLContext;
  id: number;
  /** the version the caller edited; null: whatever is current */
  expectedVersion?: number | null | undefined;
  meta: SaveMeta;
  /** the definition to save, from the current one */
  next: (current: RuleDefinition) => RuleDefinition;
  /** where problems are reported: input, or definition for a rollback */
  path?: string;
}

const ATTEMPTS = 3;

/**
 * Saves the next version of a rule. With expectedVersion, any other save in between is a
 * CONFLICT. Without, a save that lands between our read and our guarded write makes us read
 * again and retry (last writer wins, but never on a definition it did not see).
 */
async function reviseRule(o: ReviseOptions): Promise<number> {
  let name = '';
  for (let attempt = 1; ; attempt++) {
    const outcome = await uniqueName(
      () => name,
      () =>
        o.ctx.prisma.$transaction(async (tx) => {
          const row = await tx.rule.findUnique({ where: { id: o.id } });
          if (!row) throw userError('NOT_FOUND', `no rule ${o.id}`);
          if (o.expectedVersion != null && row.version !== o.expectedVersion)
            throw versionConflict(o.id, row.version, o.expectedVersion);
          const current = definitionOfRule(row);
          const next = o.next(current);
          name = next.name;
          if (definitionChanges(current, next).length === 0) return 'unchanged' as const;
          await checkDependencies(tx, o.id, next.dependsOn, o.path ?? 'input');
          return (await updateRuleRows(tx, o.id, row.version, next, o.meta))
            ? ('saved' as const)
            : ('moved' as const);
        }, SAVE_TRANSACTION),
    );
    if (outcome === 'saved') o.ctx.bus.publish('ruleChanged', { ruleId: o.id, deleted: false });
    if (outcome !== 'moved') return o.id;
    if (o.expectedVersion != null) {
      const now = await o.ctx.prisma.rule.findUnique({ where: { id: o.id }, select: { version: true } });
      throw versionConflict(o.id, now?.version, o.expectedVersion);
    }
    if (attempt === ATTEMPTS)
      throw userError('CONFLICT', `rule ${o.id} kept changing while it was being saved: try again`);
  }
}

builder.mutationField('createRule', (t) =>
  t.field({
    type: RulePayload,
    authScopes: { analyst: true },
    args: { input: t.arg({ type: RuleInput, required: true }), comment: t.arg.string() },
    resolve: async (_root, args, ctx) => {
      const meta = metaOf(ctx, args.comment);
      const { definition, warnings } = await checkRuleInput(ctx.sql, definitionInputOf(args.input), 'input');
      const row = await uniqueName(
        () => definition.name,
        () =>
          ctx.prisma.$transaction(async (tx) => {
            await checkDependencies(tx, undefined, definition.dependsOn, 'input');
            return insertRuleRows(tx, definition, meta);
          }, SAVE_TRANSACTION),
      );
      ctx.bus.publish('ruleChanged', { ruleId: row.id, deleted: false });
      return { ruleId: row.id, warnings };
    },
  }),
);

builder.mutationField('updateRule', (t) =>
  t.field({
    type: RulePayload,
    authScopes: { analyst: true },
    description:
      'Replaces the whole definition; expectedVersion (the version edited) refuses to overwrite a newer save',
    args: {
      id: t.arg.id({ required: true }),
      input: t.arg({ type: RuleInput, required: true }),
      expectedVersion: t.arg.int(),
      comment: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const id = idArg(args.id);
      const meta = metaOf(ctx, args.comment);
      const { definition, warnings } = await checkRuleInput(ctx.sql, definitionInputOf(args.input), 'input');
      const enabled = args.input.enabled;
      await reviseRule({
        ctx,
        id,
        expectedVersion: args.expectedVersion,
        meta,
        next: (current) => ({ ...definition, enabled: enabled ?? current.enabled }),
      });
      return { ruleId: id, warnings };
    },
  }),
);

builder.mutationField('setRuleEnabled', (t) =>
  t.field({
    type: RulePayload,
    authScopes: { analyst: true },
    args: {
      id: t.arg.id({ required: true }),
      enabled: t.arg.boolean({ required: true }),
      comment: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const id = idArg(args.id);
      const meta = metaOf(ctx, args.comment);
      await reviseRule({ ctx, id, meta, next: (current) => ({ ...current, enabled: args.enabled }) });
      return { ruleId: id, warnings: [] };
    },
  }),
);

builder.mutationField('rollbackRule', (t) =>
  t.field({
    type: RulePayload,
    authScopes: { analyst: true },
    description: 'Saves an earlier version’s definition as the newest version',
    args: {
      id: t.arg.id({ required: true }),
      version: t.arg.int({ required: true }),
      comment: t.arg.string(),
    },
    resolve: async (_root, args, ctx) => {
      const id = idArg(args.id);
      const meta = metaOf(ctx, args.comment);
      const old = await ctx.prisma.ruleVersion.findUnique({
        where: { ruleId_version: { ruleId: id, version: args.version } },
      });
      if (!old) throw userError('NOT_FOUND', `rule ${id} has no version ${args.version}`);
      // checked again: the rules it depends on may be gone, its name taken, its metrics renamed
      const { definition, warnings } = await checkRuleInput(
        ctx.sql,
        definitionInput(old.definition as unknown as RuleDefinition),
        'definition',
      );
      const comment = meta.comment ?? `rolled back to version ${args.version}`;
      await reviseRule({ ctx, id, meta: { ...meta, comment }, next: () => definition, path: 'definition' });
      return { ruleId: id, warnings };
    },
  }),
);

builder.mutationField('deleteRule', (t) =>
  t.id({
    authScopes: { analyst: true },
    description:
      'Deletes a rule with its versions and alerts; refused while other rules depend on it. Returns its id.',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = idArg(args.id);
      await ctx.prisma.$transaction(async (tx) => {
        const rule = await tx.rule.findUnique({ where: { id }, select: { name: true } });
        if (!rule) throw userError('NOT_FOUND', `no rule ${id}`);
        const dependents = await tx.rule.findMany({
          where: { dependsOn: { has: id } },
          select: { id: true, name: true },
          orderBy: { name: 'asc' },
        });
        if (dependents.length > 0) {
          const names = dependents.map((d) => `"${d.name}"`).join(', ');
          throw userError(
            'CONFLICT',
            `rule "${rule.name}" cannot be deleted: ${names} depend on it; remove it from their dependsOn first`,
            undefined,
            {
              dependents: dependents.map((d) => d.id),
            },
          );
        }
        await tx.rule.delete({ where: { id } });
      }, SAVE_TRANSACTION);
      ctx.bus.publish('ruleChanged', { ruleId: id, deleted: true });
      return id;
    },
  }),
);
