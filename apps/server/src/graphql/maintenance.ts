// Maintenance windows over GraphQL: planned work on hosts, one-off or recurring (RRULE in a time
// zone). Anyone may look and preview; analysts create, edit and delete. Every change is announced
// to the mute cache.
import type { PrismaClient } from '@esmon/db';
import { z } from 'zod';
import { activeOccurrence, occurrences, parseRRule, RRuleError, type MaintenanceSchedule, type Occurrence } from '../mute/rrule.ts';
import { canonicalTimeZone, TimeZoneError, toLocalMs } from '../mute/zoned-time.ts';
import { hostInScope, hostScopeSchema, ruleScopeSchema, type HostScope, type ScopedHost } from '@esmon/schema';
import { builder } from './builder.ts';
import { idArg, inputError, userError, validate } from './errors.ts';

const MAX_DURATION = 31 * 86_400;
const PREVIEW_OCCURRENCES = 10;
// "from now on, forever" for occurrence lists, which stop at their count
const FAR_FUTURE = new Date(Date.UTC(9999, 11, 31));

const OccurrenceRef = builder.objectRef<Occurrence>('MaintenanceOccurrence').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime' }),
    end: t.expose('end', { type: 'DateTime' }),
  }),
});

const ScopeRef = builder.objectRef<HostScope>('MaintenanceScope').implement({
  authScopes: { viewer: true },
  description: 'The hosts a window covers: every criterion given must hold; an empty scope covers every host',
  fields: (t) => ({
    hostIds: t.idList({ resolve: (s) => s.hostIds ?? [] }),
    labels: t.field({ type: 'JSON', description: 'host labels that must all be equal', resolve: (s) => s.labels ?? {} }),
    hostnamePattern: t.string({ nullable: true, description: 'a glob such as maximo-* or db?', resolve: (s) => s.hostnamePattern ?? null }),
  }),
});

function storedScope(window: { id: number; scope: unknown }): HostScope {
  const scope = hostScopeSchema.safeParse(window.scope);
  // written only through validation; showing a broken one as {} would claim "every host"
  if (!scope.success) throw new Error(`maintenance window ${window.id} has a scope this server does not understand`);
  return scope.data;
}

builder.prismaObject('MaintenanceWindow', {
  authScopes: { viewer: true },
  description: 'Planned work: alerts on the covered hosts are held while an occurrence is in progress',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    description: t.exposeString('description', { nullable: true }),
    startsAt: t.expose('startsAt', { type: 'DateTime', description: 'The first occurrence; later ones keep its wall-clock time in timeZone' }),
    durationSeconds: t.exposeInt('durationSeconds'),
    rrule: t.exposeString('rrule', { nullable: true, description: 'RFC 5545 recurrence (FREQ=WEEKLY;BYDAY=SU); null for a one-off window' }),
    timeZone: t.exposeString('timeZone'),
    scope: t.field({ type: ScopeRef, resolve: storedScope }),
    keepEvaluating: t.exposeBoolean('keepEvaluating', { description: 'rules keep being evaluated (alerts open and close as usual) during the window' }),
    suppressNotifications: t.exposeBoolean('suppressNotifications'),
    muteFirstRecovery: t.exposeBoolean('muteFirstRecovery', { description: 'the recovery right after the window is not announced either' }),
    sendFirstRecovery: t.exposeBoolean('sendFirstRecovery', {
      description: 'an alert whose firing was announced before the window still announces its recovery (wins over muteFirstRecovery for it)',
    }),
    enabled: t.exposeBoolean('enabled'),
    createdBy: t.string({
      nullable: true,
      description: 'The email of the user who created it; null for API keys and deleted users',
      select: { createdBy: { select: { email: true } } },
      resolve: (w) => w.createdBy?.email ?? null,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    nextOccurrences: t.field({
      type: [OccurrenceRef],
      description: 'The occurrences in progress or to come, soonest first',
      args: { count: t.arg.int({ defaultValue: 5 }) },
      resolve: (w, args) => {
        const count = validate(z.number().int().min(1).max(100), args.count ?? 5, 'count');
        return occurrences(w, new Date(), FAR_FUTURE, count);
      },
    }),
    activeOccurrence: t.field({
      type: OccurrenceRef,
      nullable: true,
      description: 'The occurrence in progress now, if any',
      resolve: (w) => activeOccurrence(w, new Date()) ?? null,
    }),
  }),
});

const ScopeInput = builder.inputType('MaintenanceScopeInput', {
  fields: (t) => ({
    hostIds: t.idList(),
    labels: t.field({ type: 'JSON', description: '{ "env": "prod" }: host labels that must all be equal' }),
    hostnamePattern: t.string({ description: 'a glob such as maximo-* or db?' }),
  }),
});

