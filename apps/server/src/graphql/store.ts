// The time-series store over GraphQL: range queries with downsampling, storage figures, and the
// retention policies admins may change.
import { z } from 'zod';
import { parseSelector, SelectorError } from '@esmon/schema';
import { AGGREGATIONS } from '../store/downsample.ts';
import { queryRange, RangeQueryError, type SeriesRange } from '../store/range-query.ts';
import { readPolicies, RESOLUTIONS, storageReport, type Resolution, type TableStorage } from '../store/retention.ts';
import { builder } from './builder.ts';
import { idArg, userError, validate } from './errors.ts';
import { SamplePoint } from './series.ts';

const Aggregation = builder.enumType('Aggregation', {
  description: 'How samples in one bucket become points: m4 keeps first, min, max and last; lttb picks visually significant points',
  values: AGGREGATIONS,
});

const SeriesSamples = builder.objectRef<SeriesRange>('SeriesSamples').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    seriesId: t.id({ resolve: (r) => r.series.id }),
    metric: t.string({ resolve: (r) => r.series.metric }),
    hostname: t.string({ resolve: (r) => r.series.hostname }),
    labels: t.field({ type: 'JSON', resolve: (r) => r.series.labels }),
    source: t.string({ description: 'raw, 1m or 1h: the data the points were computed from', resolve: (r) => r.source }),
    bucketSeconds: t.float({ resolve: (r) => r.bucketMs / 1000 }),
    points: t.field({
      type: [SamplePoint],
      resolve: (r) => r.ts.map((ts, i) => ({ ts: new Date(ts), value: r.values[i]! })),
    }),
  }),
});

builder.queryField('samples', (t) =>
  t.field({
    type: [SeriesSamples],
    authScopes: { viewer: true },
    description:
      'The series a selector (e.g. os.cpu.usage{host="web-01"}) or a series id picks over [from, to), each reduced ' +
      'to at most maxPoints points; raw data, 1-minute or 1-hour rollups are chosen from the bucket width',
    args: {
      selector: t.arg.string(),
      seriesId: t.arg.id(),
      from: t.arg({ type: 'DateTime', required: true }),
      to: t.arg({ type: 'DateTime', required: true }),
      maxPoints: t.arg.int({ defaultValue: 1000 }),
      aggregation: t.arg({ type: Aggregation, defaultValue: 'avg' }),
    },
    resolve: async (_root, args, ctx) => {
      if ((args.selector == null) === (args.seriesId == null)) throw userError('BAD_USER_INPUT', 'give either selector or seriesId');
      const maxPoints = validate(z.number().int().min(2).max(20_000), args.maxPoints ?? 1000, 'maxPoints');
      if (args.aggregation === 'm4' && maxPoints < 4) {
        throw userError('BAD_USER_INPUT', 'maxPoints: m4 gives up to 4 points per bucket, so it needs maxPoints of at least 4');
      }
      let selector;
      if (args.seriesId != null) {
        const id = idArg(args.seriesId, 'seriesId');
        const found = await ctx.prisma.series.findUnique({ where: { id }, include: { host: true } });
        if (!found) return [];
        const labels = found.labels as Record<string, string>;
        selector = {
          metric: found.metric,
          matchers: [
            { label: 'host', op: '=' as const, value: found.host.hostname },
            ...Object.entries(labels).map(([label, value]) => ({ label, op: '=' as const, value })),
          ],
        };
      } else {
        try {
          selector = parseSelector(args.selector!);
        } catch (err) {
          if (err instanceof SelectorError) throw userError('BAD_USER_INPUT', `selector: ${err.message}`);
          throw err;
        }
      }
      try {
        const result = await queryRange(ctx.sql, {
          selector,
          from: args.from.getTime(),
          to: args.to.getTime(),
          maxPoints,
          aggregation: args.aggregation ?? 'avg',
        });
        return args.seriesId != null ? result.filter((r) => String(r.series.id) === String(args.seriesId)) : result;
      } catch (err) {
        if (err instanceof RangeQueryError) throw userError('BAD_USER_INPUT', err.message);
        // PostgreSQL refused a regular expression of the selector
        const code = (err as { code?: string }).code;
        if (code === '2201B' || code === '42601') throw userError('BAD_USER_INPUT', `selector: ${(err as Error).message}`);
        throw err;
      }
    },
  }),
);

