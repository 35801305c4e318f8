// Stores what the engine decided: one open alert row per rule × instance (opened by pending,
// firing or no data, closed by ok or resolved), every transition a row in alert history with its
// reason and value, and whether channels will hear of it (silences, maintenance and flapping hold
// notifications). Writes happen after the ingest commit, grouped: all evaluations queued while a
// transaction runs go into the next one. Events are published only after their commit.
import type { Sql, SqlRunner } from '@esmon/db';
import type { AlertEventMessage, EventBus } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import { renderAnnotations } from '../rules/annotations.ts';
import type { RunnableRule } from '../rules/definition.ts';
import type { Evaluation, Instance } from './engine.ts';

export interface AlertTarget {
  ruleId: number;
  rule: string;
  hostId: number;
  host: string;
  labels: Record<string, string>;
}

/** Why channels must not hear of an event now: "silence:3", "maintenance:2", or undefined. */
export type NotificationMute = (
  target: AlertTarget,
  at: number,
  kind: { resolving: boolean; instanceKey: string; /** its firing (or no data) reached the channels */ announced: boolean },
) => string | undefined;

interface OpenAlert {
  id: number;
  /** fired or reported no data at least once: closing it is a resolution, not a quiet "ok" */
  alerted: boolean;
  /** channels were told it fires (or reports no data): its recovery is news to them */
  announced: boolean;
  /** its firing was kept from the channels by a silence or maintenance window, not yet announced */
  held: boolean;
}

export interface AlertWriter {
  enqueue(evaluations: readonly Evaluation[]): void;
  /** Resolves when everything queued so far is stored. */
  flush(): Promise<void>;
  openAlertId(ruleId: number, key: string): number | undefined;
  restoreOpen(ruleId: number, key: string, id: number, alerted: boolean, announced: boolean, held: boolean): void;
  /** Open alerts whose firing a mute kept from the channels: to announce once the mute ends. */
  held(): { ruleId: number; key: string }[];
  /** Stops listing an alert as held (its announcement is on its way). */
  unhold(ruleId: number, key: string): void;
  forget(ruleId: number, key: string): void;
  queued(): number;
}

const openKey = (ruleId: number, key: string) => `${ruleId}:${key}`;

/** The tail of a statement whose CTE `a` returned the alert id: inserts the events (JSON rows). */
const INSERT_EVENTS = (at: string, events: string) => `e AS (
  INSERT INTO alert_events (alert_id, at, kind, from_state, to_state, from_severity, severity, value, message, notify, muted_by)
  SELECT a.id, ${at}, x.kind, x.from_state::"AlertState", x.to_state::"AlertState", x.from_severity::"Severity",
         x.severity::"Severity", x.value, x.message, x.notify, x.muted_by
  FROM a CROSS JOIN ROWS FROM (jsonb_to_recordset(${events}::jsonb) AS (kind text, from_state text, to_state text,
       from_severity text, severity text, value float8, message text, notify boolean, muted_by text))
       WITH ORDINALITY AS x(kind, from_state, to_state, from_severity, severity, value, message, notify, muted_by, n)
  ORDER BY x.n
  RETURNING id
)
SELECT (SELECT id FROM a) AS alert_id, COALESCE((SELECT array_agg(id ORDER BY id) FROM e), '{}') AS event_ids`;

/** An alert's labels: the rule's, the instance's group, and its host. */
export function instanceLabels(rule: RunnableRule, instance: Instance): Record<string, string> {
  return { ...rule.definition.labels, ...instance.group, host: instance.hostname };
}

