// What the rule editor needs besides the rules themselves: the metric names the store knows (for
// completion in the text and graph editors) and each rule's count of open alerts (the rules list).
import { z } from 'zod';
import { builder } from './builder.ts';
import { validate } from './errors.ts';

builder.queryField('metricNames', (t) =>
  t.field({
    type: ['String'],
    authScopes: { viewer: true },
    description: 'Distinct metric names of the stored series, by name; search keeps those containing it (any case)',
    args: {
      search: t.arg.string(),
      first: t.arg.int({ defaultValue: 500, description: '1 to 5000' }),
    },
    resolve: async (_root, args, ctx) => {
      const first = validate(z.number().int().min(1).max(5000), args.first ?? 500, 'first');
      const search = args.search == null ? null : validate(z.string().max(200), args.search, 'search');
      const rows = await ctx.sql.query<{ metric: string }>(
        `SELECT DISTINCT metric FROM series WHERE ($1::text IS NULL OR strpos(lower(metric), lower($1)) > 0) ORDER BY metric LIMIT $2`,
        [search, first],
      );
      return rows.map((r) => r.metric);
    },
  }),
);

builder.prismaObjectField('Rule', 'openAlertCount', (t) =>
  t.int({
    authScopes: { viewer: true },
    description: 'How many of its alerts are open (pending, firing, no data or stale)',
    select: { id: true },
    resolve: (rule, _args, ctx) => ctx.prisma.alert.count({ where: { ruleId: rule.id, openKey: { not: null } } }),
  }),
);
