// Subscriptions (graphql-ws on /graphql, and SSE): live samples for a host and host status.
import { metricName } from '@esmon/schema';
import type { HostStatusEvent, LiveSample, SamplesAddedEvent } from '../events/bus.ts';
import { builder } from './builder.ts';
import { idArg, validate } from './errors.ts';
import { HostStatusEnum } from './host.ts';

const LiveSampleType = builder.objectRef<LiveSample>('LiveSample').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    seriesId: t.exposeID('seriesId'),
    metric: t.exposeString('metric'),
    labels: t.expose('labels', { type: 'JSON' }),
    ts: t.expose('ts', { type: 'DateTime' }),
    value: t.exposeFloat('value'),
  }),
});

const SamplesAdded = builder.objectRef<SamplesAddedEvent>('SamplesAdded').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    hostId: t.exposeID('hostId'),
    hostname: t.exposeString('hostname'),
    samples: t.field({ type: [LiveSampleType], resolve: (e) => e.samples }),
  }),
});

const HostStatusChanged = builder.objectRef<HostStatusEvent>('HostStatusChanged').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    hostId: t.exposeID('hostId'),
    hostname: t.exposeString('hostname'),
    status: t.expose('status', { type: HostStatusEnum }),
    previous: t.expose('previous', { type: HostStatusEnum }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});

builder.subscriptionField('samplesAdded', (t) =>
  t.field({
    type: SamplesAdded,
    authScopes: { viewer: true },
    description: 'Samples of one host as they are stored, optionally of one metric only',
    args: { hostId: t.arg.id({ required: true }), metric: t.arg.string() },
    subscribe: async function* (_root, args, ctx) {
      const hostId = idArg(args.hostId, 'hostId');
      const metric = args.metric == null ? undefined : validate(metricName, args.metric, 'metric');
      for await (const event of ctx.bus.subscribe('samplesAdded', hostId)) {
        const samples = metric ? event.samples.filter((s) => s.metric === metric) : event.samples;
        if (samples.length > 0) yield { ...event, samples };
      }
    },
    resolve: (event) => event,
  }),
);

builder.subscriptionField('hostStatusChanged', (t) =>
  t.field({
    type: HostStatusChanged,
    authScopes: { viewer: true },
    subscribe: (_root, _args, ctx) => ctx.bus.subscribe('hostStatusChanged'),
    resolve: (event) => event,
  }),
);
