// Silences over GraphQL: mute the notifications of matching alerts for a while. Anyone may look;
// analysts create, edit, expire and delete. Every change is announced to the mute cache.
import type { PrismaClient } from '@esmon/db';
import { z } from 'zod';
import { silenceMatchersSchema, silenceState, type SilenceMatcher } from '../mute/silence-match.ts';
import { builder } from './builder.ts';
import { idArg, inputError, userError, validate } from './errors.ts';

const YEAR_MS = 365 * 86_400_000;
const STATES = ['pending', 'active', 'expired'] as const;

const SilenceMatcherRef = builder.objectRef<SilenceMatcher>('SilenceMatcher').implement({
  authScopes: { viewer: true },
  description: 'name is "rule" (the rule\'s name), "host" (the hostname) or a label; op is = != =~ !~ (regexes match the whole value)',
  fields: (t) => ({
    name: t.exposeString('name'),
    op: t.exposeString('op'),
    value: t.exposeString('value'),
  }),
});

// what is stored was validated on the way in; show it as it is rather than fail the whole list
const storedMatchers = z.array(z.object({ name: z.string(), op: z.enum(['=', '!=', '=~', '!~']), value: z.string() })).catch([]);

builder.prismaObject('Silence', {
  authScopes: { viewer: true },
  description: 'Mutes the notifications of alerts matching every matcher between startsAt and endsAt',
  fields: (t) => ({
    id: t.exposeID('id'),
    matchers: t.field({ type: [SilenceMatcherRef], resolve: (s) => storedMatchers.parse(s.matchers) }),
    startsAt: t.expose('startsAt', { type: 'DateTime' }),
    endsAt: t.expose('endsAt', { type: 'DateTime' }),
    comment: t.exposeString('comment'),
    sendFirstRecovery: t.exposeBoolean('sendFirstRecovery', {
      description: 'an alert whose firing was announced before the silence still announces its recovery',
    }),
    createdBy: t.string({
      nullable: true,
      description: 'The email of the user who created it; null for API keys and deleted users',
      select: { createdBy: { select: { email: true } } },
      resolve: (s) => s.createdBy?.email ?? null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    active: t.boolean({ resolve: (s) => silenceState(s, Date.now()) === 'active' }),
    state: t.string({ description: 'pending (not started), active or expired', resolve: (s) => silenceState(s, Date.now()) }),
  }),
});

const SilenceMatcherInput = builder.inputType('SilenceMatcherInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    op: t.string({ required: true, description: '= != =~ !~' }),
    value: t.string({ required: true }),
  }),
});

const SilenceInput = builder.inputType('SilenceInput', {
  fields: (t) => ({
    matchers: t.field({ type: [SilenceMatcherInput], required: true }),
    startsAt: t.field({ type: 'DateTime', description: 'Default: now (on update: unchanged)' }),
    endsAt: t.field({ type: 'DateTime', description: 'Give endsAt or durationMinutes' }),
    durationMinutes: t.int({ description: 'Length from startsAt; instead of endsAt' }),
    comment: t.string({ required: true, description: 'Why: a ticket, a change, a reason' }),
    sendFirstRecovery: t.boolean({
      description: 'Announce the recovery of alerts whose firing was announced before the silence (default true; on update: unchanged)',
    }),
  }),
});

const silenceInput = z.object({
  matchers: silenceMatchersSchema,
  startsAt: z.date().nullish(),
  endsAt: z.date().nullish(),
  durationMinutes: z.number().int().min(1, 'must be at least 1').nullish(),
  comment: z.string().trim().min(1, 'comment is empty: say why').max(2000),
  sendFirstRecovery: z.boolean().nullish(),
});

/** The silence's span, checked: after its start, not over yet, at most a year long. */
function silenceSpan(input: z.infer<typeof silenceInput>, defaultStart: Date, now: Date): { startsAt: Date; endsAt: Date } {
  const startsAt = input.startsAt ?? defaultStart;
  if (input.endsAt && input.durationMinutes != null) throw inputError([{ path: 'input', message: 'give endsAt or durationMinutes, not both' }]);
  if (!input.endsAt && input.durationMinutes == null) throw inputError([{ path: 'input.endsAt', message: 'give endsAt or durationMinutes' }]);
  const field = input.endsAt ? 'input.endsAt' : 'input.durationMinutes';
  const endsAt = input.endsAt ?? new Date(startsAt.getTime() + input.durationMinutes! * 60_000);
  if (endsAt <= startsAt) throw inputError([{ path: field, message: 'must be after startsAt' }]);
  if (endsAt <= now) throw inputError([{ path: field, message: 'the silence would already be over: endsAt must be in the future' }]);
  if (endsAt.getTime() - startsAt.getTime() > YEAR_MS) throw inputError([{ path: field, message: 'a silence lasts at most a year (365 days)' }]);
  return { startsAt, endsAt };
}

