// What people do to an alert: acknowledge, unacknowledge, comment, resolve by hand. Each is one
// transaction that updates the alert under an optimistic version check and writes its history
// row; the event is published only after the commit.
import { z } from 'zod';
import type { PrismaTypes, SqlRunner, Sql } from '@esmon/db';
import { toAlertEventMessage, type AlertEventRow } from './alert-event.ts';
import { builder } from './builder.ts';
import type { GraphQLContext } from './context.ts';
import { idArg, userError, validate } from './errors.ts';

/** The history kinds a person writes; the evaluator writes the others. */
type AlertAction = 'acknowledged' | 'unacknowledged' | 'comment' | 'manual_resolve';

const COMMENT_MAX = 4000;
const optionalComment = z.string().trim().max(COMMENT_MAX).nullish().transform((s) => s || null);
const requiredComment = z.string().trim().min(1, 'must not be empty').max(COMMENT_MAX);

/** States a person may resolve: open and alerting or waiting; ok/resolved are already closed. */
const RESOLVABLE: ReadonlySet<string> = new Set(['pending', 'firing', 'nodata', 'stale']);

const alertSelect = {
  id: true,
  ruleId: true,
  fingerprint: true,
  hostId: true,
  labels: true,
  state: true,
  severity: true,
  value: true,
  firedAt: true,
  openKey: true,
  acknowledgedAt: true,
  suppressed: true,
  version: true,
  rule: { select: { name: true } },
  host: { select: { hostname: true } },
} satisfies PrismaTypes.AlertSelect;

type LoadedAlert = PrismaTypes.AlertGetPayload<{ select: typeof alertSelect }>;

/** Why `action` does not apply to the alert as it is now (a CONFLICT), or undefined. */
function refusal(action: AlertAction, alert: LoadedAlert): string | undefined {
  const open = alert.openKey != null;
  switch (action) {
    case 'acknowledged':
      if (!open) return 'the alert is closed';
      return alert.acknowledgedAt ? 'the alert is already acknowledged' : undefined;
    case 'unacknowledged':
      return alert.acknowledgedAt ? undefined : 'the alert is not acknowledged';
    case 'manual_resolve':
      return open && RESOLVABLE.has(alert.state) ? undefined : `a ${open ? alert.state : 'closed'} alert cannot be resolved`;
    case 'comment':
      return undefined;
  }
}

/**
 * The history row, in the evaluator's convention (from/to as before/after, so unchanged for all
 * but a resolve). Channels hear of acts on alerts they were told of (fired or no data); a comment
 * is never news, and a suppressed alert stays quiet as the evaluator keeps it.
 */
function eventFor(action: AlertAction, alert: LoadedAlert, at: Date, userId: number | null, comment: string | null): Omit<AlertEventRow, 'id'> {
  const resolving = action === 'manual_resolve';
  const heard = action !== 'comment' && (alert.firedAt != null || alert.state === 'nodata');
  return {
    at,
    kind: action,
    fromState: alert.state,
    toState: resolving ? 'resolved' : alert.state,
    fromSeverity: alert.severity,
    severity: resolving ? null : alert.severity,
    value: alert.value,
    message: comment,
    notify: heard && !alert.suppressed,
    mutedBy: heard && alert.suppressed ? 'dependency' : null,
    userId,
  };
}

// What each action sets besides version and updated_at: $3 is the instant, $4 the user, $5 the comment.
const SETS: Record<AlertAction, string> = {
  acknowledged: ', acknowledged_at = $3, acknowledged_by_id = $4, ack_comment = $5',
  unacknowledged: ', acknowledged_at = NULL, acknowledged_by_id = NULL, ack_comment = NULL',
  comment: '',
  manual_resolve: `, state = 'resolved', resolved_at = $3, open_key = NULL`,
};

