import { z } from 'zod';
import { hostname } from '@esmon/schema';
import { AuthError, createApiKey } from '../auth/accounts.ts';
import { builder } from './builder.ts';
import { idArg, userError, validate } from './errors.ts';
import { RoleEnum } from './user.ts';

const ApiKeyKindEnum = builder.enumType('ApiKeyKind', { values: ['agent', 'integration'] as const });

builder.prismaObject('ApiKey', {
  authScopes: { admin: true },
  description: 'An API key; its secret is shown once, at creation, and never again',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    kind: t.expose('kind', { type: ApiKeyKindEnum }),
    prefix: t.exposeString('prefix', { description: 'The first characters of the secret, to recognise it' }),
    role: t.expose('role', { type: RoleEnum, nullable: true }),
    host: t.relation('host', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime', nullable: true }),
    revokedAt: t.expose('revokedAt', { type: 'DateTime', nullable: true }),
    lastUsedAt: t.expose('lastUsedAt', { type: 'DateTime', nullable: true }),
  }),
});

const CreateApiKeyInput = builder.inputType('CreateApiKeyInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    kind: t.field({ type: ApiKeyKindEnum, required: true }),
    role: t.field({ type: RoleEnum, description: 'integration keys: the role the key acts with' }),
    hostname: t.string({ description: 'agent keys: the host the key is bound to' }),
    expiresAt: t.field({ type: 'DateTime' }),
  }),
});

const newKey = z.object({
  name: z.string().trim().min(1, 'name is empty').max(200),
  kind: z.enum(['agent', 'integration']),
  role: z.enum(['viewer', 'analyst', 'admin']).nullish(),
  hostname: hostname.nullish(),
  expiresAt: z.date().min(new Date(0)).nullish(),
});

const CreatedApiKey = builder.objectRef<{ secret: string; apiKey: { id: number } }>('CreatedApiKey').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    secret: t.exposeString('secret', { description: 'Shown once: store it now' }),
    apiKey: t.prismaField({
      type: 'ApiKey',
      resolve: (query, parent, _args, ctx) => ctx.prisma.apiKey.findUniqueOrThrow({ ...query, where: { id: parent.apiKey.id } }),
    }),
  }),
});

builder.queryField('apiKeys', (t) =>
  t.prismaField({
    type: ['ApiKey'],
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.apiKey.findMany({ ...query, orderBy: { id: 'asc' } }),
  }),
);

builder.mutationField('createApiKey', (t) =>
  t.field({
    type: CreatedApiKey,
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateApiKeyInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const input = validate(newKey, args.input, 'input');
      if (input.expiresAt && input.expiresAt <= new Date()) throw userError('BAD_USER_INPUT', 'input.expiresAt: must be in the future');
      try {
        const createdById = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
        return await createApiKey(ctx.prisma, { ...input, createdById });
      } catch (err) {
        if (err instanceof AuthError) throw userError('BAD_USER_INPUT', err.message);
        throw err;
      }
    },
  }),
);

builder.mutationField('revokeApiKey', (t) =>
  t.prismaField({
    type: 'ApiKey',
    authScopes: { admin: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idArg(args.id);
      const key = await ctx.prisma.apiKey.findUnique({ where: { id } });
      if (!key) throw userError('NOT_FOUND', `no API key ${id}`);
      const revoked = await ctx.prisma.apiKey.update({ ...query, where: { id }, data: { revokedAt: key.revokedAt ?? new Date() } });
      // its open sockets (an agent's commands and config feed) close now
      ctx.bus.publish('credentialsChanged');
      return revoked;
    },
  }),
);
