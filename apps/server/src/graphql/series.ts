import { z } from 'zod';
import { labels as labelsSchema, metricName } from '@esmon/schema';
import { readSamples } from '../store/samples.ts';
import { builder } from './builder.ts';
import { idArg, userError, validate } from './errors.ts';

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

const SamplePoint = builder.objectRef<{ ts: Date; value: number }>('SamplePoint').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    ts: t.expose('ts', { type: 'DateTime' }),
    value: t.exposeFloat('value'),
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

builder.queryField('samples', (t) =>
  t.field({
    type: [SamplePoint],
    authScopes: { viewer: true },
    description: 'Raw samples of one series in [from, to], oldest first, at most `limit`',
    args: {
      seriesId: t.arg.id({ required: true }),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      limit: t.arg.int({ defaultValue: 10_000 }),
    },
    resolve: (_root, args, ctx) => {
      const seriesId = idArg(args.seriesId, 'seriesId');
      if (args.from > args.to) throw userError('BAD_USER_INPUT', 'from must not be after to');
      const limit = validate(z.number().int().min(1).max(100_000), args.limit ?? 10_000, 'limit');
      return readSamples(ctx.sql, seriesId, args.from, args.to, limit);
    },
  }),
);
