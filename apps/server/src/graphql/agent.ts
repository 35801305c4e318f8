import { configOfHost, enabledProbes } from '../probes/agent-config.ts';
import { builder } from './builder.ts';
import type { GraphQLContext as Context } from './context.ts';

// the enabled probes, read once per request however many agents a page lists
const probesOfRequest = new WeakMap<Context, ReturnType<typeof enabledProbes>>();
const requestProbes = (ctx: Context) => {
  let rows = probesOfRequest.get(ctx);
  if (!rows) probesOfRequest.set(ctx, (rows = enabledProbes(ctx.prisma)));
  return rows;
};

builder.prismaObject('Agent', {
  authScopes: { viewer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    host: t.relation('host'),
    version: t.exposeString('version', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    lastHeartbeatAt: t.expose('lastHeartbeatAt', { type: 'DateTime', nullable: true }),
    bufferDepth: t.exposeInt('bufferDepth', { description: 'Samples waiting in the agent buffer at its last report' }),
    configVersion: t.exposeString('configVersion', {
      nullable: true,
      description: 'The probe configuration the agent last reported running (agentConfig.version); null before its first report',
    }),
    configCurrent: t.boolean({
      nullable: true,
      description: 'Whether configVersion is the configuration the server gives this host now; null while the agent has reported none',
      select: { host: { select: { id: true, hostname: true, labels: true } } },
      resolve: async (agent, _args, ctx) =>
        agent.configVersion == null ? null : configOfHost(agent.host, await requestProbes(ctx)).version === agent.configVersion,
    }),
  }),
});

builder.queryField('agents', (t) =>
  t.prismaConnection({
    type: 'Agent',
    cursor: 'id',
    authScopes: { viewer: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.agent.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
);
