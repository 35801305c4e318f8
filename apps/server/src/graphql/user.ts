import { z } from 'zod';
import { emailAddress } from '@esmon/schema';
import { AuthError, createUser, login } from '../auth/accounts.ts';
import { builder } from './builder.ts';
import { userError, validate } from './errors.ts';

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
      try {
        return await login({ prisma: ctx.prisma, email, password, ttlSeconds: ctx.sessionTtlSeconds });
      } catch (err) {
        if (err instanceof AuthError) throw userError('UNAUTHENTICATED', err.message);
        throw err;
      }
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
