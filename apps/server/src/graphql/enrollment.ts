// Agent enrolment over GraphQL: admins make one-time tokens; an agent with a token (and nothing
// else: no login) trades it for its own agent key. The token is the credential, so the trade is
// open to the anonymous, like login.
import { z } from 'zod';
import { hostname } from '@esmon/schema';
import { AuthError } from '../auth/accounts.ts';
import { createEnrollmentToken, enrollAgent } from '../auth/enrollment.ts';
import { builder } from './builder.ts';
import { userError, validate } from './errors.ts';

interface TokenPayload {
  token: string;
  expiresAt: Date;
}

const EnrollmentTokenRef = builder.objectRef<TokenPayload>('EnrollmentToken').implement({
  authScopes: { admin: true },
  fields: (t) => ({
    token: t.exposeString('token', { description: 'shown once: give it to `esmon-agent enroll --token`' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
  }),
});

const EnrolledAgent = builder.objectRef<{ key: string; hostname: string; serverKey: string }>('EnrolledAgent').implement({
  authScopes: { public: true },
  fields: (t) => ({
    key: t.exposeString('key', { description: "the agent's own key, bound to its host; shown once" }),
    hostname: t.exposeString('hostname'),
    serverKey: t.exposeString('serverKey', {
      description: "the server's Ed25519 public key (raw, base64) that signs probe definitions: the agent pins it (agent.yaml serverKey)",
    }),
  }),
});

const tokenInput = z.object({
  hostname: hostname.nullish(),
  ttlMinutes: z.number().int().min(1, 'ttlMinutes: at least 1').max(30 * 24 * 60, 'ttlMinutes: at most 30 days'),
});

builder.mutationField('createEnrollmentToken', (t) =>
  t.field({
    type: EnrollmentTokenRef,
    authScopes: { admin: true },
    description: 'A one-time token for enrolling an agent; bound to one hostname when given',
    args: { hostname: t.arg.string(), ttlMinutes: t.arg.int({ defaultValue: 60 }) },
    resolve: (_root, args, ctx) => {
      const input = validate(tokenInput, { hostname: args.hostname, ttlMinutes: args.ttlMinutes ?? 60 }, '');
      const createdById = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
      return createEnrollmentToken(ctx.prisma, { ...input, createdById });
    },
  }),
);

builder.mutationField('enrollAgent', (t) =>
  t.field({
    type: EnrolledAgent,
    authScopes: { public: true },
    description: 'Trades a one-time enrolment token for an agent key bound to `hostname`',
    args: { token: t.arg.string({ required: true }), hostname: t.arg.string({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const input = validate(z.object({ token: z.string().min(1).max(200), hostname }), args, '');
      try {
        return { ...(await enrollAgent(ctx.prisma, input)), serverKey: ctx.signer.publicKey };
      } catch (err) {
        if (err instanceof AuthError) throw userError('UNAUTHENTICATED', err.message);
        throw err;
      }
    },
  }),
);
