// Alerts over GraphQL: the Alert type with its history, the filtered list and one alert.
// Acknowledge/comment/resolve are in alert-mutations.ts, counts in alert-counts.ts, live
// events in alert-live.ts.
import type { PrismaTypes } from '@esmon/db';
import { AlertEventRef, toAlertEventMessage } from './alert-event.ts';
import { AlertStateEnum } from './alert-state.ts';
import { builder } from './builder.ts';
import { containsText } from './search.ts';
import { idArg, userError } from './errors.ts';
import { SeverityEnum } from './rule-object.ts';

const HISTORY_LIMIT = 1000;
const SEARCH_MAX = 200;

builder.prismaObject('Alert', {
  authScopes: { viewer: true },
  description: 'One incident of a rule for one instance (host or label group), from pending until it closes',
  fields: (t) => ({
    id: t.exposeID('id'),
    rule: t.relation('rule'),
    fingerprint: t.exposeString('fingerprint', { description: 'the stable key of the instance' }),
    host: t.relation('host', { nullable: true }),
    labels: t.expose('labels', { type: 'JSON' }),
    annotations: t.expose('annotations', { type: 'JSON' }),
    state: t.expose('state', { type: AlertStateEnum }),
    severity: t.expose('severity', { type: SeverityEnum, nullable: true }),
    value: t.exposeFloat('value', { nullable: true, description: 'the last value the rule saw' }),
    startedAt: t.expose('startedAt', { type: 'DateTime' }),
    firedAt: t.expose('firedAt', { type: 'DateTime', nullable: true }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true }),
    open: t.boolean({
      description: 'true until the alert resolves (or closes without firing)',
      resolve: (a) => a.openKey != null,
    }),
    flapping: t.exposeBoolean('flapping'),
    suppressed: t.exposeBoolean('suppressed', { description: 'a rule this one depends on fires for the instance' }),
    acknowledged: t.boolean({ resolve: (a) => a.acknowledgedAt != null }),
    acknowledgedAt: t.expose('acknowledgedAt', { type: 'DateTime', nullable: true }),
    acknowledgedBy: t.string({
      nullable: true,
      description: 'the email of who acknowledged it',
      select: { acknowledgedBy: { select: { email: true } } },
      resolve: (a) => a.acknowledgedBy?.email ?? null,
    }),
    ackComment: t.exposeString('ackComment', { nullable: true }),
    version: t.exposeInt('version', { description: 'bumped by every change; mutations use it for optimistic locking' }),
    history: t.field({
      type: [AlertEventRef],
      description: `The alert's events, oldest first (at most ${HISTORY_LIMIT})`,
      args: { first: t.arg.int({ description: 'only the first (oldest) n events' }) },
      select: { rule: { select: { name: true } }, host: { select: { hostname: true } } },
      resolve: async (alert, args, ctx) => {
        if (args.first != null && args.first < 0) throw userError('BAD_USER_INPUT', 'first must not be negative');
        const rows = await ctx.prisma.alertEvent.findMany({
          where: { alertId: alert.id },
          orderBy: [{ at: 'asc' }, { id: 'asc' }],
          take: Math.min(args.first ?? HISTORY_LIMIT, HISTORY_LIMIT),
          include: { user: { select: { email: true } } },
        });
        return rows.map((row) => ({ ...toAlertEventMessage(row, alert), userEmail: row.user?.email ?? null }));
      },
    }),
  }),
});

const AlertFilter = builder.inputType('AlertFilter', {
  description: 'All given conditions must hold; an empty or missing list matches anything',
  fields: (t) => ({
    states: t.field({ type: [AlertStateEnum] }),
    severities: t.field({ type: [SeverityEnum] }),
    hostIds: t.idList(),
    ruleIds: t.idList(),
    open: t.boolean(),
    acknowledged: t.boolean(),
    from: t.field({ type: 'DateTime', description: 'alerts still active at or after this instant' }),
    to: t.field({ type: 'DateTime', description: 'alerts started at or before this instant' }),
    search: t.string({ description: 'part of the rule name, the fingerprint or the hostname (any case)' }),
  }),
});

type AlertFilterInput = typeof AlertFilter.$inferInput;

/** Translates the filter into a Prisma where clause; throws BAD_USER_INPUT on a bad id or range. */
function alertWhere(filter: AlertFilterInput | null | undefined): PrismaTypes.AlertWhereInput {
  if (!filter) return {};
  const and: PrismaTypes.AlertWhereInput[] = [];
  if (filter.states?.length) and.push({ state: { in: filter.states } });
  if (filter.severities?.length) and.push({ severity: { in: filter.severities } });
  if (filter.hostIds?.length) and.push({ hostId: { in: filter.hostIds.map((id) => idArg(id, 'hostIds')) } });
  if (filter.ruleIds?.length) and.push({ ruleId: { in: filter.ruleIds.map((id) => idArg(id, 'ruleIds')) } });
  if (filter.open != null) and.push({ openKey: filter.open ? { not: null } : null });
  if (filter.acknowledged != null) and.push({ acknowledgedAt: filter.acknowledged ? { not: null } : null });
  if (filter.from && filter.to && filter.from > filter.to) throw userError('BAD_USER_INPUT', 'filter.from must not be after filter.to');
  // active in [from, to]: started by `to` and not resolved before `from`
  if (filter.to) and.push({ startedAt: { lte: filter.to } });
  if (filter.from) and.push({ OR: [{ resolvedAt: null }, { resolvedAt: { gte: filter.from } }] });
  const search = filter.search?.trim();
  if (search) {
    if (search.length > SEARCH_MAX) throw userError('BAD_USER_INPUT', `filter.search must be at most ${SEARCH_MAX} characters`);
    const contains = containsText(search);
    and.push({ OR: [{ rule: { name: contains } }, { fingerprint: contains }, { host: { hostname: contains } }] });
  }
  return { AND: and };
}

export const ALERTS_PAGE_MAX = 500;

builder.queryField('alerts', (t) =>
  t.prismaConnection({
    type: 'Alert',
    cursor: 'id',
    // the workbench's list grows 100 at a time up to this; beyond, filters narrow it
    maxSize: ALERTS_PAGE_MAX,
    authScopes: { viewer: true },
    description: `Alerts, newest start first; at most ${ALERTS_PAGE_MAX} a page`,
    args: { filter: t.arg({ type: AlertFilter }) },
    totalCount: (_connection, args, ctx) => ctx.prisma.alert.count({ where: alertWhere(args.filter) }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.alert.findMany({
        ...query,
        where: alertWhere(args.filter),
        // id breaks ties so the cursor order is total
        orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

builder.queryField('alert', (t) =>
  t.prismaField({
    type: 'Alert',
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const alert = await ctx.prisma.alert.findUnique({ ...query, where: { id: idArg(args.id) } });
      if (!alert) throw userError('NOT_FOUND', `alert ${args.id} does not exist`);
      return alert;
    },
  }),
);
