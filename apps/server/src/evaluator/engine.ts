// The rule engine: series points in memory, rule instances (rule × host, or × label group), and
// the evaluations that feed the alert state machine. No I/O and no clock: live evaluation and
// backtests drive the same engine, the first from committed batches and a wall-clock timer, the
// second from stored history, so both reach the same transitions from the same data.
import { computeWindow, hostInScope } from '@esmon/schema';
import { transition } from '../alerts/transition.ts';
import { initialAlertStatus, type AlertStatus, type Observation, type TransitionResult } from '../alerts/types.ts';
import type { RunnableRule } from '../rules/definition.ts';
import { mergedPoints, SeriesBuffer } from './series-buffer.ts';
import { groupLabels, instanceKey, seriesMatches } from './series-match.ts';

export interface EngineHost {
  id: number;
  hostname: string;
  labels: Record<string, string>;
  offline: boolean;
}

export interface EngineSeries {
  id: number;
  hostId: number;
  metric: string;
  labels: Record<string, string>;
}

export interface EnginePoint {
  seriesId: number;
  ts: number;
  value: number;
}

export interface Instance {
  key: string;
  ruleId: number;
  hostId: number;
  hostname: string;
  group: Record<string, string>;
  /** per rule window: the series feeding it */
  series: Set<number>[];
  status: AlertStatus;
  /** time of the last evaluation; -Infinity before the first */
  lastEvalAt: number;
  /** the earliest point seen: the timer leaves an instance alone before its first sample */
  firstSeen: number;
}

export interface Evaluation {
  rule: RunnableRule;
  instance: Instance;
  at: number;
  previous: AlertStatus;
  result: TransitionResult;
  /** the rule's value at this evaluation (a condition's left-hand side), for history */
  value: number | undefined;
}

/** Whether an instance is evaluated at all now (maintenance windows may stop evaluation). */
export type EvaluationGate = (rule: RunnableRule, instance: Instance, now: number) => boolean;

interface RuleRuntime {
  rule: RunnableRule;
  instances: Map<string, Instance>;
  /** reads a window that is meaningful without data (nodata, count): not stale while offline */
  detectsAbsence: boolean;
  nextTick: number;
}

export interface EngineOptions {
  /** per series, at most this many points are kept */
  maxPoints: number;
  gate?: EvaluationGate;
}

export class RuleEngine {
  private readonly rules = new Map<number, RuleRuntime>();
  /** rule ids, dependencies first */
  private order: number[] = [];
  /** the metrics the rules' windows name, kept with the rules; any, when a selector names none */
  private metricsRead = new Set<string>();
  private readsAnyMetric = false;
  private readonly hosts = new Map<number, EngineHost>();
  private readonly series = new Map<number, EngineSeries>();
  private readonly buffers = new Map<number, SeriesBuffer>();
  /** series id → instances it feeds */
  private readonly feeds = new Map<number, Instance[]>();
  skipped = 0;

  constructor(private readonly options: EngineOptions) {}

  // --- what the engine knows -------------------------------------------------------------

  setHost(host: EngineHost): void {
    const before = this.hosts.get(host.id);
    this.hosts.set(host.id, host);
    if (before && JSON.stringify(before.labels) !== JSON.stringify(host.labels)) this.rebuildInstances();
  }

  host(id: number): EngineHost | undefined {
    return this.hosts.get(id);
  }

  hasSeries(id: number): boolean {
    return this.series.has(id);
  }

  /** Adds or replaces a rule, keeping the state of instances it already had. */
  setRule(rule: RunnableRule, now: number): void {
    const previous = this.rules.get(rule.id);
    const interval = rule.definition.evalIntervalSeconds * 1000;
    this.rules.set(rule.id, {
      rule,
      instances: previous?.instances ?? new Map(),
      detectsAbsence: rule.compiled.windows.some((w) => w.fn === 'nodata' || w.fn === 'count'),
      nextTick: previous?.nextTick ?? Math.floor(now / interval) * interval + interval,
    });
    this.indexRules();
    this.rebuildInstances();
  }

  removeRule(id: number): void {
    this.rules.delete(id);
    this.indexRules();
    this.rebuildInstances();
  }

  rule(id: number): RunnableRule | undefined {
    return this.rules.get(id)?.rule;
  }

  instances(ruleId: number): Instance[] {
    return [...(this.rules.get(ruleId)?.instances.values() ?? [])];
  }

  /** Restores a stored status (restart): the instance continues where it was. */
  restore(ruleId: number, key: string, status: AlertStatus, lastEvalAt: number): void {
    const instance = this.rules.get(ruleId)?.instances.get(key);
    if (!instance) return;
    instance.status = status;
    instance.lastEvalAt = lastEvalAt;
  }

