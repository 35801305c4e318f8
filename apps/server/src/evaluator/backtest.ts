// backtestRule: the live engine run over stored history. Points come from the store (raw samples
// and compacted chunks), in time order; before each instant the timer's boundaries up to it run,
// exactly as live evaluation interleaves its timer with arriving batches. So a backtest shows the
// transitions live evaluation made (or would have made) over the same data. Host outages are not
// stored, so a backtest never shows STALE.
import type { SqlRunner } from '@esmon/db';
import type { AlertEventOut } from '../alerts/types.ts';
import type { RunnableRule } from '../rules/definition.ts';
import { rawPoints } from '../store/range-query.ts';
import { RuleEngine, type EnginePoint } from './engine.ts';

export interface BacktestTransition extends AlertEventOut {
  at: number;
  instance: string;
  hostname: string;
  group: Record<string, string>;
}

export interface BacktestResult {
  transitions: BacktestTransition[];
  /** transitions into each state, plus severity changes */
  counts: { pending: number; firing: number; resolved: number; nodata: number; ok: number; severityChanges: number };
  instances: number;
  evaluations: number;
  points: number;
}

export class BacktestError extends Error {
  override name = 'BacktestError';
}

export const BACKTEST_LIMITS = { maxRangeMs: 31 * 86_400_000, maxPoints: 5_000_000, maxSeries: 5_000 };

/**
 * Runs `rule` (a draft or a stored rule) over [from, to]. Rules it depends on are run from their
 * stored definitions alongside, so suppression is reproduced too.
 */
export async function backtest(
  sql: SqlRunner,
  rule: RunnableRule,
  from: number,
  to: number,
  /** stored rules by id (see evaluator.ts loadRules), for the rules `rule` depends on */
  rulesById: (ids: readonly number[]) => Promise<RunnableRule[]>,
): Promise<BacktestResult> {
  if (!(to > from)) throw new BacktestError('"to" must be after "from"');
  if (to - from > BACKTEST_LIMITS.maxRangeMs) throw new BacktestError('a backtest covers at most 31 days');
  const engine = new RuleEngine({ maxPoints: 1_000_000 });
  const hosts = await sql.query<{ id: number; hostname: string; labels: Record<string, string> }>('SELECT id, hostname, labels FROM hosts');
  for (const h of hosts) engine.setHost({ id: h.id, hostname: h.hostname, labels: h.labels ?? {}, offline: false });
  const rules = [rule, ...(await dependencies(rule, rulesById))];
  for (const r of rules) engine.setRule(r, from);

  const metrics = [...new Set(rules.flatMap((r) => r.compiled.windows.map((w) => w.selector.metric ?? '')))];
  const series = await sql.query<{ id: number; host_id: number; metric: string; labels: Record<string, string> }>(
    metrics.includes('') ? 'SELECT id, host_id, metric, labels FROM series' : 'SELECT id, host_id, metric, labels FROM series WHERE metric = ANY($1::text[])',
    metrics.includes('') ? [] : [metrics],
  );
  const ids = series.filter((s) => engine.addSeries({ id: s.id, hostId: s.host_id, metric: s.metric, labels: s.labels ?? {} })).map((s) => s.id);
  if (ids.length > BACKTEST_LIMITS.maxSeries) throw new BacktestError(`the rule reads ${ids.length} series; a backtest reads at most ${BACKTEST_LIMITS.maxSeries}: narrow its scope`);
  const longest = Math.max(...rules.flatMap((r) => r.compiled.windows.map((w) => w.ms)));
  const points: EnginePoint[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    for (const [seriesId, p] of await rawPoints(sql, ids.slice(i, i + 500), from - longest, to + 1)) {
      for (let k = 0; k < p.ts.length; k++) points.push({ seriesId, ts: p.ts[k]!, value: p.values[k]! });
      if (points.length > BACKTEST_LIMITS.maxPoints) throw new BacktestError(`more than ${BACKTEST_LIMITS.maxPoints} points: shorten the range`);
    }
  }
  points.sort((a, b) => a.ts - b.ts);

  const transitions: BacktestTransition[] = [];
  let evaluations = 0;
  const collect = (list: ReturnType<RuleEngine['tick']>) => {
    evaluations += list.filter((e) => e.rule.id === rule.id).length;
    for (const e of list) {
      if (e.rule.id !== rule.id) continue;
      for (const ev of e.result.events) transitions.push({ ...ev, at: e.at, instance: e.instance.key, hostname: e.instance.hostname, group: e.instance.group });
    }
  };
  // the windows' history before `from` is there, but judged only from `from` on
  let i = 0;
  while (i < points.length && points[i]!.ts < from) i++;
  engine.load(points.slice(0, i));
  while (i < points.length) {
    const ts = points[i]!.ts;
    let j = i;
    while (j < points.length && points[j]!.ts === ts) j++;
    collect(engine.tick(ts - 1));
    collect(engine.ingest(points.slice(i, j)));
    i = j;
  }
  collect(engine.tick(to));

  const counts = { pending: 0, firing: 0, resolved: 0, nodata: 0, ok: 0, severityChanges: 0 };
  for (const t of transitions) {
    if (t.kind === 'severity') counts.severityChanges++;
    else if (t.kind === 'state' && t.to in counts) counts[t.to as keyof typeof counts]++;
  }
  return { transitions, counts, instances: engine.instances(rule.id).length, evaluations, points: points.length };
}

async function dependencies(rule: RunnableRule, rulesById: (ids: readonly number[]) => Promise<RunnableRule[]>): Promise<RunnableRule[]> {
  const out: RunnableRule[] = [];
  const seen = new Set<number>([rule.id]);
  let next = rule.definition.dependsOn.filter((id) => !seen.has(id));
  while (next.length > 0) {
    for (const id of next) seen.add(id);
    const found = await rulesById(next);
    out.push(...found);
    next = [...new Set(found.flatMap((r) => r.definition.dependsOn))].filter((id) => !seen.has(id));
  }
  return out;
}
