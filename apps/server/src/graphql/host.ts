import { labels as labelsSchema, metricName } from '@esmon/schema';
import { latestSample } from '../store/samples.ts';
import { builder } from './builder.ts';
import { containsText } from './search.ts';
import { idArg, validate } from './errors.ts';

export const HostStatusEnum = builder.enumType('HostStatus', { values: ['unknown', 'online', 'stale', 'offline'] as const });

const LatestSample = builder
  .objectRef<{ ts: Date; value: number; labels: Record<string, string> }>('LatestSample')
  .implement({
    authScopes: { viewer: true },
    fields: (t) => ({
      ts: t.expose('ts', { type: 'DateTime' }),
      value: t.exposeFloat('value'),
      labels: t.expose('labels', { type: 'JSON' }),
    }),
  });

builder.prismaObject('Host', {
  authScopes: { viewer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    hostname: t.exposeString('hostname'),
    os: t.exposeString('os', { nullable: true }),
    osVersion: t.exposeString('osVersion', { nullable: true }),
    arch: t.exposeString('arch', { nullable: true }),
    ips: t.exposeStringList('ips'),
    labels: t.expose('labels', { type: 'JSON' }),
    status: t.expose('status', { type: HostStatusEnum }),
    lastSeenAt: t.expose('lastSeenAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    agent: t.prismaField({
      type: 'Agent',
      nullable: true,
      select: { id: true },
      resolve: (query, host, _args, ctx) => ctx.prisma.agent.findUnique({ ...query, where: { hostId: host.id } }),
    }),
    latest: t.field({
      type: LatestSample,
      nullable: true,
      description: 'The newest sample of a metric on this host (the series without labels first)',
      args: { metric: t.arg.string({ required: true }), labels: t.arg({ type: 'JSON' }) },
      resolve: (host, args, ctx) => {
        const metric = validate(metricName, args.metric, 'metric');
        const labels = args.labels == null ? undefined : validate(labelsSchema, args.labels, 'labels');
        return latestSample(ctx.sql, host.id, metric, labels);
      },
    }),
    series: t.relation('series', {
      args: { metric: t.arg.string() },
      query: (args) => ({
        where: args.metric ? { metric: validate(metricName, args.metric, 'metric') } : {},
        orderBy: [{ metric: 'asc' }, { labelsKey: 'asc' }],
      }),
    }),
  }),
});

builder.queryField('hosts', (t) =>
  t.prismaConnection({
    type: 'Host',
    cursor: 'hostname',
    authScopes: { viewer: true },
    args: {
      status: t.arg({ type: HostStatusEnum }),
      search: t.arg.string({ description: 'part of the hostname' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.host.findMany({
        ...query,
        where: {
          ...(args.status ? { status: args.status } : {}),
          ...(args.search ? { hostname: containsText(args.search) } : {}),
        },
        orderBy: { hostname: 'asc' },
      }),
  }),
);

builder.queryField('host', (t) =>
  t.prismaField({
    type: 'Host',
    nullable: true,
    authScopes: { viewer: true },
    args: { id: t.arg.id(), hostname: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      if (args.id != null) return ctx.prisma.host.findUnique({ ...query, where: { id: idArg(args.id) } });
      if (args.hostname != null) return ctx.prisma.host.findUnique({ ...query, where: { hostname: args.hostname } });
      return null;
    },
  }),
);