  /** Forgets an instance's state (a person resolved its alert). */
  reset(ruleId: number, key: string): void {
    const instance = this.rules.get(ruleId)?.instances.get(key);
    if (instance) instance.status = { ...initialAlertStatus(), changes: instance.status.changes };
  }

  /** Metrics some rule reads: batches without them cost nothing (asked for every new sample). */
  readsMetric(metric: string): boolean {
    return this.readsAnyMetric || this.metricsRead.has(metric);
  }

  /** Registers a series; returns false when no rule reads it (its points are not kept). */
  addSeries(s: EngineSeries): boolean {
    if (!this.series.has(s.id)) {
      this.series.set(s.id, s);
      this.attach(s);
    }
    return this.buffers.has(s.id);
  }

  /** Points without evaluation: warming up from the store at start. */
  load(points: readonly EnginePoint[]): void {
    for (const p of points) {
      const buffer = this.buffers.get(p.seriesId);
      if (!buffer) continue;
      buffer.add(p.ts, p.value);
      this.seen(p);
    }
  }

  private seen(p: EnginePoint): void {
    for (const instance of this.feeds.get(p.seriesId) ?? []) if (p.ts < instance.firstSeen) instance.firstSeen = p.ts;
  }

  pointCount(): number {
    let n = 0;
    for (const b of this.buffers.values()) n += b.ts.length;
    return n;
  }

  // --- evaluation ------------------------------------------------------------------------

  /**
   * New points of one host, evaluated at each distinct timestamp in order: the instances they
   * feed are evaluated with `now` = that timestamp, dependencies first.
   */
  ingest(points: readonly EnginePoint[]): Evaluation[] {
    const byTs = new Map<number, EnginePoint[]>();
    for (const p of points) {
      if (!this.buffers.has(p.seriesId)) continue;
      const list = byTs.get(p.ts);
      if (list) list.push(p);
      else byTs.set(p.ts, [p]);
    }
    const out: Evaluation[] = [];
    for (const ts of [...byTs.keys()].sort((a, b) => a - b)) {
      const touched = new Set<Instance>();
      for (const p of byTs.get(ts)!) {
        const buffer = this.buffers.get(p.seriesId)!;
        buffer.add(p.ts, p.value);
        buffer.trim(ts);
        this.seen(p);
        for (const instance of this.feeds.get(p.seriesId) ?? []) touched.add(instance);
      }
      for (const ruleId of this.order) {
        for (const instance of touched) {
          if (instance.ruleId !== ruleId) continue;
          if (ts < instance.lastEvalAt) {
            // a point older than the last evaluation: kept for later windows, never re-judged
            this.skipped++;
            continue;
          }
          const e = this.evaluate(this.rules.get(ruleId)!, instance, ts);
          if (e) out.push(e);
        }
      }
    }
    return out;
  }

  /**
   * Timer evaluations at every rule's interval boundaries up to `upTo`, in time order: each
   * instance not evaluated since that boundary is evaluated at it (pending times, no data,
   * keep-firing-for and recovery all move on without new samples).
   */
  tick(upTo: number): Evaluation[] {
    const due: { at: number; rt: RuleRuntime }[] = [];
    for (const rt of this.rules.values()) {
      const interval = rt.rule.definition.evalIntervalSeconds * 1000;
      while (rt.nextTick <= upTo) {
        due.push({ at: rt.nextTick, rt });
        rt.nextTick += interval;
      }
    }
    const rank = new Map(this.order.map((id, i) => [id, i]));
    due.sort((a, b) => a.at - b.at || rank.get(a.rt.rule.id)! - rank.get(b.rt.rule.id)!);
    const out: Evaluation[] = [];
    for (const { at, rt } of due) {
      for (const instance of rt.instances.values()) {
        if (instance.lastEvalAt >= at || instance.firstSeen > at) continue;
        const e = this.evaluate(rt, instance, at);
        if (e) out.push(e);
      }
    }
    return out;
  }

  /** Evaluates every instance of every rule now (a host going offline, a rule saved). */
  private evaluate(rt: RuleRuntime, instance: Instance, now: number): Evaluation | undefined {
    const { rule } = rt;
    if (this.options.gate && !this.options.gate(rule, instance, now)) return undefined;
    const values = rule.compiled.windows.map((w, i) => {
      const buffers = [...instance.series[i]!].map((id) => this.buffers.get(id)!).filter(Boolean);
      return computeWindow({ fn: w.fn, ms: w.ms, ...(w.p !== undefined ? { p: w.p } : {}) }, mergedPoints(buffers), now);
    });
    const r = rule.compiled.evaluate(values);
    const noData = rule.compiled.type === 'condition' ? r.result === undefined : r.value === undefined;
    let observation: Observation;
    if (this.hosts.get(instance.hostId)?.offline && (noData || !rt.detectsAbsence)) observation = { kind: 'stale' };
    else if (this.dependencyFiring(rule, instance)) observation = { kind: 'suppressed' };
    else if (noData) observation = { kind: 'nodata' };
    else if (rule.compiled.type === 'condition') observation = { kind: 'value', value: r.result ? 1 : 0 };
    else observation = { kind: 'value', value: r.value! };
    const previous = instance.status;
    const result = transition(previous, observation, rule.policy, now);
    instance.status = result.status;
    instance.lastEvalAt = now;
    return { rule, instance, at: now, previous, result, value: r.value };
  }

