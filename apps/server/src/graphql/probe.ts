// Probes over GraphQL: CRUD with a version per save (analysts), every step's parameters checked
// against its plugin's manifest; the plugin catalogue for the editor; and the agent-facing
// `agentConfig` query and `agentConfigChanged` subscription (agent keys, their own host only),
// every probe in them signed for that host; `agentTrust`: the public key agents pin.
import { manifestJson } from '@esmon/schema';
import { PLUGINS, pluginById } from '@esmon/plugin-registry';
import { agentConfigFor, hostConfig, signConfig, type SignedAgentConfig, type SignedAgentProbe } from '../probes/agent-config.ts';
import { checkProbe } from '../probes/probe-check.ts';
import { definitionOfProbe, insertProbeRows, updateProbeRows } from '../probes/probe-rows.ts';
import { builder } from './builder.ts';
import { idArg, inputError, userError } from './errors.ts';
import type { GraphQLContext } from './context.ts';

builder.prismaObject('Probe', {
  authScopes: { viewer: true },
  description: 'A pipeline of plugin steps run by agents, with extraction of values into metrics',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    version: t.exposeInt('version'),
    enabled: t.exposeBoolean('enabled'),
    intervalSeconds: t.exposeInt('intervalSeconds'),
    timeoutSeconds: t.exposeInt('timeoutSeconds'),
    definition: t.field({ type: 'JSON', description: 'the whole definition, as probeDefinitionSchema reads it', resolve: (p) => definitionOfProbe(p) }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    versions: t.relation('versions', { query: { orderBy: { version: 'desc' } } }),
  }),
});

