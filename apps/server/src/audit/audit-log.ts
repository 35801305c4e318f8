// The audit log's writer: an entry is opened before a mutation runs and closed with its outcome
// after. Opening can fail (the caller then refuses the mutation); closing and pruning never throw.
// Every failure is logged and counted (esmon_audit_write_failures_total), never silent. Snapshots
// and details pass through redactSecrets on their way in.
import type { Sql } from '@esmon/db';
import type { Principal } from '../auth/principal.ts';
import type { Logger } from '../log.ts';
import { redactedJson } from './redact.ts';

/** Who acted: the principal's kind and, for users and keys, their id (the name is looked up on write). */
export type Actor =
  | { kind: 'user'; userId: number }
  | { kind: 'agent' | 'integration'; keyId: number }
  | { kind: 'anonymous' };

export function actorOf(p: Principal): Actor {
  switch (p.kind) {
    case 'user':
      return { kind: 'user', userId: p.userId };
    case 'agent':
    case 'integration':
      return { kind: p.kind, keyId: p.keyId };
    case 'anonymous':
      return { kind: 'anonymous' };
  }
}

export interface AuditOpening {
  actor: Actor;
  address: string | null;
  operation: string;
  targetType: string | null;
  targetId: string | null;
  /** non-secret facts about the call */
  details: unknown;
  before: unknown;
}

export interface AuditClosing {
  /** "ok" or an error code */
  outcome: string;
  /** known only now for a creation */
  targetId?: string | null;
  after?: unknown;
  /** a login: the user it authenticated becomes the actor */
  actorUserId?: number | undefined;
}

/** What failed: opening (the mutation is refused), closing (it ran), a snapshot (kept as a note), pruning. */
export type AuditFailureStage = 'open' | 'close' | 'snapshot' | 'prune';

export interface AuditLog {
  /** Writes the entry of a mutation about to run; throws when it cannot be written. */
  open(entry: AuditOpening): Promise<number>;
  /** Records how it went; a failure is logged and counted, the entry stays without an outcome. */
  close(id: number, closing: AuditClosing): Promise<void>;
  /** Deletes entries from before `olderThan`; answers how many. */
  prune(olderThan: Date): Promise<number>;
  /** Logs and counts a snapshot that could not be taken (the entry keeps a note in its place). */
  snapshotFailed(err: unknown, target: string): void;
}

export interface CreateAuditLogOptions {
  sql: Sql;
  log: Logger;
  onWriteFailure?: (stage: AuditFailureStage) => void;
}

const OPEN = `INSERT INTO audit_log (actor_kind, actor_id, actor_name, address, operation, target_type, target_id, details, before)
  VALUES ($1::"ActorKind", COALESCE($2::int, $3::int),
          COALESCE((SELECT email FROM users WHERE id = $2::int), (SELECT name FROM api_keys WHERE id = $3::int)),
          $4, $5, $6, $7, $8::jsonb, $9::jsonb)
  RETURNING id`;

const CLOSE = `UPDATE audit_log SET
    outcome = $2,
    target_id = COALESCE($3, target_id),
    after = $4::jsonb,
    actor_kind = CASE WHEN $5::int IS NULL THEN actor_kind ELSE 'user'::"ActorKind" END,
    actor_id = COALESCE($5::int, actor_id),
    actor_name = COALESCE((SELECT email FROM users WHERE id = $5::int), actor_name)
  WHERE id = $1`;

export function createAuditLog({ sql, log, onWriteFailure = () => {} }: CreateAuditLogOptions): AuditLog {
  return {
    async open(e) {
      const userId = e.actor.kind === 'user' ? e.actor.userId : null;
      const keyId = e.actor.kind === 'agent' || e.actor.kind === 'integration' ? e.actor.keyId : null;
      try {
        const [row] = await sql.query<{ id: number }>(OPEN, [
          e.actor.kind, userId, keyId, e.address, e.operation, e.targetType, e.targetId, redactedJson(e.details), redactedJson(e.before),
        ]);
        return row!.id;
      } catch (err) {
        onWriteFailure('open');
        log.error({ err, operation: e.operation }, 'the audit log cannot be written: the mutation is refused');
        throw err;
      }
    },
    async close(id, c) {
      try {
        await sql.query(CLOSE, [id, c.outcome, c.targetId ?? null, redactedJson(c.after), c.actorUserId ?? null]);
      } catch (err) {
        onWriteFailure('close');
        log.error({ err, auditEntry: id, outcome: c.outcome }, 'the outcome of a mutation could not be written to the audit log; its entry shows none');
      }
    },
    snapshotFailed(err, target) {
      onWriteFailure('snapshot');
      log.error({ err, target }, 'an audit snapshot could not be taken; the entry notes it');
    },
    async prune(olderThan) {
      try {
        const rows = await sql.query<{ n: number }>(
          'WITH gone AS (DELETE FROM audit_log WHERE at < $1 RETURNING 1) SELECT count(*)::int AS n FROM gone',
          [olderThan],
        );
        return rows[0]?.n ?? 0;
      } catch (err) {
        onWriteFailure('prune');
        log.error({ err }, 'old audit log entries could not be deleted; retrying next maintenance run');
        return 0;
      }
    },
  };
}
