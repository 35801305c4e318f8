// Commands to a connected agent: runProbeNow (the per-step trace, from the real agent; the probe
// signed for that host and that command), reloadAgent and pingAgent for people; agentCommands and
// reportAgentCommand for the agent.
import { signProbe } from '../probes/agent-config.ts';
import { agentConnected, AgentCommandError, commandAgent } from '../probes/agent-commands.ts';
import { definitionOfProbe } from '../probes/probe-rows.ts';
import type { AgentCommand } from '../events/bus.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { idArg, userError } from './errors.ts';

const AgentCommandRef = builder.objectRef<AgentCommand>('AgentCommand').implement({
  authScopes: { agent: true },
  fields: (t) => ({
    id: t.exposeString('id'),
    kind: t.exposeString('kind', { description: 'runProbe, reload or ping' }),
    probe: t.field({ type: 'JSON', nullable: true, resolve: (c) => c.probe ?? null }),
  }),
});

function hostOfAgent(ctx: GraphQLContext): number {
  if (ctx.principal.kind !== 'agent') throw userError('FORBIDDEN', 'for agent keys');
  return ctx.principal.hostId;
}

builder.subscriptionField('agentCommands', (t) =>
  t.field({
    type: AgentCommandRef,
    authScopes: { agent: true },
    description: 'Commands for this agent; answer each with reportAgentCommand',
    subscribe: async function* (_root, _args, ctx) {
      const hostId = hostOfAgent(ctx);
      agentConnected(ctx.bus, hostId, 1);
      try {
        for await (const command of ctx.bus.subscribe('agentCommands', hostId)) yield command;
      } finally {
        agentConnected(ctx.bus, hostId, -1);
      }
    },
    resolve: (command) => command,
  }),
);

builder.mutationField('reportAgentCommand', (t) =>
  t.boolean({
    authScopes: { agent: true },
    args: { id: t.arg.string({ required: true }), ok: t.arg.boolean({ required: true }), result: t.arg({ type: 'JSON' }) },
    resolve: (_root, args, ctx) => {
      ctx.bus.publish('agentCommandResults', args.id, { ok: args.ok, result: args.result ?? null, hostId: hostOfAgent(ctx) });
      return true;
    },
  }),
);

type Command = Omit<AgentCommand, 'id'>;

/** `command`: the command, or made from the host's name and the command's id (a signed runProbe). */
async function send(ctx: GraphQLContext, hostId: number, command: Command | ((hostname: string, id: string) => Command), timeoutMs: number) {
  const host = await ctx.prisma.host.findUnique({ where: { id: hostId }, select: { hostname: true } });
  if (!host) throw userError('NOT_FOUND', `no host ${hostId}`);
  try {
    return await commandAgent(ctx.bus, hostId, typeof command === 'function' ? (id) => command(host.hostname, id) : command, timeoutMs);
  } catch (err) {
    if (err instanceof AgentCommandError) throw userError('CONFLICT', err.message);
    throw err;
  }
}

builder.mutationField('runProbeNow', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { analyst: true },
    description: "Runs a probe on a host's agent now; the trace of every step (input, output, duration, status)",
    args: { probeId: t.arg.id({ required: true }), hostId: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const row = await ctx.prisma.probe.findUnique({ where: { id: idArg(args.probeId, 'probeId') } });
      if (!row) throw userError('NOT_FOUND', `no probe ${args.probeId}`);
      const probe = { id: row.id, version: row.version, definition: definitionOfProbe(row) };
      const signed = (hostname: string, id: string): Command => ({ kind: 'runProbe', probe: signProbe(probe, hostname, ctx.signer, id) });
      return send(ctx, idArg(args.hostId, 'hostId'), signed, (row.timeoutSeconds + 10) * 1000);
    },
  }),
);

builder.mutationField('reloadAgent', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { analyst: true },
    description: 'Makes the agent fetch its configuration again; answers with the version it now runs',
    args: { hostId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => send(ctx, idArg(args.hostId, 'hostId'), { kind: 'reload' }, 15_000),
  }),
);

builder.mutationField('pingAgent', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { viewer: true },
    description: "The agent's version, uptime and configuration version, straight from the agent",
    args: { hostId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => send(ctx, idArg(args.hostId, 'hostId'), { kind: 'ping' }, 10_000),
  }),
);