/** Writes the change and its history row; undefined when the alert's version moved meanwhile. */
async function storeChange(sql: Sql, alert: LoadedAlert, event: Omit<AlertEventRow, 'id'>): Promise<number | undefined> {
  const action = event.kind as AlertAction;
  return sql.transaction(async (tx: SqlRunner) => {
    const updated = await tx.query(
      `UPDATE alerts SET version = version + 1, updated_at = $3${SETS[action]} WHERE id = $1 AND version = $2 RETURNING id`,
      // PostgreSQL refuses parameters it cannot type, so $4/$5 go only where they are used
      [alert.id, alert.version, event.at, ...(action === 'acknowledged' ? [event.userId, event.message] : [])],
    );
    if (updated.length === 0) return undefined;
    const [row] = await tx.query<{ id: number }>(
      `INSERT INTO alert_events (alert_id, at, kind, from_state, to_state, from_severity, severity, value, message, notify, muted_by, user_id)
       VALUES ($1, $2, $3, $4::"AlertState", $5::"AlertState", $6::"Severity", $7::"Severity", $8, $9, $10, $11, $12) RETURNING id`,
      [alert.id, event.at, event.kind, event.fromState, event.toState, event.fromSeverity, event.severity, event.value,
        event.message, event.notify, event.mutedBy, event.userId],
    );
    return row!.id;
  });
}

/** Applies `action` to alert `alertId` and publishes the event; NOT_FOUND or CONFLICT otherwise. */
async function changeAlert(ctx: GraphQLContext, alertId: number, action: AlertAction, comment: string | null): Promise<void> {
  const userId = ctx.principal.kind === 'user' ? ctx.principal.userId : null;
  // a second try covers an evaluator transition stored between our read and our write
  for (let attempt = 1; ; attempt++) {
    const alert = await ctx.prisma.alert.findUnique({ where: { id: alertId }, select: alertSelect });
    if (!alert) throw userError('NOT_FOUND', `alert ${alertId} does not exist`);
    const why = refusal(action, alert);
    if (why) throw userError('CONFLICT', why);
    const event = eventFor(action, alert, new Date(), userId, comment);
    const id = await storeChange(ctx.sql, alert, event);
    if (id !== undefined) {
      ctx.bus.publish('alertEvents', toAlertEventMessage({ id, ...event }, alert));
      if (action === 'manual_resolve') {
        ctx.bus.publish('alertResolvedManually', { alertId, ruleId: alert.ruleId, fingerprint: alert.fingerprint });
      }
      return;
    }
    if (attempt >= 2) throw userError('CONFLICT', 'the alert changed while saving; reload and try again');
  }
}

function alertMutation(name: string, action: AlertAction, description: string, commentRequired: boolean): void {
  builder.mutationField(name, (t) =>
    t.prismaField({
      type: 'Alert',
      authScopes: { analyst: true },
      description,
      args: {
        id: t.arg.id({ required: true }),
        comment: t.arg.string({ required: commentRequired, description: `at most ${COMMENT_MAX} characters` }),
      },
      resolve: async (query, _root, args, ctx) => {
        const id = idArg(args.id);
        const comment = commentRequired ? validate(requiredComment, args.comment, 'comment') : validate(optionalComment, args.comment, 'comment');
        await changeAlert(ctx, id, action, comment);
        return ctx.prisma.alert.findUniqueOrThrow({ ...query, where: { id } });
      },
    }),
  );
}

alertMutation('acknowledgeAlert', 'acknowledged', 'Someone is on it: only open alerts, once (CONFLICT when already acknowledged)', false);
alertMutation('unacknowledgeAlert', 'unacknowledged', 'Takes an acknowledgement back (CONFLICT when there is none)', false);
alertMutation('commentAlert', 'comment', 'Adds a comment to the alert’s history', true);
alertMutation(
  'resolveAlert',
  'manual_resolve',
  'Closes an open alert by hand; the evaluator starts afresh for the instance (CONFLICT when already closed)',
  false,
);
