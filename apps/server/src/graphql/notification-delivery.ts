// The delivery log: every message the outbox holds or sent, per channel or per alert, with each
// attempt (status, response code, error, duration); and a manual retry of a dead or waiting one.
import { builder } from './builder.ts';
import { idArg, userError } from './errors.ts';

builder.prismaObject('NotificationAttempt', {
  authScopes: { viewer: true },
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    ok: t.exposeBoolean('ok'),
    retryable: t.exposeBoolean('retryable', { nullable: true }),
    status: t.exposeInt('status', { nullable: true, description: 'HTTP status or SMTP reply code' }),
    error: t.exposeString('error', { nullable: true }),
    durationMs: t.exposeInt('durationMs'),
  }),
});

builder.prismaObject('NotificationDelivery', {
  authScopes: { viewer: true },
  description: 'One message to one channel: pending (waiting or being sent), delivered or dead',
  fields: (t) => ({
    id: t.exposeID('id'),
    channel: t.relation('channel'),
    kind: t.exposeString('kind'),
    status: t.exposeString('status'),
    title: t.string({ resolve: (d) => String((d.payload as { title?: unknown }).title ?? '') }),
    alertIds: t.field({ type: ['ID'], resolve: (d) => ((d.payload as { alerts?: { id: string }[] }).alerts ?? []).map((a) => a.id) }),
    payload: t.expose('payload', { type: 'JSON' }),
    attemptCount: t.exposeInt('attempts'),
    nextAttemptAt: t.expose('nextAttemptAt', { type: 'DateTime' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    attempts: t.relation('attemptLog', { query: { orderBy: { id: 'asc' } } }),
  }),
});

builder.queryField('notificationDeliveries', (t) =>
  t.prismaField({
    type: ['NotificationDelivery'],
    authScopes: { viewer: true },
    description: 'The newest deliveries first, by channel, alert and status',
    args: {
      channelId: t.arg.id(),
      alertId: t.arg.id(),
      status: t.arg.string({ description: 'pending, delivered or dead' }),
      first: t.arg.int({ defaultValue: 50 }),
    },
    resolve: (query, _root, args, ctx) => {
      if (args.status != null && !['pending', 'delivered', 'dead'].includes(args.status)) throw userError('BAD_USER_INPUT', 'status: pending, delivered or dead');
      const first = Math.min(Math.max(args.first ?? 50, 1), 500);
      return ctx.prisma.notificationDelivery.findMany({
        ...query,
        where: {
          ...(args.channelId != null ? { channelId: idArg(args.channelId, 'channelId') } : {}),
          ...(args.status != null ? { status: args.status } : {}),
          ...(args.alertId != null ? { payload: { path: ['alerts'], array_contains: [{ id: String(idArg(args.alertId, 'alertId')) }] } } : {}),
        },
        orderBy: { id: 'desc' },
        take: first,
      });
    },
  }),
);

builder.mutationField('retryNotificationDelivery', (t) =>
  t.prismaField({
    type: 'NotificationDelivery',
    authScopes: { admin: true },
    description: 'Sends a dead or waiting delivery again now, with a fresh count of attempts (a delivered one is refused)',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idArg(args.id);
      const { count } = await ctx.prisma.notificationDelivery.updateMany({
        where: { id, status: { in: ['dead', 'pending'] } },
        data: { status: 'pending', attempts: 0, nextAttemptAt: new Date(0), leaseUntil: null },
      });
      if (count === 0) {
        const exists = await ctx.prisma.notificationDelivery.findUnique({ where: { id }, select: { status: true } });
        throw exists ? userError('CONFLICT', `delivery ${id} was delivered already`) : userError('NOT_FOUND', `no delivery ${id}`);
      }
      ctx.notify.wake();
      return ctx.prisma.notificationDelivery.findUniqueOrThrow({ ...query, where: { id } });
    },
  }),
);
