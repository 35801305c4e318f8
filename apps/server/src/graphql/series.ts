import { z } from 'zod';
import { labels as labelsSchema, metricName } from '@esmon/schema';
import { builder } from './builder.ts';
import { idArg, validate } from './errors.ts';

export const SamplePoint = builder.objectRef<{ ts: Date; value: number }>('SamplePoint').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    ts: t.expose('ts', { type: 'DateTime' }),
    value: t.exposeFloat('value'),
  }),
});

builder.prismaObject('Series', {
  authScopes: { viewer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    metric: t.exposeString('metric'),
    labels: t.expose('labels', { type: 'JSON' }),
    host: t.relation('host'),
    firstSeenAt: t.expose('firstSeenAt', { type: 'DateTime' }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime' }),
  }),
});

builder.queryField('series', (t) =>
  t.prismaField({
    type: ['Series'],
    authScopes: { viewer: true },
    description: 'Series by metric, host and a subset of labels (all given labels must match)',
    args: {
      metric: t.arg.string(),
      labels: t.arg({ type: 'JSON' }),
      hostId: t.arg.id(),
      first: t.arg.int({ defaultValue: 100 }),
    },
    resolve: async (query, _root, args, ctx) => {
      const metric = args.metric == null ? undefined : validate(metricName, args.metric, 'metric');
      const labels = args.labels == null ? undefined : validate(labelsSchema, args.labels, 'labels');
      const hostId = args.hostId == null ? undefined : idArg(args.hostId, 'hostId');
      const first = validate(z.number().int().min(1).max(1000), args.first ?? 100, 'first');
      const rows = await ctx.sql.query<{ id: number }>(
        `SELECT id FROM series WHERE ($1::text IS NULL OR metric = $1) AND ($2::int IS NULL OR host_id = $2)
         AND ($3::jsonb IS NULL OR labels @> $3::jsonb) ORDER BY metric, host_id, labels_key LIMIT $4`,
        [metric ?? null, hostId ?? null, labels ? JSON.stringify(labels) : null, first],
      );
      const ids = rows.map((r) => r.id);
      const found = await ctx.prisma.series.findMany({ ...query, where: { id: { in: ids } } });
      const order = new Map(ids.map((id, i) => [id, i]));
      return found.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    },
  }),
);
