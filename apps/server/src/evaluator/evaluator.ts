// Live evaluation: the engine fed by committed ingest batches (after the acknowledgement, never
// delaying it) and by a timer for pending, no-data and recovery; rebuilt from the store at start
// (points for every window, the state of every open alert) so a restart loses no pending time.
import type { PrismaClient, Sql } from '@esmon/db';
import type { AlertStatus } from '../alerts/types.ts';
import type { EventBus, SamplesAddedEvent } from '../events/bus.ts';
import type { Logger } from '../log.ts';
import { checkDefinition, definitionInput, runnableRule, type RunnableRule } from '../rules/definition.ts';
import { definitionOfRule, type RuleRow } from '../rules/rule-rows.ts';
import { rawPoints } from '../store/range-query.ts';
import { createMutes } from '../mute/mutes.ts';
import { createAlertWriter, instanceLabels } from './alert-writer.ts';
import { RuleEngine, type Evaluation } from './engine.ts';
import { createMuting } from './muting.ts';

export interface EvaluatorStats {
  evaluations: number;
  skipped: number;
  /** seconds from a batch's commit to the end of its evaluation, last batch */
  lagSeconds: number;
  points: number;
  writesQueued: number;
}

export interface Evaluator {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Resolves once every batch received so far is evaluated and its transitions stored. */
  settled(): Promise<void>;
  /** Runs the timer now, up to `at` (tests, and the timer itself). */
  tick(at?: number): void;
  stats(): EvaluatorStats;
}

export interface EvaluatorDeps {
  sql: Sql;
  prisma: PrismaClient;
  bus: EventBus;
  log: Logger;
  graceMs: number;
  maxPoints: number;
  /** the clock; tests pass their own */
  now?: () => number;
  /** timer period; 0 = no timer (tests call tick) */
  tickMs?: number;
}

/** A stored rule row as the engine runs it, or undefined (logged) when it no longer checks. */
export function ruleFromRow(row: RuleRow, log?: Logger): RunnableRule | undefined {
  const checked = checkDefinition(definitionInput(definitionOfRule(row)));
  if (!checked.ok) {
    log?.error({ ruleId: row.id, problems: checked.problems }, 'stored rule does not check; not evaluated');
    return undefined;
  }
  return runnableRule(row.id, row.version, checked.definition);
}

/** The stored rules with these ids (all enabled ones when `ids` is absent), as the engine runs them. */
export async function loadRules(prisma: PrismaClient, ids?: readonly number[], log?: Logger): Promise<RunnableRule[]> {
  const rows = await prisma.rule.findMany({ where: ids ? { id: { in: [...ids] } } : { enabled: true } });
  return rows.map((r) => ruleFromRow(r, log)).filter((r): r is RunnableRule => r !== undefined);
}