const WindowInput = builder.inputType('MaintenanceWindowInput', {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    startsAt: t.field({ type: 'DateTime', required: true, description: 'The first occurrence' }),
    durationSeconds: t.int({ required: true, description: '60 (one minute) to 2678400 (31 days)' }),
    rrule: t.string({ description: 'FREQ=DAILY|WEEKLY|MONTHLY with INTERVAL, BYDAY, BYMONTHDAY, COUNT, UNTIL; none for one-off' }),
    timeZone: t.string({ description: 'IANA name the recurrence keeps its wall-clock time in; default UTC' }),
    scope: t.field({ type: ScopeInput, description: 'Default: every host' }),
    keepEvaluating: t.boolean({ description: 'Default true' }),
    suppressNotifications: t.boolean({ description: 'Default true' }),
    muteFirstRecovery: t.boolean({ description: 'Default true' }),
    sendFirstRecovery: t.boolean({ description: 'Default false' }),
    enabled: t.boolean({ description: 'Default true' }),
  }),
});

const windowInput = z.object({
  name: z.string().trim().min(1, 'name is empty').max(200),
  description: z.string().trim().max(2000).nullish(),
  startsAt: z.date().min(new Date(Date.UTC(2000, 0, 1)), 'must be in 2000 or later').max(new Date(Date.UTC(9000, 0, 1)), 'too far ahead'),
  durationSeconds: z.number().int().min(60, 'at least 60 (one minute)').max(MAX_DURATION, `at most ${MAX_DURATION} (31 days)`),
  rrule: z.string().trim().max(500).nullish(),
  timeZone: z.string().trim().nullish(),
  scope: z.object({ hostIds: z.array(z.string()).nullish(), labels: z.unknown().optional(), hostnamePattern: z.string().nullish() }).nullish(),
  keepEvaluating: z.boolean().nullish(),
  suppressNotifications: z.boolean().nullish(),
  muteFirstRecovery: z.boolean().nullish(),
  sendFirstRecovery: z.boolean().nullish(),
  enabled: z.boolean().nullish(),
});

/** The checked window as stored: rule parsed, zone known and canonical, scope valid. */
function parseWindowInput(raw: unknown) {
  const input = validate(windowInput, raw, 'input');
  let timeZone: string;
  try {
    timeZone = canonicalTimeZone(input.timeZone || 'UTC');
  } catch (err) {
    if (err instanceof TimeZoneError) throw inputError([{ path: 'input.timeZone', message: err.message }]);
    throw err;
  }
  const rrule = input.rrule || null;
  if (rrule !== null) {
    try {
      const until = parseRRule(rrule).until;
      const first = until?.utc ? input.startsAt.getTime() : toLocalMs(input.startsAt.getTime(), timeZone);
      if (until && until.ms < first) throw new RRuleError('UNTIL is before startsAt');
    } catch (err) {
      if (err instanceof RRuleError) throw inputError([{ path: 'input.rrule', message: err.message }]);
      throw err;
    }
  }
  const s = input.scope;
  const scope = validate(
    hostScopeSchema,
    {
      ...(s?.hostIds?.length ? { hostIds: s.hostIds.map((id) => idArg(id, 'input.scope.hostIds')) } : {}),
      ...(s?.labels != null ? { labels: s.labels } : {}),
      ...(s?.hostnamePattern ? { hostnamePattern: s.hostnamePattern } : {}),
    },
    'input.scope',
  );
  return {
    name: input.name,
    description: input.description || null,
    startsAt: input.startsAt,
    durationSeconds: input.durationSeconds,
    rrule,
    timeZone,
    scope,
    keepEvaluating: input.keepEvaluating ?? true,
    suppressNotifications: input.suppressNotifications ?? true,
    muteFirstRecovery: input.muteFirstRecovery ?? true,
    sendFirstRecovery: input.sendFirstRecovery ?? false,
    enabled: input.enabled ?? true,
  };
}

builder.queryField('maintenanceWindows', (t) =>
  t.prismaField({
    type: ['MaintenanceWindow'],
    authScopes: { viewer: true },
    resolve: (query, _root, _args, ctx) => ctx.prisma.maintenanceWindow.findMany({ ...query, orderBy: [{ startsAt: 'desc' }, { id: 'desc' }] }),
  }),
);

