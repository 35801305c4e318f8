// One GraphQL type for an alert's history entry, backed by the bus message: the alertEvents
// subscription passes messages through as they are, and history rows are turned into the same
// shape by toAlertEventMessage, so a client merges live events and history without mapping.
import type { AlertState, Severity } from '@esmon/db';
import type { AlertEventMessage } from '../events/bus.ts';
import { AlertStateEnum } from './alert-state.ts';
import { builder } from './builder.ts';
import { SeverityEnum } from './rule-object.ts';

/** A stored alert_events row, as Prisma or a RETURNING clause reads it: the event's own fields. */
export type AlertEventRow = Pick<
  AlertEventMessage,
  'id' | 'at' | 'kind' | 'fromState' | 'toState' | 'fromSeverity' | 'severity' | 'value' | 'message' | 'notify' | 'mutedBy' | 'userId'
>;

/** The alert an event belongs to, with its rule's name and host's name. */
export interface AlertEventSubject {
  id: number;
  ruleId: number;
  fingerprint: string;
  hostId: number | null;
  labels: unknown;
  rule: { name: string };
  host: { hostname: string } | null;
}

/** Builds the bus message for a stored event; the evaluator's messages have exactly this shape. */
export function toAlertEventMessage(event: AlertEventRow, alert: AlertEventSubject): AlertEventMessage {
  return {
    id: event.id,
    alertId: alert.id,
    ruleId: alert.ruleId,
    ruleName: alert.rule.name,
    fingerprint: alert.fingerprint,
    hostId: alert.hostId,
    hostname: alert.host?.hostname ?? null,
    labels: (alert.labels ?? {}) as Record<string, string>,
    kind: event.kind,
    fromState: event.fromState,
    toState: event.toState,
    fromSeverity: event.fromSeverity,
    severity: event.severity,
    value: event.value,
    message: event.message,
    notify: event.notify,
    mutedBy: event.mutedBy,
    userId: event.userId,
    at: event.at,
  };
}

/** A message plus, when read from history, the acting user's email (a bus message has only the id). */
export type AlertEventView = AlertEventMessage & { userEmail?: string | null };

export const AlertEventRef = builder.objectRef<AlertEventView>('AlertEvent').implement({
  authScopes: { viewer: true },
  description: 'One entry of an alert’s history: a transition, an acknowledgement, a comment or a manual resolve',
  fields: (t) => ({
    id: t.exposeID('id'),
    alertId: t.exposeID('alertId'),
    ruleId: t.exposeID('ruleId'),
    ruleName: t.exposeString('ruleName'),
    fingerprint: t.exposeString('fingerprint'),
    hostId: t.exposeID('hostId', { nullable: true }),
    hostname: t.exposeString('hostname', { nullable: true }),
    labels: t.expose('labels', { type: 'JSON' }),
    kind: t.exposeString('kind', {
      description:
        'state, severity, suppressed, unsuppressed, flapping_start, flapping_end, unmuted (a firing alert announced once its silence or maintenance ended), acknowledged, unacknowledged, comment, manual_resolve',
    }),
    fromState: t.field({ type: AlertStateEnum, nullable: true, resolve: (e) => e.fromState as AlertState | null }),
    toState: t.field({ type: AlertStateEnum, resolve: (e) => e.toState as AlertState }),
    fromSeverity: t.field({ type: SeverityEnum, nullable: true, resolve: (e) => e.fromSeverity as Severity | null }),
    severity: t.field({ type: SeverityEnum, nullable: true, resolve: (e) => e.severity as Severity | null }),
    value: t.exposeFloat('value', { nullable: true }),
    message: t.exposeString('message', { nullable: true, description: 'the reason, or the person’s comment' }),
    notify: t.exposeBoolean('notify', { description: 'whether notification channels hear of it' }),
    mutedBy: t.exposeString('mutedBy', { nullable: true, description: 'what held the notification: silence:12, maintenance:3, flapping, dependency, or "never announced" (a recovery of an alert channels never heard fire)' }),
    user: t.string({
      nullable: true,
      description: 'the email of the person who acted (acknowledgements, comments, manual resolves)',
      resolve: async (e, _args, ctx) => {
        if (e.userEmail !== undefined) return e.userEmail;
        if (e.userId == null) return null;
        // Prisma batches findUnique calls of one tick, so a burst of events costs one query
        const user = await ctx.prisma.user.findUnique({ where: { id: e.userId }, select: { email: true } });
        return user?.email ?? null;
      },
    }),
    at: t.expose('at', { type: 'DateTime' }),
  }),
});