const TableStorageRef = builder.objectRef<TableStorage>('TableStorage').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    table: t.exposeString('table'),
    partitions: t.exposeInt('partitions'),
    bytes: t.exposeFloat('bytes', { description: 'on disk: heap, indexes and TOAST of every partition' }),
    rows: t.exposeFloat('rows'),
    samples: t.exposeFloat('samples', { nullable: true }),
    bytesPerSample: t.exposeFloat('bytesPerSample', { nullable: true }),
  }),
});

builder.queryField('storage', (t) =>
  t.field({
    type: [TableStorageRef],
    authScopes: { admin: true },
    description: 'Sizes of the store tables, their rows and bytes per sample',
    resolve: (_root, _args, ctx) => storageReport(ctx.sql),
  }),
);

// GraphQL names cannot start with a digit: raw, minute and hour stand for raw, 1m and 1h
const ResolutionEnum = builder.enumType('Resolution', {
  values: {
    raw: { value: 'raw' as const, description: 'samples as ingested (raw and compacted)' },
    minute: { value: '1m' as const, description: '1-minute rollups' },
    hour: { value: '1h' as const, description: '1-hour rollups' },
  },
});

interface PolicyView {
  resolution: Resolution;
  keepSeconds: number;
  source: 'default' | 'admin';
}

const RetentionPolicyRef = builder.objectRef<PolicyView>('RetentionPolicy').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    resolution: t.field({ type: ResolutionEnum, resolve: (p) => p.resolution }),
    keepSeconds: t.exposeFloat('keepSeconds'),
    keepDays: t.float({ resolve: (p) => p.keepSeconds / 86400 }),
    source: t.exposeString('source', { description: 'default (from the environment) or admin (set here)' }),
  }),
});

const policyViews = async (sql: Parameters<typeof readPolicies>[0], defaults: Record<Resolution, number>) => {
  const p = await readPolicies(sql, defaults);
  return RESOLUTIONS.map((resolution) => ({ resolution, ...p[resolution] }));
};

builder.queryField('retentionPolicies', (t) =>
  t.field({
    type: [RetentionPolicyRef],
    authScopes: { admin: true },
    resolve: (_root, _args, ctx) => policyViews(ctx.sql, ctx.store.retentionDefaults),
  }),
);

builder.mutationField('setRetentionPolicy', (t) =>
  t.field({
    type: [RetentionPolicyRef],
    authScopes: { admin: true },
    description: 'Keeps a resolution for keepDays (null: back to the environment default); enforced at the next maintenance run',
    args: {
      resolution: t.arg({ type: ResolutionEnum, required: true }),
      keepDays: t.arg.float(),
    },
    resolve: async (_root, args, ctx) => {
      const principal = ctx.principal;
      if (args.keepDays == null) {
        await ctx.prisma.retentionPolicy.deleteMany({ where: { resolution: args.resolution } });
      } else {
        const days = validate(z.number().min(1 / 24, 'keepDays must be at least one hour').max(36_500), args.keepDays, 'keepDays');
        const keepSeconds = Math.round(days * 86400);
        const updatedById = principal.kind === 'user' ? principal.userId : null;
        await ctx.prisma.retentionPolicy.upsert({
          where: { resolution: args.resolution },
          create: { resolution: args.resolution, keepSeconds, updatedById },
          update: { keepSeconds, updatedById },
        });
      }
      return policyViews(ctx.sql, ctx.store.retentionDefaults);
    },
  }),
);