builder.queryField('silences', (t) =>
  t.prismaField({
    type: ['Silence'],
    authScopes: { viewer: true },
    description: 'Silences, newest start first; state picks pending, active or expired ones',
    args: { state: t.arg.string() },
    resolve: (query, _root, args, ctx) => {
      const state = args.state == null ? undefined : validate(z.enum(STATES, { message: 'one of pending, active, expired' }), args.state, 'state');
      const now = new Date();
      const where =
        state === 'pending'
          ? { startsAt: { gt: now } }
          : state === 'active'
            ? { startsAt: { lte: now }, endsAt: { gt: now } }
            : state === 'expired'
              ? { endsAt: { lte: now } }
              : {};
      return ctx.prisma.silence.findMany({ ...query, where, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }] });
    },
  }),
);

builder.queryField('silence', (t) =>
  t.prismaField({
    type: 'Silence',
    nullable: true,
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.silence.findUnique({ ...query, where: { id: idArg(args.id) } }),
  }),
);

builder.mutationField('createSilence', (t) =>
  t.prismaField({
    type: 'Silence',
    authScopes: { analyst: true },
    args: { input: t.arg({ type: SilenceInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const input = validate(silenceInput, args.input, 'input');
      const now = new Date();
      const span = silenceSpan(input, now, now);
      const createdById = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
      const created = await ctx.prisma.silence.create({
        ...query,
        data: { matchers: input.matchers, ...span, comment: input.comment, sendFirstRecovery: input.sendFirstRecovery ?? true, createdById },
      });
      ctx.bus.publish('mutesChanged');
      return created;
    },
  }),
);

async function existing(ctx: { prisma: PrismaClient }, id: number) {
  const silence = await ctx.prisma.silence.findUnique({ where: { id } });
  if (!silence) throw userError('NOT_FOUND', `no silence ${id}`);
  return silence;
}

builder.mutationField('updateSilence', (t) =>
  t.prismaField({
    type: 'Silence',
    authScopes: { analyst: true },
    description: 'Replaces matchers, times and comment; an expired silence is history and stays as it was',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: SilenceInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idArg(args.id);
      const input = validate(silenceInput, args.input, 'input');
      const now = new Date();
      const old = await existing(ctx, id);
      if (old.endsAt <= now) throw userError('CONFLICT', `silence ${id} has expired: create a new one`);
      const span = silenceSpan(input, old.startsAt, now);
      const updated = await ctx.prisma.silence.update({
        ...query,
        where: { id },
        data: {
          matchers: input.matchers,
          ...span,
          comment: input.comment,
          ...(input.sendFirstRecovery != null ? { sendFirstRecovery: input.sendFirstRecovery } : {}),
        },
      });
      ctx.bus.publish('mutesChanged');
      return updated;
    },
  }),
);

builder.mutationField('expireSilence', (t) =>
  t.prismaField({
    type: 'Silence',
    authScopes: { analyst: true },
    description: 'Ends a silence now (a pending one never starts); it stays listed as expired',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idArg(args.id);
      const now = new Date();
      const old = await existing(ctx, id);
      if (old.endsAt <= now) throw userError('CONFLICT', `silence ${id} has already expired`);
      const startsAt = old.startsAt < now ? old.startsAt : now;
      const expired = await ctx.prisma.silence.update({ ...query, where: { id }, data: { startsAt, endsAt: now } });
      ctx.bus.publish('mutesChanged');
      return expired;
    },
  }),
);

builder.mutationField('deleteSilence', (t) =>
  t.boolean({
    authScopes: { analyst: true },
    description: 'Removes a silence and its history; expireSilence keeps it',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = idArg(args.id);
      const { count } = await ctx.prisma.silence.deleteMany({ where: { id } });
      if (count === 0) throw userError('NOT_FOUND', `no silence ${id}`);
      ctx.bus.publish('mutesChanged');
      return true;
    },
  }),
);
