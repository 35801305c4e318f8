import { z } from 'zod';
import { emailAddress } from '@esmon/schema';
import { AuthError, createUser, login } from '../auth/accounts.ts';
import { builder } from './builder.ts';
import { idArg, userError, validate } from './errors.ts';
import { rateLimitedError } from './rate-limits.ts';

export const RoleEnum = builder.enumType('Role', { values: ['viewer', 'analyst', 'admin'] as const });

export const UserType = builder.prismaObject('User', {
  authScopes: { user: true, viewer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    email: t.exposeString('email'),
    name: t.exposeString('name', { nullable: true }),
    role: t.expose('role', { type: RoleEnum }),
    disabled: t.exposeBoolean('disabled'),
    lastLoginAt: t.expose('lastLoginAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

const LoginPayload = builder
  .objectRef<{ token: string; expiresAt: Date; user: { id: number } }>('LoginPayload')
  .implement({
    authScopes: { public: true },
    fields: (t) => ({
      token: t.exposeString('token', { description: 'Send as Authorization: Bearer <token>' }),
      expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
      user: t.prismaField({
        type: 'User',
        // the caller was anonymous until this very response
        skipTypeScopes: true,
        resolve: (query, parent, _args, ctx) => ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: parent.user.id } }),
      }),
    }),
  });

const credentials = z.object({
  email: z.string().trim().min(1, 'email is empty').max(320),
  password: z.string().min(1, 'password is empty').max(1024),
});

builder.mutationField('login', (t) =>
  t.field({
    type: LoginPayload,
    authScopes: { public: true },
    args: { email: t.arg.string({ required: true }), password: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const { email, password } = validate(credentials, args, '');
      // counted per login field, not per request: aliases cannot multiply the attempts
      const refused = await ctx.loginGuard.admit(email, ctx.address);
      if (refused) throw rateLimitedError(refused);
      let session: Awaited<ReturnType<typeof login>>;
      try {
        session = await login({ prisma: ctx.prisma, email, password, ttlSeconds: ctx.sessionTtlSeconds });
      } catch (err) {
        if (!(err instanceof AuthError)) throw err;
        await ctx.loginGuard.failed(email, ctx.address);
        throw userError('UNAUTHENTICATED', err.message);
      }
      await ctx.loginGuard.succeeded(email, ctx.address);
      return session;
    },
  }),
);

builder.mutationField('logout', (t) =>
  t.boolean({
    authScopes: { user: true },
    description: 'Ends the session of the token used for this request',
    resolve: async (_root, _args, ctx) => {
      if (ctx.principal.kind !== 'user') return false;
      await ctx.prisma.session.update({ where: { id: ctx.principal.sessionId }, data: { revokedAt: new Date() } });
      ctx.bus.publish('credentialsChanged');
      return true;
    },
  }),
);

builder.queryField('me', (t) =>
  t.prismaField({
    type: 'User',
    authScopes: { user: true },
    resolve: (query, _root, _args, ctx) => {
      if (ctx.principal.kind !== 'user') throw userError('FORBIDDEN', 'me is for logged-in users');
      return ctx.prisma.user.findUniqueOrThrow({ ...query, where: { id: ctx.principal.userId } });
    },
  }),
);

builder.queryField('users', (t) =>
  t.prismaField({
    type: ['User'],
    authScopes: { admin: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.user.findMany({ ...query, orderBy: { email: 'asc' } }),
  }),
);

const newUser = z.object({
  email: emailAddress,
  password: z.string().min(8, 'password must be at least 8 characters').max(1024),
  role: z.enum(['viewer', 'analyst', 'admin']),
  name: z.string().max(200).nullish(),
});

const CreateUserInput = builder.inputType('CreateUserInput', {
  fields: (t) => ({
    email: t.string({ required: true }),
    password: t.string({ required: true }),
    role: t.field({ type: RoleEnum, required: true }),
    name: t.string(),
  }),
});

builder.mutationField('createUser', (t) =>
  t.prismaField({
    type: 'User',
    authScopes: { admin: true },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_query, _root, args, ctx) => {
      const input = validate(newUser, args.input, 'input');
      const exists = await ctx.prisma.user.findUnique({ where: { email: input.email.toLowerCase() } });
      if (exists) throw userError('CONFLICT', `a user with email ${input.email} already exists`);
      return createUser(ctx.prisma, input);
    },
  }),
);

const userChange = z.object({
  role: z.enum(['viewer', 'analyst', 'admin']).nullish(),
  disabled: z.boolean().nullish(),
  name: z.string().trim().max(200, 'name: at most 200 characters').nullish(),
});

builder.mutationField('updateUser', (t) =>
  t.prismaField({
    type: 'User',
    authScopes: { admin: true },
    description: 'Changes a user\'s role, name or whether they may sign in (a disabled user\'s sessions stop at once); refused (CONFLICT) when it would leave no enabled admin',
    args: {
      id: t.arg.id({ required: true }),
      role: t.arg({ type: RoleEnum }),
      disabled: t.arg.boolean(),
      name: t.arg.string({ description: 'empty: no name' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const id = idArg(args.id);
      const change = validate(userChange, { role: args.role, disabled: args.disabled, name: args.name }, '');
      const data = {
        ...(change.role != null ? { role: change.role } : {}),
        ...(change.disabled != null ? { disabled: change.disabled } : {}),
        ...(change.name != null ? { name: change.name || null } : {}),
      };
      const user = await ctx.prisma.$transaction(async (tx) => {
        // two admins demoting each other at once: the second waits and counts after the first
        await tx.$queryRaw`SELECT id FROM users WHERE role = 'admin' FOR UPDATE`;
        const user = await tx.user.findUnique({ where: { id } });
        if (!user) throw userError('NOT_FOUND', `no user ${id}`);
        const updated = await tx.user.update({ where: { id }, data });
        // the last admin who can sign in stays one, or nobody could manage users again
        const admins = await tx.user.count({ where: { role: 'admin', disabled: false } });
        if (admins === 0) throw userError('CONFLICT', `${user.email} is the last enabled admin: make another admin first`);
        return tx.user.findUniqueOrThrow({ ...query, where: { id: updated.id } });
      });
      // a demoted or disabled user's open sockets close now, not at their next request
      if (change.role != null || change.disabled != null) ctx.bus.publish('credentialsChanged');
      return user;
    },
  }),
);