export function createEvaluator(deps: EvaluatorDeps): Evaluator {
  const now = deps.now ?? Date.now;
  const mutes = createMutes(deps.prisma);
  const muting = createMuting(mutes, (id) => engine.host(id));
  const engine: RuleEngine = new RuleEngine({ maxPoints: deps.maxPoints, gate: muting.gate });
  const writer = createAlertWriter({ sql: deps.sql, bus: deps.bus, log: deps.log, mute: muting.mute });
  let chain: Promise<void> = Promise.resolve();
  let pendingAsync = 0;
  let evaluations = 0;
  let lagSeconds = 0;
  const stops: (() => void)[] = [];
  let timer: NodeJS.Timeout | undefined;

  function emit(list: Evaluation[]): void {
    evaluations += list.length;
    writer.enqueue(list);
  }

  /** Keeps events in arrival order: work that needs the database waits its turn. */
  function serial(work: () => Promise<void> | void): void {
    pendingAsync++;
    chain = chain
      .then(work)
      .catch((err: unknown) => deps.log.error({ err }, 'rule evaluation failed'))
      .finally(() => pendingAsync--);
  }

  async function loadHost(id: number): Promise<void> {
    const [h] = await deps.sql.query<{ id: number; hostname: string; labels: Record<string, string>; status: string }>(
      'SELECT id, hostname, labels, status::text FROM hosts WHERE id = $1',
      [id],
    );
    if (h) engine.setHost({ id: h.id, hostname: h.hostname, labels: h.labels ?? {}, offline: h.status === 'offline' });
  }

  function onSamples(event: SamplesAddedEvent): void {
    const committedAt = now();
    const work = () => {
      const points = [];
      for (const s of event.samples) {
        if (!engine.hasSeries(s.seriesId) && !engine.readsMetric(s.metric)) continue;
        if (!engine.addSeries({ id: s.seriesId, hostId: event.hostId, metric: s.metric, labels: s.labels })) continue;
        points.push({ seriesId: s.seriesId, ts: s.ts.getTime(), value: s.value });
      }
      if (points.length > 0) emit(engine.ingest(points));
      lagSeconds = (now() - committedAt) / 1000;
    };
    if (engine.host(event.hostId) && pendingAsync === 0) return work();
    serial(async () => {
      if (!engine.host(event.hostId)) await loadHost(event.hostId);
      work();
    });
  }

  async function loadRule(id: number): Promise<void> {
    const [rule] = await loadRules(deps.prisma, [id], deps.log);
    if (!rule || !rule.definition.enabled) {
      engine.removeRule(id);
      return;
    }
    engine.setRule(rule, now());
    await warmUp([rule]);
  }

  /** Series of the rules' metrics, and their recent points, from the store. */
  async function warmUp(rules: RunnableRule[]): Promise<void> {
    const metrics = [...new Set(rules.flatMap((r) => r.compiled.windows.map((w) => w.selector.metric ?? '')))];
    const anyMetric = metrics.includes('');
    const series = await deps.sql.query<{ id: number; host_id: number; metric: string; labels: Record<string, string> }>(
      anyMetric
        ? 'SELECT id, host_id, metric, labels FROM series'
        : 'SELECT id, host_id, metric, labels FROM series WHERE metric = ANY($1::text[])',
      anyMetric ? [] : [metrics],
    );
    const longest = Math.max(0, ...rules.flatMap((r) => r.compiled.windows.map((w) => w.ms))) + 60_000;
    const wanted: number[] = [];
    for (const s of series) {
      if (!engine.host(s.host_id)) await loadHost(s.host_id);
      if (engine.addSeries({ id: s.id, hostId: s.host_id, metric: s.metric, labels: s.labels ?? {} })) wanted.push(s.id);
    }
    const to = now() + 1;
    for (let i = 0; i < wanted.length; i += 500) {
      const points = await rawPoints(deps.sql, wanted.slice(i, i + 500), to - longest, to);
      for (const [seriesId, p] of points) engine.load(p.ts.map((ts, k) => ({ seriesId, ts, value: p.values[k]! })));
    }
  }

  async function start(): Promise<void> {
    await mutes.reload();
    const hosts = await deps.sql.query<{ id: number; hostname: string; labels: Record<string, string>; status: string }>(
      'SELECT id, hostname, labels, status::text FROM hosts',
    );
    for (const h of hosts) engine.setHost({ id: h.id, hostname: h.hostname, labels: h.labels ?? {}, offline: h.status === 'offline' });
    const rules = await loadRules(deps.prisma, undefined, deps.log);
    for (const r of rules) engine.setRule(r, now());
    await warmUp(rules);
    const open = await deps.sql.query<{ id: number; rule_id: number; fingerprint: string; state: string; fired_at: Date | null; announced: boolean; held: boolean; status: { status?: AlertStatus; lastEvalAt?: number } }>(
      `SELECT a.id, a.rule_id, a.fingerprint, a.state::text, a.fired_at, a.status,
              EXISTS (SELECT 1 FROM alert_events e WHERE e.alert_id = a.id AND e.notify AND e.to_state IN ('firing', 'nodata')) AS announced,
              EXISTS (SELECT 1 FROM alert_events e WHERE e.alert_id = a.id AND NOT e.notify AND e.to_state IN ('firing', 'nodata')
                      AND (e.muted_by LIKE 'silence:%' OR e.muted_by LIKE 'maintenance:%')) AS held
       FROM alerts a WHERE a.open_key IS NOT NULL`,
    );
    for (const a of open) {
      writer.restoreOpen(a.rule_id, a.fingerprint, a.id, a.fired_at !== null || a.state === 'nodata', a.announced, a.held);
      if (a.status?.status) engine.restore(a.rule_id, a.fingerprint, a.status.status, a.status.lastEvalAt ?? Number.NEGATIVE_INFINITY);
    }
    deps.log.info({ rules: rules.length, openAlerts: open.length, points: engine.pointCount() }, 'rule evaluator ready');
    listen(deps.bus.subscribe('samplesCommitted'), onSamples);
    listen(deps.bus.subscribe('hostStatusChanged'), (e) =>
      serial(async () => {
        await loadHost(e.hostId);
      }),
    );
    listen(deps.bus.subscribe('mutesChanged'), () => serial(() => mutes.reload()));
    listen(deps.bus.subscribe('ruleChanged'), (e) => serial(() => (e.deleted ? engine.removeRule(e.ruleId) : loadRule(e.ruleId))));
    listen(deps.bus.subscribe('alertResolvedManually'), (e) =>
      serial(() => {
        engine.reset(e.ruleId, e.fingerprint);
        writer.forget(e.ruleId, e.fingerprint);
      }),
    );
    if (deps.tickMs !== 0) {
      timer = setInterval(() => serial(() => tick()), deps.tickMs ?? 1000);
      timer.unref();
    }
  }

  /** Hands every event of a bus channel to `handler`, in order, until stop(). */
  function listen<T>(events: AsyncIterable<T>, handler: (event: T) => void): void {
    const iterator = events[Symbol.asyncIterator]();
    let stopped = false;
    stops.push(() => {
      stopped = true;
      void iterator.return?.();
    });
    void (async () => {
      while (!stopped) {
        const next = await iterator.next();
        if (next.done) return;
        handler(next.value);
      }
    })();
  }

  function tick(at = now() - deps.graceMs): void {
    emit(engine.tick(at));
    // mutes are asked about the present, not the grace-delayed instant: a silence made a moment
    // ago did not exist `grace` before, yet holds the alert now
    announceUnmuted(Math.max(at, now()));
  }

  /**
   * Alerts still firing whose notifications a silence or maintenance window held: once nothing
   * mutes them any more, channels hear of them (an `unmuted` event), as Alertmanager does when a
   * silence expires — unless a maintenance window asked to mute its first recovery, which keeps
   * it quiet until it has recovered once. Flapping and dependency holds end through the engine's
   * own events.
   */
  function announceUnmuted(at: number): void {
    for (const { ruleId, key } of writer.held()) {
      const rule = engine.rule(ruleId);
      const instance = rule && engine.instances(ruleId).find((i) => i.key === key);
      const status = instance?.status;
      if (!rule || !instance || !status || (status.state !== 'firing' && status.state !== 'nodata')) continue;
      if (status.flapping || status.suppressed) continue;
      const target = { ruleId, rule: rule.definition.name, hostId: instance.hostId, host: instance.hostname, labels: instanceLabels(rule, instance) };
      // a window that mutes the first recovery keeps the alerts open during the work quiet until then
      if (muting.awaitsFirstRecovery(`${ruleId}:${key}`)) continue;
      if (muting.mute(target, at, { resolving: false, instanceKey: `${ruleId}:${key}`, announced: false }) !== undefined) continue;
      writer.unhold(ruleId, key);
      const severity = status.severity;
      emit([
        {
          rule,
          instance,
          at,
          previous: status,
          value: status.lastValue,
          result: {
            status,
            events: [
              {
                kind: 'unmuted',
                from: status.state,
                to: status.state,
                ...(severity ? { fromSeverity: severity, toSeverity: severity } : {}),
                reason: 'no silence or maintenance window holds it any more',
                notify: true,
              },
            ],
          },
        },
      ]);
    }
  }

  return {
    start,
    tick: (at) => serial(() => tick(at)),
    async settled() {
      let seen: Promise<void>;
      do {
        seen = chain;
        await seen;
        await writer.flush();
      } while (seen !== chain || pendingAsync > 0);
    },
    async stop() {
      if (timer) clearInterval(timer);
      for (const s of stops) s();
      await chain;
      await writer.flush();
    },
    stats: () => ({
      evaluations,
      skipped: engine.skipped,
      lagSeconds,
      points: engine.pointCount(),
      writesQueued: writer.queued(),
    }),
  };
}
