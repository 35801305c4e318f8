// Notification channels over GraphQL. Everyone signed in sees the channels (never a secret: only
// the names of the secret fields that hold a value); admins create, change and delete them;
// analysts preview templates and send a test message. Secret fields are write-only: an update
// that leaves one out keeps it, null clears it.
import { z } from 'zod';
import { checkConfig, checkTemplates, ChannelConfigError, mergeConfig, splitConfig } from '../notify/channel-config.ts';
import type { ChannelType, SendOutcome } from '../notify/channel.ts';
import { openChannel, type ChannelRow } from '../notify/services.ts';
import { sampleNotification } from '../notify/template-data.ts';
import { builder } from './builder.ts';
import { idArg, userError } from './errors.ts';
import type { GraphQLContext } from './context.ts';

const ChannelTypeRef = builder.objectRef<ChannelType>('NotificationChannelType').implement({
  authScopes: { viewer: true },
  description: 'A kind of channel: its configuration as JSON Schema, its secret fields and default templates',
  fields: (t) => ({
    type: t.exposeString('type'),
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    configSchema: t.field({ type: 'JSON', resolve: (c) => z.toJSONSchema(c.config, { unrepresentable: 'any', io: 'input' }) }),
    secretFields: t.field({ type: ['String'], resolve: (c) => [...c.secretFields] }),
    templates: t.field({ type: 'JSON', description: 'the default template of each part', resolve: (c) => c.templates }),
  }),
});

builder.prismaObject('NotificationChannel', {
  authScopes: { viewer: true },
  description: 'Where notifications go; secret fields are never returned',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    type: t.exposeString('type'),
    enabled: t.exposeBoolean('enabled'),
    version: t.exposeInt('version'),
    config: t.field({ type: 'JSON', description: 'the configuration without its secret fields', resolve: (c) => c.config }),
    secretsSet: t.field({
      type: ['String'],
      description: 'the secret fields that hold a value (their values are never returned)',
      resolve: async (c, _args, ctx) => (c.secrets ? Object.keys((await ctx.notify.box()).open(c.secrets) as object).sort() : []),
    }),
    templates: t.field({ type: 'JSON', description: "the channel's own templates, by part (the type's default for the others)", resolve: (c) => c.templates }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
  }),
});

const TestOutcomeRef = builder.objectRef<SendOutcome & { durationMs: number; sent: unknown }>('ChannelTestOutcome').implement({
  authScopes: { analyst: true },
  fields: (t) => ({
    ok: t.exposeBoolean('ok'),
    retryable: t.boolean({ nullable: true, resolve: (o) => (o.ok ? null : o.retryable) }),
    error: t.string({ nullable: true, resolve: (o) => (o.ok ? null : o.error) }),
    status: t.int({ nullable: true, resolve: (o) => o.status ?? null }),
    detail: t.string({ nullable: true, resolve: (o) => (o.ok ? (o.detail ?? null) : null) }),
    durationMs: t.exposeInt('durationMs'),
    sent: t.field({ type: 'JSON', description: 'what was sent, rendered, secrets left out', resolve: (o) => o.sent }),
  }),
});

function typeOrFail(ctx: GraphQLContext, type: string): ChannelType {
  const t = ctx.notify.typeOf(type);
  if (!t) throw userError('BAD_USER_INPUT', `type: no channel type "${type}" (there are ${ctx.notify.types.map((x) => x.type).join(', ')})`);
  return t;
}

/** Runs a check, turning ChannelConfigError into BAD_USER_INPUT that names the field. */
function input<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ChannelConfigError) throw userError('BAD_USER_INPUT', err.message);
    throw err;
  }
}

const nameSchema = z.string().trim().min(1, 'name: a name').max(120, 'name: at most 120 characters');
const checkName = (name: string) => {
  const r = nameSchema.safeParse(name);
  if (!r.success) throw userError('BAD_USER_INPUT', r.error.issues[0]!.message);
  return r.data;
};

function nameTaken(err: unknown, name: string): never {
  if ((err as { code?: string }).code === 'P2002') throw userError('CONFLICT', `a channel named "${name}" already exists`);
  throw err;
}

async function sealed(ctx: GraphQLContext, secrets: Record<string, unknown> | undefined): Promise<string | null> {
  return secrets ? (await ctx.notify.box()).seal(secrets) : null;
}

async function channelRow(ctx: GraphQLContext, id: string | number): Promise<ChannelRow & { version: number }> {
  const row = await ctx.prisma.notificationChannel.findUnique({ where: { id: idArg(id) } });
  if (!row) throw userError('NOT_FOUND', `no notification channel ${id}`);
  return row;
}

builder.queryField('notificationChannelTypes', (t) =>
  t.field({ type: [ChannelTypeRef], authScopes: { viewer: true }, resolve: (_root, _args, ctx) => [...ctx.notify.types] }),
);

