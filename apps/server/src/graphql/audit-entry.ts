// The audit log over GraphQL, for admins only: every mutation, newest first, filtered by actor,
// operation, target and time. Entries are written by audit-recorder.ts.
import type { PrismaTypes } from '@esmon/db';
import { builder } from './builder.ts';
import { idArg, userError } from './errors.ts';

const ActorKindEnum = builder.enumType('ActorKind', { values: ['user', 'agent', 'integration', 'anonymous'] as const });

builder.prismaObject('AuditEntry', {
  authScopes: { admin: true },
  description: 'One mutation: who, when, from where, what, how it went, and for a configuration object its state before and after (secrets left out)',
  fields: (t) => ({
    id: t.exposeID('id'),
    at: t.expose('at', { type: 'DateTime', description: 'when the mutation began' }),
    actorKind: t.expose('actorKind', { type: ActorKindEnum }),
    actorId: t.exposeID('actorId', { nullable: true, description: 'the user id (user) or API key id (agent, integration)' }),
    actorName: t.exposeString('actorName', { nullable: true, description: "the user's email or the key's name as it was then" }),
    address: t.exposeString('address', { nullable: true, description: "the client's IP address" }),
    operation: t.exposeString('operation', { description: 'the mutation, e.g. createRule' }),
    targetType: t.exposeString('targetType', { nullable: true, description: 'the kind of object acted on, e.g. Rule' }),
    targetId: t.exposeString('targetId', { nullable: true }),
    outcome: t.exposeString('outcome', {
      nullable: true,
      description: 'ok, or the error code (FORBIDDEN, NOT_FOUND, ...); null: the mutation did not finish or its outcome could not be written',
    }),
    details: t.expose('details', { type: 'JSON', nullable: true, description: 'facts about the call that are not secret, e.g. the email a login tried' }),
    before: t.expose('before', { type: 'JSON', nullable: true, description: 'configuration objects: the object before (null: it did not exist)' }),
    after: t.expose('after', { type: 'JSON', nullable: true, description: 'configuration objects: the object after a successful change (null: it no longer exists)' }),
  }),
});

const AuditLogFilter = builder.inputType('AuditLogFilter', {
  description: 'All given conditions must hold',
  fields: (t) => ({
    actorUserId: t.id({ description: 'entries of this user' }),
    operation: t.string({ description: 'the mutation, e.g. updateRule' }),
    targetType: t.string({ description: 'e.g. Rule, NotificationChannel, User' }),
    targetId: t.id(),
    from: t.field({ type: 'DateTime', description: 'entries at or after this instant' }),
    to: t.field({ type: 'DateTime', description: 'entries at or before this instant' }),
  }),
});

type AuditLogFilterInput = typeof AuditLogFilter.$inferInput;

function auditWhere(filter: AuditLogFilterInput | null | undefined): PrismaTypes.AuditEntryWhereInput {
  if (!filter) return {};
  if (filter.from && filter.to && filter.from > filter.to) throw userError('BAD_USER_INPUT', 'filter.from must not be after filter.to');
  return {
    ...(filter.actorUserId != null ? { actorKind: 'user' as const, actorId: idArg(filter.actorUserId, 'filter.actorUserId') } : {}),
    ...(filter.operation != null ? { operation: filter.operation } : {}),
    ...(filter.targetType != null ? { targetType: filter.targetType } : {}),
    ...(filter.targetId != null ? { targetId: String(filter.targetId) } : {}),
    ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lte: filter.to } : {}) } } : {}),
  };
}

export const AUDIT_PAGE_MAX = 500;

builder.queryField('auditLog', (t) =>
  t.prismaConnection({
    type: 'AuditEntry',
    cursor: 'id',
    maxSize: AUDIT_PAGE_MAX,
    authScopes: { admin: true },
    description: `Every mutation, newest first; at most ${AUDIT_PAGE_MAX} a page`,
    args: { filter: t.arg({ type: AuditLogFilter }) },
    totalCount: (_connection, args, ctx) => ctx.prisma.auditEntry.count({ where: auditWhere(args.filter) }),
    resolve: (query, _root, args, ctx) => ctx.prisma.auditEntry.findMany({ ...query, where: auditWhere(args.filter), orderBy: { id: 'desc' } }),
  }),
);
