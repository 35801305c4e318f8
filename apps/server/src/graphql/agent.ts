import { builder } from './builder.ts';

builder.prismaObject('Agent', {
  authScopes: { viewer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    host: t.relation('host'),
    version: t.exposeString('version', { nullable: true }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    lastHeartbeatAt: t.expose('lastHeartbeatAt', { type: 'DateTime', nullable: true }),
    bufferDepth: t.exposeInt('bufferDepth', { description: 'Samples waiting in the agent buffer at its last report' }),
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
