// A rule's history: every saved version in full, and the difference between two of them.
import type { RuleDefinition } from '../rules/definition.ts';
import { builder } from './builder.ts';
import { idArg, userError } from './errors.ts';
import { definitionChanges, type RuleChange } from './rule-changes.ts';

builder.prismaObject('RuleVersion', {
  authScopes: { viewer: true },
  description: 'One save of a rule: its whole definition, who saved it and why',
  fields: (t) => ({
    id: t.exposeID('id'),
    version: t.exposeInt('version'),
    definition: t.expose('definition', {
      type: 'JSON',
      description: 'the rule as saved (RuleInput fields, canonical)',
    }),
    author: t.string({
      nullable: true,
      description: 'email of the user who saved it; null for default rules and deleted users',
      select: { author: { select: { email: true } } },
      resolve: (v) => v.author?.email ?? null,
    }),
    comment: t.exposeString('comment', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const RuleChangeRef = builder.objectRef<RuleChange>('RuleChange').implement({
  authScopes: { viewer: true },
  description: 'A definition field that differs between two versions',
  fields: (t) => ({
    field: t.exposeString('field'),
    before: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.before }),
    after: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.after }),
  }),
});

builder.queryField('ruleVersions', (t) =>
  t.prismaField({
    type: ['RuleVersion'],
    authScopes: { viewer: true },
    description: 'Every saved version of a rule, newest first',
    args: { ruleId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const ruleId = idArg(args.ruleId, 'ruleId');
      const versions = await ctx.prisma.ruleVersion.findMany({
        ...query,
        where: { ruleId },
        orderBy: { version: 'desc' },
      });
      if (
        versions.length === 0 &&
        !(await ctx.prisma.rule.findUnique({ where: { id: ruleId }, select: { id: true } }))
      ) {
        throw userError('NOT_FOUND', `no rule ${ruleId}`);
      }
      return versions;
    },
  }),
);

builder.queryField('ruleDiff', (t) =>
  t.field({
    type: [RuleChangeRef],
    authScopes: { viewer: true },
    description: 'The definition fields that differ from version `from` to version `to`',
    args: {
      ruleId: t.arg.id({ required: true }),
      from: t.arg.int({ required: true }),
      to: t.arg.int({ required: true }),
    },
    resolve: async (_root, args, ctx) => {
      const ruleId = idArg(args.ruleId, 'ruleId');
      const rows = await ctx.prisma.ruleVersion.findMany({
        where: { ruleId, version: { in: [args.from, args.to] } },
        select: { version: true, definition: true },
      });
      const at = (version: number) => {
        const row = rows.find((r) => r.version === version);
        if (!row) throw userError('NOT_FOUND', `rule ${ruleId} has no version ${version}`);
        return row.definition as Partial<RuleDefinition>;
      };
      return definitionChanges(at(args.from), at(args.to));
    },
  }),
);