builder.queryField('maintenanceWindow', (t) =>
  t.prismaField({
    type: 'MaintenanceWindow',
    nullable: true,
    authScopes: { viewer: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.maintenanceWindow.findUnique({ ...query, where: { id: idArg(args.id) } }),
  }),
);

builder.mutationField('createMaintenanceWindow', (t) =>
  t.prismaField({
    type: 'MaintenanceWindow',
    authScopes: { analyst: true },
    args: { input: t.arg({ type: WindowInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const data = parseWindowInput(args.input);
      const createdById = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
      const created = await ctx.prisma.maintenanceWindow.create({ ...query, data: { ...data, createdById } });
      ctx.bus.publish('mutesChanged');
      return created;
    },
  }),
);

builder.mutationField('updateMaintenanceWindow', (t) =>
  t.prismaField({
    type: 'MaintenanceWindow',
    authScopes: { analyst: true },
    description: 'Replaces every setting of the window',
    args: { id: t.arg.id({ required: true }), input: t.arg({ type: WindowInput, required: true }) },
    resolve: async (query, _root, args, ctx) => {
      const id = idArg(args.id);
      const data = parseWindowInput(args.input);
      if (!(await ctx.prisma.maintenanceWindow.findUnique({ where: { id }, select: { id: true } }))) {
        throw userError('NOT_FOUND', `no maintenance window ${id}`);
      }
      const updated = await ctx.prisma.maintenanceWindow.update({ ...query, where: { id }, data });
      ctx.bus.publish('mutesChanged');
      return updated;
    },
  }),
);

builder.mutationField('deleteMaintenanceWindow', (t) =>
  t.boolean({
    authScopes: { analyst: true },
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx) => {
      const id = idArg(args.id);
      const { count } = await ctx.prisma.maintenanceWindow.deleteMany({ where: { id } });
      if (count === 0) throw userError('NOT_FOUND', `no maintenance window ${id}`);
      ctx.bus.publish('mutesChanged');
      return true;
    },
  }),
);

// --- preview --------------------------------------------------------------------------------------

interface PreviewRule {
  id: number;
  name: string;
  enabled: boolean;
}

interface Preview {
  occurrences: Occurrence[];
  hostIds: number[];
  rules: PreviewRule[];
}

const PreviewRuleRef = builder.objectRef<PreviewRule>('MaintenancePreviewRule').implement({
  authScopes: { viewer: true },
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name'),
    enabled: t.exposeBoolean('enabled'),
  }),
});

const PreviewRef = builder.objectRef<Preview>('MaintenancePreview').implement({
  authScopes: { viewer: true },
  description: 'What a window would do: its next occurrences, the hosts it covers, the rules with an instance on them',
  fields: (t) => ({
    occurrences: t.field({ type: [OccurrenceRef], resolve: (p) => p.occurrences }),
    hosts: t.prismaField({
      type: ['Host'],
      resolve: (query, p, _args, ctx) => ctx.prisma.host.findMany({ ...query, where: { id: { in: p.hostIds } }, orderBy: { hostname: 'asc' } }),
    }),
    rules: t.field({ type: [PreviewRuleRef], resolve: (p) => p.rules }),
  }),
});

const textLabels = (json: unknown): Record<string, string> =>
  json && typeof json === 'object' && !Array.isArray(json)
    ? Object.fromEntries(Object.entries(json).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};

/** The hosts a scope covers, and the rules whose own scope covers at least one of them. */
async function previewScope(prisma: PrismaClient, scope: HostScope): Promise<Omit<Preview, 'occurrences'>> {
  const hosts: ScopedHost[] = (await prisma.host.findMany({ select: { id: true, hostname: true, labels: true } }))
    .map((h) => ({ id: h.id, hostname: h.hostname, labels: textLabels(h.labels) }))
    .filter((h) => hostInScope(scope, h));
  const all = await prisma.rule.findMany({ select: { id: true, name: true, enabled: true, scope: true }, orderBy: { name: 'asc' } });
  const rules = all.filter((r) => {
    const ruleScope = ruleScopeSchema.safeParse(r.scope);
    // a scope that does not parse names no hosts for sure: skipped rather than guessed
    return ruleScope.success && hosts.some((h) => hostInScope(ruleScope.data, h));
  });
  return { hostIds: hosts.map((h) => h.id), rules: rules.map(({ id, name, enabled }) => ({ id, name, enabled })) };
}

builder.queryField('maintenancePreview', (t) =>
  t.field({
    type: PreviewRef,
    authScopes: { viewer: true },
    description: `Checks a window before saving it: the next ${PREVIEW_OCCURRENCES} occurrences, the hosts and the rules it would hold`,
    args: { input: t.arg({ type: WindowInput, required: true }) },
    resolve: async (_root, args, ctx) => {
      const data = parseWindowInput(args.input);
      const schedule: MaintenanceSchedule = data;
      return { occurrences: occurrences(schedule, new Date(), FAR_FUTURE, PREVIEW_OCCURRENCES), ...(await previewScope(ctx.prisma, data.scope)) };
    },
  }),
);
