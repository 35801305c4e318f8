import { parseIngestBatch } from '@esmon/schema';
import { IngestForbiddenError, IngestRejectedError } from '../ingest/ingest-batch.ts';
import { IngestBusyError } from '../store/sample-writer.ts';
import { builder } from './builder.ts';
import { inputError, userError } from './errors.ts';

const SampleInput = builder.inputType('SampleInput', {
  fields: (t) => ({
    metric: t.string({ required: true }),
    labels: t.field({ type: 'JSON' }),
    ts: t.field({ type: 'DateTime', required: true }),
    value: t.float({ required: true }),
  }),
});

const HostSamplesInput = builder.inputType('HostSamplesInput', {
  fields: (t) => ({
    hostname: t.string({ required: true }),
    labels: t.field({ type: 'JSON' }),
    samples: t.field({ type: [SampleInput], required: true }),
  }),
});

const IngestBatchInput = builder.inputType('IngestBatchInput', {
  fields: (t) => ({
    batchId: t.string({ required: true, description: 'Unique per sender; a re-sent batch is stored once' }),
    hosts: t.field({ type: [HostSamplesInput], required: true }),
  }),
});

const IngestAck = builder
  .objectRef<{ batchId: string; accepted: number; duplicate: boolean }>('IngestAck')
  .implement({
    authScopes: { ingest: true },
    fields: (t) => ({
      batchId: t.exposeString('batchId'),
      accepted: t.exposeInt('accepted', { description: 'Samples stored by this call' }),
      duplicate: t.exposeBoolean('duplicate', { description: 'The batch id was already stored; nothing was written' }),
    }),
  });

builder.mutationField('ingestSamples', (t) =>
  t.field({
    type: IngestAck,
    authScopes: { ingest: true },
    description: 'Pushes samples, grouped by host; acknowledged after commit',
    args: { batch: t.arg({ type: IngestBatchInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const body = {
        batchId: args.batch.batchId,
        hosts: args.batch.hosts.map((h) => ({
          hostname: h.hostname,
          ...(h.labels != null ? { labels: h.labels } : {}),
          samples: h.samples.map((s) => ({
            metric: s.metric,
            ...(s.labels != null ? { labels: s.labels } : {}),
            ts: s.ts.getTime(),
            value: s.value,
          })),
        })),
      };
      const checked = parseIngestBatch(body);
      if (!checked.ok) throw inputError(checked.issues.map((i) => ({ ...i, path: `batch.${i.path}` })));
      try {
        return await ctx.ingest(checked.batch, ctx.principal);
      } catch (err) {
        if (err instanceof IngestForbiddenError) throw userError('FORBIDDEN', err.message);
        if (err instanceof IngestRejectedError) throw inputError(err.issues.map((i) => ({ ...i, path: `batch.${i.path}` })));
        if (err instanceof IngestBusyError) throw userError('BUSY', err.message, undefined, { retryAfterSeconds: err.retryAfterSeconds });
        throw err;
      }
    },
  }),
);
