// Host.probes: the probes whose targets cover a host (by id, labels or hostname pattern), enabled
// or not — the same matching the agent's configuration uses, so the host page shows what runs there.
import { hostInScope, hostScopeSchema } from '@esmon/schema';
import { builder } from './builder.ts';

builder.prismaObjectField('Host', 'probes', (t) =>
  t.prismaField({
    type: ['Probe'],
    authScopes: { viewer: true },
    description: 'The probes whose targets cover this host, enabled or not, by name',
    select: { id: true, hostname: true, labels: true },
    resolve: async (query, host, _args, ctx) => {
      const targets = await ctx.prisma.probe.findMany({ select: { id: true, target: true } });
      const scoped = { id: host.id, hostname: host.hostname, labels: (host.labels ?? {}) as Record<string, string> };
      const ids = targets.filter((p) => {
        const scope = hostScopeSchema.safeParse(p.target);
        return scope.success && hostInScope(scope.data, scoped);
      }).map((p) => p.id);
      if (ids.length === 0) return [];
      return ctx.prisma.probe.findMany({ ...query, where: { id: { in: ids } }, orderBy: { name: 'asc' } });
    },
  }),
);