  private dependencyFiring(rule: RunnableRule, instance: Instance): boolean {
    for (const id of rule.definition.dependsOn) {
      const dep = this.rules.get(id);
      if (!dep) continue;
      for (const other of dep.instances.values()) {
        if (other.hostId === instance.hostId && other.status.state === 'firing') return true;
      }
    }
    return false;
  }

  // --- instances -------------------------------------------------------------------------

  /** Dependency order and the metrics read, after any change to the rules. */
  private indexRules(): void {
    const selectors = [...this.rules.values()].flatMap((rt) => rt.rule.compiled.windows.map((w) => w.selector));
    this.metricsRead = new Set(selectors.flatMap((sel) => (sel.metric === undefined ? [] : [sel.metric])));
    this.readsAnyMetric = selectors.some((sel) => sel.metric === undefined);
    const order: number[] = [];
    const seen = new Set<number>();
    const visit = (id: number, path: Set<number>) => {
      if (seen.has(id) || path.has(id) || !this.rules.has(id)) return;
      path.add(id);
      for (const dep of this.rules.get(id)!.rule.definition.dependsOn) visit(dep, path);
      seen.add(id);
      order.push(id);
    };
    for (const id of [...this.rules.keys()].sort((a, b) => a - b)) visit(id, new Set());
    this.order = order;
  }

  private rebuildInstances(): void {
    this.feeds.clear();
    for (const rt of this.rules.values()) for (const i of rt.instances.values()) i.series.forEach((s) => s.clear());
    const keep = new Map<number, number>();
    for (const s of this.series.values()) this.attach(s, keep);
    for (const [id, buffer] of this.buffers) {
      const ms = keep.get(id);
      if (ms === undefined) this.buffers.delete(id);
      else buffer.keepMs = ms;
    }
  }

  /** Links a series to the instances whose windows it matches, creating instances as needed. */
  private attach(s: EngineSeries, keep?: Map<number, number>): void {
    const host = this.hosts.get(s.hostId);
    if (!host) return;
    const identity = { hostname: host.hostname, metric: s.metric, labels: s.labels };
    let keepMs = -1;
    for (const rt of this.rules.values()) {
      const { definition, compiled } = rt.rule;
      if (!definition.enabled || !hostInScope(definition.scope, host)) continue;
      const groupBy = definition.scope.groupBy ?? [];
      compiled.windows.forEach((w, i) => {
        if (!seriesMatches(w.selector, identity)) return;
        const instance = this.instanceFor(rt, host, groupBy, s.labels);
        instance.series[i]!.add(s.id);
        const fed = this.feeds.get(s.id);
        if (!fed) this.feeds.set(s.id, [instance]);
        else if (!fed.includes(instance)) fed.push(instance);
        keepMs = Math.max(keepMs, w.ms + 60_000);
      });
    }
    if (keepMs < 0) return;
    if (keep) keep.set(s.id, Math.max(keep.get(s.id) ?? 0, keepMs));
    const buffer = this.buffers.get(s.id);
    if (!buffer) this.buffers.set(s.id, new SeriesBuffer(keepMs, this.options.maxPoints));
    else if (!keep) buffer.keepMs = Math.max(buffer.keepMs, keepMs);
  }

  private instanceFor(rt: RuleRuntime, host: EngineHost, groupBy: string[], labels: Record<string, string>): Instance {
    const key = instanceKey(host.id, groupBy, labels);
    let instance = rt.instances.get(key);
    if (!instance) {
      instance = {
        key,
        ruleId: rt.rule.id,
        hostId: host.id,
        hostname: host.hostname,
        group: groupLabels(groupBy, labels),
        series: rt.rule.compiled.windows.map(() => new Set<number>()),
        status: initialAlertStatus(),
        lastEvalAt: Number.NEGATIVE_INFINITY,
        firstSeen: Number.POSITIVE_INFINITY,
      };
      rt.instances.set(key, instance);
    } else if (instance.series.length !== rt.rule.compiled.windows.length) {
      instance.series = rt.rule.compiled.windows.map(() => new Set<number>());
    }
    return instance;
  }
}