builder.prismaObject('ProbeVersion', {
  authScopes: { viewer: true },
  fields: (t) => ({
    version: t.exposeInt('version'),
    definition: t.expose('definition', { type: 'JSON' }),
    author: t.string({ nullable: true, select: { author: { select: { email: true } } }, resolve: (v) => v.author?.email ?? null }),
    comment: t.exposeString('comment', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const AgentProbeRef = builder.objectRef<SignedAgentProbe>('AgentProbe').implement({
  authScopes: { agent: true, viewer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    version: t.exposeInt('version'),
    definition: t.field({ type: 'JSON', resolve: (p) => p.definition }),
    signature: t.exposeString('signature', {
      description: "Ed25519 (base64) over probeSigningPayload({host, id, version, definition}) with the server's key; the agent runs nothing that fails it",
    }),
  }),
});

const AgentConfigRef = builder.objectRef<SignedAgentConfig>('AgentConfig').implement({
  authScopes: { agent: true, viewer: true },
  description: "What one agent runs: the probes covering its host; `version` changes exactly when they do",
  fields: (t) => ({
    version: t.exposeString('version'),
    probes: t.field({ type: [AgentProbeRef], resolve: (c) => c.probes }),
    publicKey: t.exposeString('publicKey', { description: 'the Ed25519 public key (raw, base64) that signed the probes' }),
  }),
});

interface AgentTrust {
  algorithm: string;
  publicKey: string;
  keyId: string;
}

const AgentTrustRef = builder.objectRef<AgentTrust>('AgentTrust').implement({
  authScopes: { viewer: true },
  description: 'The key that signs probe definitions for agents: agents pin it (agent.yaml serverKey, or on first use)',
  fields: (t) => ({
    algorithm: t.exposeString('algorithm', { description: 'Ed25519' }),
    publicKey: t.exposeString('publicKey', { description: 'the raw 32-byte public key, base64: the value of agent.yaml `serverKey`' }),
    keyId: t.exposeString('keyId', { description: 'SHA-256 fingerprint (16 hex digits) that agents print in their logs' }),
  }),
});

builder.queryField('agentTrust', (t) =>
  t.field({
    type: AgentTrustRef,
    authScopes: { viewer: true },
    description: "The public key agents verify probe definitions with, to pin it on agents enrolled without it",
    resolve: (_root, _args, ctx) => ({ algorithm: ctx.signer.algorithm, publicKey: ctx.signer.publicKey, keyId: ctx.signer.keyId }),
  }),
);

builder.queryField('probes', (t) =>
  t.prismaField({
    type: ['Probe'],
    authScopes: { viewer: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.probe.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
);

builder.queryField('probe', (t) =>
  t.prismaField({
    type: 'Probe',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const probe = await ctx.prisma.probe.findUnique({ ...query, where: { id: idArg(args.id) } });
      if (!probe) throw userError('NOT_FOUND', `no probe ${args.id}`);
      return probe;
    },
  }),
);

builder.queryField('plugins', (t) =>
  t.field({
    type: ['JSON'],
    authScopes: { viewer: true },
    description: 'Every step plugin: manifest with parameters as JSON Schema (UI metadata under `ui`)',
    resolve: () => PLUGINS.map((p) => manifestJson(p.manifest)),
  }),
);

function checked(definition: unknown) {
  const result = checkProbe(definition, pluginById);
  if (!result.ok) throw inputError(result.problems.map((p) => ({ path: `definition.${p.path}`, message: p.message })));
  return result.definition;
}

const meta = (ctx: GraphQLContext, comment: string | null | undefined) => ({
  authorId: ctx.principal.kind === 'user' ? ctx.principal.userId : null,
  comment: comment ?? null,
});

function nameTaken(err: unknown, name: string): never {
  if ((err as { code?: string }).code === 'P2002') throw userError('CONFLICT', `a probe named "${name}" already exists`);
  throw err;
}

builder.mutationField('createProbe', (t) =>
  t.prismaField({
    type: 'Probe',
    authScopes: { analyst: true },
    args: { definition: t.arg({ type: 'JSON', required: true }), comment: t.arg.string() },
    resolve: async (_query, _root, args, ctx) => {
      const d = checked(args.definition);
      const row = await ctx.prisma.$transaction((tx) => insertProbeRows(tx, d, meta(ctx, args.comment))).catch((err) => nameTaken(err, d.name));
      ctx.bus.publish('probesChanged');
      return row;
    },
  }),
);

builder.mutationField('updateProbe', (t) =>
  t.prismaField({
    type: 'Probe',
    authScopes: { analyst: true },
    args: {
      id: t.arg.id({ required: true }),
      definition: t.arg({ type: 'JSON', required: true }),
      expectedVersion: t.arg.int({ description: 'refuse (CONFLICT) when the probe has moved past this version' }),
      comment: t.arg.string(),
    },
    resolve: async (_query, _root, args, ctx) => {
      const id = idArg(args.id);
      const d = checked(args.definition);
      const current = await ctx.prisma.probe.findUnique({ where: { id } });
      if (!current) throw userError('NOT_FOUND', `no probe ${args.id}`);
      const from = args.expectedVersion ?? current.version;
      const row = await ctx.prisma
        .$transaction((tx) => updateProbeRows(tx, id, from, d, meta(ctx, args.comment)))
        .catch((err) => nameTaken(err, d.name));
      if (!row) throw userError('CONFLICT', `probe ${id} is at a newer version than ${from}: reload it`, undefined, { currentVersion: current.version });
      ctx.bus.publish('probesChanged');
      return row;
    },
  }),
);

builder.mutationField('deleteProbe', (t) =>
  t.field({
    type: 'ID',
    authScopes: { analyst: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = idArg(args.id);
      const { count } = await ctx.prisma.probe.deleteMany({ where: { id } });
      if (count === 0) throw userError('NOT_FOUND', `no probe ${args.id}`);
      ctx.bus.publish('probesChanged');
      return String(id);
    },
  }),
);

function agentHost(ctx: GraphQLContext): number {
  if (ctx.principal.kind !== 'agent') throw userError('FORBIDDEN', 'agentConfig is for agent keys');
  return ctx.principal.hostId;
}

builder.queryField('agentConfig', (t) =>
  t.field({
    type: AgentConfigRef,
    authScopes: { agent: true },
    description: "This agent's probes (the ones covering its host) with their versions",
    resolve: (_root, _args, ctx) => agentConfigFor(ctx.prisma, agentHost(ctx), ctx.signer),
  }),
);

builder.subscriptionField('agentConfigChanged', (t) =>
  t.field({
    type: AgentConfigRef,
    authScopes: { agent: true },
    description: "This agent's configuration, each time a probe change alters it",
    subscribe: async function* (_root, _args, ctx) {
      const hostId = agentHost(ctx);
      let last = (await hostConfig(ctx.prisma, hostId)).config.version;
      for await (const _ of ctx.bus.subscribe('probesChanged')) {
        // every agent hears every probe change: only the ones whose configuration moved sign it
        const current = await hostConfig(ctx.prisma, hostId);
        if (current.config.version === last) continue;
        last = current.config.version;
        yield signConfig(current, ctx.signer);
      }
    },
    resolve: (config) => config,
  }),
);