builder.queryField('notificationChannels', (t) =>
  t.prismaField({
    type: ['NotificationChannel'],
    authScopes: { viewer: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.notificationChannel.findMany({ ...query, orderBy: { name: 'asc' } }),
  }),
);

builder.queryField('notificationChannel', (t) =>
  t.prismaField({
    type: 'NotificationChannel',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const row = await ctx.prisma.notificationChannel.findUnique({ ...query, where: { id: idArg(args.id) } });
      if (!row) throw userError('NOT_FOUND', `no notification channel ${args.id}`);
      return row;
    },
  }),
);

builder.mutationField('createNotificationChannel', (t) =>
  t.prismaField({
    type: 'NotificationChannel',
    authScopes: { admin: true },
    args: {
      name: t.arg.string({ required: true }),
      type: t.arg.string({ required: true }),
      config: t.arg({ type: 'JSON', required: true }),
      templates: t.arg({ type: 'JSON' }),
      enabled: t.arg.boolean(),
    },
    resolve: async (_query, _root, args, ctx) => {
      const type = typeOrFail(ctx, args.type);
      const name = checkName(args.name);
      const stored = input(() => splitConfig(type, checkConfig(type, args.config)));
      const templates = input(() => checkTemplates(type, args.templates));
      return ctx.prisma.notificationChannel
        .create({ data: { name, type: type.type, config: stored.config as object, secrets: await sealed(ctx, stored.secrets), templates, enabled: args.enabled ?? true } })
        .catch((err) => nameTaken(err, name));
    },
  }),
);

builder.mutationField('updateNotificationChannel', (t) =>
  t.prismaField({
    type: 'NotificationChannel',
    authScopes: { admin: true },
    description: 'Changes what is given. In `config`, a secret field left out keeps its value and null clears it; other fields left out are removed.',
    args: {
      id: t.arg.id({ required: true }),
      name: t.arg.string(),
      config: t.arg({ type: 'JSON' }),
      templates: t.arg({ type: 'JSON' }),
      enabled: t.arg.boolean(),
      expectedVersion: t.arg.int({ description: 'refuse (CONFLICT) when the channel has moved past this version' }),
    },
    resolve: async (_query, _root, args, ctx) => {
      const row = await channelRow(ctx, args.id);
      const type = typeOrFail(ctx, row.type);
      const data: Record<string, unknown> = {};
      if (args.name != null) data.name = checkName(args.name);
      if (args.config != null) {
        const storedSecrets = row.secrets ? ((await ctx.notify.box()).open(row.secrets) as Record<string, unknown>) : undefined;
        const merged = mergeConfig(type, row.config as Record<string, unknown>, storedSecrets, args.config);
        const stored = input(() => splitConfig(type, checkConfig(type, merged)));
        data.config = stored.config;
        data.secrets = await sealed(ctx, stored.secrets);
      }
      if (args.templates !== undefined) data.templates = input(() => checkTemplates(type, args.templates));
      if (args.enabled != null) data.enabled = args.enabled;
      const from = args.expectedVersion ?? row.version;
      const { count } = await ctx.prisma.notificationChannel
        .updateMany({ where: { id: row.id, version: from }, data: { ...data, version: { increment: 1 } } })
        .catch((err) => nameTaken(err, String(data.name)));
      if (count === 0) throw userError('CONFLICT', `notification channel ${row.id} is at a newer version than ${from}: reload it`, undefined, { currentVersion: row.version });
      return ctx.prisma.notificationChannel.findUniqueOrThrow({ where: { id: row.id } });
    },
  }),
);

builder.mutationField('deleteNotificationChannel', (t) =>
  t.field({
    type: 'ID',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { count } = await ctx.prisma.notificationChannel.deleteMany({ where: { id: idArg(args.id) } });
      if (count === 0) throw userError('NOT_FOUND', `no notification channel ${args.id}`);
      return String(args.id);
    },
  }),
);

builder.mutationField('testChannel', (t) =>
  t.field({
    type: TestOutcomeRef,
    authScopes: { analyst: true },
    description: 'Sends a sample notification (two alerts, one resolved) through the channel now, and says how it went',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const channel = await openChannel(ctx.notify, await channelRow(ctx, args.id));
      const n = sampleNotification(ctx.notify.publicUrl());
      const timeoutMs = 15_000;
      const started = performance.now();
      const outcome = await channel.type.send(n, channel.config, channel.templates, { signal: AbortSignal.timeout(timeoutMs), timeoutMs, now: Date.now });
      return { ...outcome, durationMs: Math.round(performance.now() - started), sent: channel.type.render(n, channel.config, channel.templates) };
    },
  }),
);

builder.queryField('previewNotification', (t) =>
  t.field({
    type: 'JSON',
    authScopes: { analyst: true },
    description: "What a channel would send for a sample notification, rendered with `templates` (by part) over the channel's own; secrets left out",
    args: { id: t.arg.id({ required: true }), templates: t.arg({ type: 'JSON' }) },
    resolve: async (_root, args, ctx) => {
      const channel = await openChannel(ctx.notify, await channelRow(ctx, args.id));
      const templates = { ...channel.templates, ...input(() => checkTemplates(channel.type, args.templates)) };
      return channel.type.render(sampleNotification(ctx.notify.publicUrl()), channel.config, templates);
    },
  }),
);