export function createAlertWriter(deps: { sql: Sql; bus: EventBus; log: Logger; mute: NotificationMute }): AlertWriter {
  const open = new Map<string, OpenAlert>();
  let queue: Evaluation[] = [];
  let running: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      for (let attempt = 1; ; attempt++) {
        const snapshot = new Map(open);
        try {
          // one evaluation is one statement, atomic by itself: no BEGIN/COMMIT round trips
          const messages = batch.length === 1 ? await storeOne(deps.sql, batch[0]!) : await deps.sql.transaction((tx) => store(tx, batch));
          for (const m of messages) deps.bus.publish('alertEvents', m);
          break;
        } catch (err) {
          // nothing of the batch is stored: restore our view of open alerts and try again
          open.clear();
          for (const [k, v] of snapshot) open.set(k, v);
          deps.log.error({ err, attempt, evaluations: batch.length }, 'storing alert transitions failed; retrying');
          await new Promise((r) => setTimeout(r, Math.min(30_000, 250 * 2 ** attempt)));
        }
      }
    }
  }

  async function store(tx: SqlRunner, batch: Evaluation[]): Promise<AlertEventMessage[]> {
    const messages: AlertEventMessage[] = [];
    for (const e of batch) messages.push(...(await storeOne(tx, e)));
    return messages;
  }

  /** One statement per evaluation (alert row and its events together): one round trip. */
  async function storeOne(tx: SqlRunner, e: Evaluation): Promise<AlertEventMessage[]> {
    const { events, status } = e.result;
    if (events.length === 0) return [];
    const k = openKey(e.rule.id, e.instance.key);
    let row: OpenAlert | undefined = open.get(k);
    const at = new Date(e.at);
    const labels = instanceLabels(e.rule, e.instance);
    const value = e.value ?? status.lastValue ?? null;
    const annotations = JSON.stringify(
      renderAnnotations(e.rule.definition.annotations, {
        host: e.instance.hostname,
        ...(value !== null ? { value } : {}),
        ...(status.severity ? { severity: status.severity } : {}),
        rule: e.rule.definition.name,
        state: status.state,
        labels,
      }),
    );
    const stored = JSON.stringify({ status, lastEvalAt: e.at });
    const closing = status.state === 'ok' || status.state === 'resolved';
    const target = { ruleId: e.rule.id, rule: e.rule.definition.name, hostId: e.instance.hostId, host: e.instance.hostname, labels };
    let announced = row?.announced ?? false;
    let held = row?.held ?? false;
    const rows = events.map((ev) => {
      const resolving = ev.to === 'resolved' || (ev.to === 'ok' && ev.from === 'nodata');
      const alerting = ev.to === 'firing' || ev.to === 'nodata';
      let mutedBy: string | null = null;
      if (ev.notify) mutedBy = deps.mute(target, e.at, { resolving, instanceKey: k, announced }) ?? null;
      // the channels never heard it fire: its recovery is no news to them
      if (ev.notify && mutedBy === null && resolving && !announced) mutedBy = 'never announced';
      if (ev.notify && mutedBy === null && alerting) announced = true;
      if (ev.notify && mutedBy !== null && alerting) held = true;
      else if (status.flapping || ev.kind === 'flapping_start') mutedBy = 'flapping';
      else if (status.suppressed) mutedBy = 'dependency';
      return {
        kind: ev.kind,
        from_state: ev.from,
        to_state: ev.to,
        from_severity: ev.fromSeverity ?? null,
        severity: ev.toSeverity ?? null,
        value: ev.value ?? value,
        message: ev.reason,
        notify: ev.notify && mutedBy === null,
        muted_by: mutedBy,
      };
    });
    const eventsJson = JSON.stringify(rows);
    let ids: { alert_id: number | null; event_ids: number[] } | undefined;
    if (row) {
      row.alerted ||= status.state === 'firing' || status.state === 'nodata';
      row.announced = announced;
      row.held = held && !announced;
      const state = closing ? (row.alerted ? 'resolved' : 'ok') : status.state;
      // open_key IS NOT NULL: a person may have resolved the alert since; then it stays resolved
      [ids] = await tx.query<{ alert_id: number | null; event_ids: number[] }>(
        `WITH a AS (
           UPDATE alerts SET state = $2::"AlertState", severity = COALESCE($3::"Severity", severity), value = $4,
                  fired_at = COALESCE(fired_at, $5), resolved_at = $6, status = $7::jsonb, flapping = $8, suppressed = $9,
                  open_key = $10, annotations = $11::jsonb, version = version + 1, updated_at = now()
           WHERE id = $1 AND open_key IS NOT NULL RETURNING id
         ), ${INSERT_EVENTS('$12', '$13')}`,
        [
          row.id, state, status.severity ?? null, value, status.state === 'firing' ? at : null, closing ? at : null,
          stored, status.flapping, status.suppressed, closing ? null : k, annotations, at, eventsJson,
        ],
      );
      if (closing || ids?.alert_id == null) open.delete(k);
      if (ids?.alert_id == null) row = undefined;
    }
    if (!row) {
      if (closing || status.state === 'stale') return []; // nothing open to record it on
      [ids] = await tx.query<{ alert_id: number; event_ids: number[] }>(
        `WITH a AS (
           INSERT INTO alerts (rule_id, fingerprint, host_id, labels, state, severity, value, started_at, fired_at,
                               status, flapping, suppressed, open_key, annotations, updated_at)
           VALUES ($1, $2, $3, $4::jsonb, $5::"AlertState", $6::"Severity", $7, $8, $9, $10::jsonb, $11, $12, $13, $14::jsonb, now())
           RETURNING id
         ), ${INSERT_EVENTS('$8', '$15')}`,
        [
          e.rule.id, e.instance.key, e.instance.hostId, JSON.stringify(labels), status.state, status.severity ?? null,
          value, at, status.state === 'firing' ? at : null, stored, status.flapping, status.suppressed, k, annotations,
          eventsJson,
        ],
      );
      row = { id: ids!.alert_id!, alerted: status.state === 'firing' || status.state === 'nodata', announced, held: held && !announced };
      open.set(k, row);
    }
    const alertId = row.id;
    return rows.map((r, i) => ({
      id: ids!.event_ids[i]!,
      alertId,
      ruleId: e.rule.id,
      ruleName: e.rule.definition.name,
      fingerprint: e.instance.key,
      hostId: e.instance.hostId,
      hostname: e.instance.hostname,
      labels,
      kind: r.kind,
      fromState: r.from_state,
      toState: r.to_state,
      fromSeverity: r.from_severity,
      severity: r.severity,
      value: r.value,
      message: r.message,
      notify: r.notify,
      mutedBy: r.muted_by,
      userId: null,
      at,
    }));
  }

  return {
    enqueue(evaluations) {
      for (const e of evaluations) if (e.result.events.length > 0) queue.push(e);
      if (queue.length > 0 && !running) {
        running = drain().finally(() => {
          running = undefined;
        });
      }
    },
    async flush() {
      while (running) await running;
    },
    openAlertId: (ruleId, key) => open.get(openKey(ruleId, key))?.id,
    restoreOpen(ruleId, key, id, alerted, announced, held) {
      open.set(openKey(ruleId, key), { id, alerted, announced, held: held && !announced });
    },
    held() {
      const list: { ruleId: number; key: string }[] = [];
      for (const [k, a] of open) {
        if (!a.held) continue;
        const colon = k.indexOf(':');
        list.push({ ruleId: Number(k.slice(0, colon)), key: k.slice(colon + 1) });
      }
      return list;
    },
    unhold(ruleId, key) {
      const a = open.get(openKey(ruleId, key));
      if (a) a.held = false;
    },
    forget(ruleId, key) {
      open.delete(openKey(ruleId, key));
    },
    queued: () => queue.length,
  };
}
