import { describe, expect, it } from 'vitest';
import { checkDefinition, runnableRule, type RuleDefinitionInput } from '../rules/definition.ts';
import { RuleEngine, type Evaluation } from './engine.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);

function rule(id: number, input: Partial<RuleDefinitionInput> & Pick<RuleDefinitionInput, 'expression' | 'levels'>) {
  const checked = checkDefinition({ name: `r${id}`, ...input });
  if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
  return runnableRule(id, 1, checked.definition);
}

function engineWith(...rules: ReturnType<typeof rule>[]) {
  const engine = new RuleEngine({ maxPoints: 1000 });
  engine.setHost({ id: 1, hostname: 'web-01', labels: { env: 'prod' }, offline: false });
  engine.setHost({ id: 2, hostname: 'db-01', labels: { env: 'test' }, offline: false });
  for (const r of rules) engine.setRule(r, T0);
  return engine;
}

const transitions = (list: Evaluation[]) =>
  list.flatMap((e) => e.result.events.map((ev) => `${e.rule.id}/${e.instance.key} ${ev.from}>${ev.to}${ev.toSeverity ? `:${ev.toSeverity}` : ''}`));

describe('rule engine', () => {
  it('makes one instance per host in scope and one per groupBy value, and evaluates each at its sample time', () => {
    const engine = engineWith(
      rule(1, { expression: 'last(disk.used, "5m")', levels: [{ severity: 'warning', threshold: 90 }], scope: { labels: { env: 'prod' }, groupBy: ['mount'] } }),
    );
    engine.addSeries({ id: 10, hostId: 1, metric: 'disk.used', labels: { mount: '/' } });
    engine.addSeries({ id: 11, hostId: 1, metric: 'disk.used', labels: { mount: '/var' } });
    expect(engine.addSeries({ id: 12, hostId: 2, metric: 'disk.used', labels: { mount: '/' } })).toBe(false); // out of scope
    const out = engine.ingest([
      { seriesId: 10, ts: T0, value: 95 },
      { seriesId: 11, ts: T0, value: 50 },
      { seriesId: 12, ts: T0, value: 99 },
    ]);
    expect(transitions(out)).toEqual(['1/host:1|mount="/" ok>firing:warning']);
    expect(engine.instances(1).map((i) => i.key).sort()).toEqual(['host:1|mount="/"', 'host:1|mount="/var"']);
  });

  it('merges every series a window matches, and ignores series no rule reads', () => {
    const engine = engineWith(rule(1, { expression: 'avg(cpu, "1m")', levels: [{ severity: 'critical', threshold: 50 }] }));
    engine.addSeries({ id: 1, hostId: 1, metric: 'cpu', labels: { core: '0' } });
    engine.addSeries({ id: 2, hostId: 1, metric: 'cpu', labels: { core: '1' } });
    expect(engine.addSeries({ id: 3, hostId: 1, metric: 'mem', labels: {} })).toBe(false);
    const out = engine.ingest([
      { seriesId: 1, ts: T0, value: 40 },
      { seriesId: 2, ts: T0, value: 80 },
    ]);
    expect(out[0]!.value).toBe(60);
  });

  it('pending fires on the timer without new samples, at interval boundaries', () => {
    const engine = engineWith(rule(1, { expression: 'max(q, "10m") > 5', levels: [{ severity: 'warning' }], forSeconds: 120, evalIntervalSeconds: 30 }));
    engine.addSeries({ id: 1, hostId: 1, metric: 'q', labels: {} });
    expect(transitions(engine.ingest([{ seriesId: 1, ts: T0 + 1000, value: 9 }]))).toEqual(['1/host:1 ok>pending']);
    const ticks = engine.tick(T0 + 3 * MIN);
    expect(transitions(ticks)).toEqual(['1/host:1 pending>firing:warning']);
    expect(ticks.find((e) => e.result.events.length > 0)!.at).toBe(T0 + 2 * MIN + 30_000);
  });

  it('a point older than the last evaluation is kept but not judged again', () => {
    const engine = engineWith(rule(1, { expression: 'last(q, "10m")', levels: [{ severity: 'warning', threshold: 5 }] }));
    engine.addSeries({ id: 1, hostId: 1, metric: 'q', labels: {} });
    engine.ingest([{ seriesId: 1, ts: T0, value: 1 }]);
    expect(engine.ingest([{ seriesId: 1, ts: T0 - 1000, value: 10 }])).toEqual([]);
    expect(engine.skipped).toBe(1);
  });

  it('an offline host makes its alerts stale at once, never resolved; absence rules still fire and suppress dependants', () => {
    const down = rule(1, { expression: 'nodata(up, "3m")', levels: [{ severity: 'critical' }], noDataPolicy: 'ok' });
    const cpu = rule(2, { expression: 'last(cpu, "10m")', levels: [{ severity: 'warning', threshold: 80 }], dependsOn: [1] });
    const engine = engineWith(cpu, down);
    engine.addSeries({ id: 1, hostId: 1, metric: 'up', labels: {} });
    engine.addSeries({ id: 2, hostId: 1, metric: 'cpu', labels: {} });
    expect(transitions(engine.ingest([{ seriesId: 1, ts: T0, value: 1 }, { seriesId: 2, ts: T0, value: 95 }]))).toEqual([
      '2/host:1 ok>firing:warning',
    ]);
    engine.setHost({ id: 1, hostname: 'web-01', labels: { env: 'prod' }, offline: true });
    const later = engine.tick(T0 + 5 * MIN);
    const changes = transitions(later);
    expect(changes).toContain('1/host:1 ok>firing:critical');
    expect(changes.some((c) => c.startsWith('2/') && c.endsWith('resolved'))).toBe(false);
    expect(changes).toContain('2/host:1 firing>stale:warning');
    const last = later.filter((e) => e.rule.id === 2).at(-1)!;
    expect(last.instance.status).toMatchObject({ state: 'stale', stateBefore: 'firing', severity: 'warning' });
    // the agent is back but the host-down rule still fires (its window is still empty): suppressed
    engine.setHost({ id: 1, hostname: 'web-01', labels: { env: 'prod' }, offline: false });
    const back = engine.ingest([{ seriesId: 2, ts: T0 + 6 * MIN, value: 95 }]);
    expect(transitions(back)).toEqual(['2/host:1 stale>firing:warning', '2/host:1 firing>firing:warning']);
    expect(back[0]!.result.events.map((e) => e.kind)).toEqual(['state', 'suppressed']);
    expect(back[0]!.instance.status.suppressed).toBe(true);
  });

  it('stale while offline once the windows are empty, for rules that do not test absence', () => {
    const engine = engineWith(rule(1, { expression: 'last(cpu, "1m")', levels: [{ severity: 'warning', threshold: 80 }], evalIntervalSeconds: 60 }));
    engine.addSeries({ id: 1, hostId: 1, metric: 'cpu', labels: {} });
    engine.ingest([{ seriesId: 1, ts: T0, value: 95 }]);
    engine.setHost({ id: 1, hostname: 'web-01', labels: { env: 'prod' }, offline: true });
    expect(transitions(engine.tick(T0 + 5 * MIN))).toEqual(['1/host:1 firing>stale:warning']);
  });

  it('evaluates dependencies first at the same instant', () => {
    const parent = rule(5, { expression: 'last(up, "1m") < 1', levels: [{ severity: 'critical' }] });
    const child = rule(3, { expression: 'last(cpu, "1m")', levels: [{ severity: 'warning', threshold: 80 }], dependsOn: [5] });
    const engine = engineWith(child, parent);
    engine.addSeries({ id: 1, hostId: 1, metric: 'up', labels: {} });
    engine.addSeries({ id: 2, hostId: 1, metric: 'cpu', labels: {} });
    const out = engine.ingest([{ seriesId: 2, ts: T0, value: 99 }, { seriesId: 1, ts: T0, value: 0 }]);
    expect(transitions(out)).toEqual(['5/host:1 ok>firing:critical']);
  });

  it('keeps an instance’s state when its rule is saved again', () => {
    const engine = engineWith(rule(1, { expression: 'last(q, "5m")', levels: [{ severity: 'warning', threshold: 5 }], forSeconds: 600 }));
    engine.addSeries({ id: 1, hostId: 1, metric: 'q', labels: {} });
    engine.ingest([{ seriesId: 1, ts: T0, value: 10 }]);
    engine.setRule(rule(1, { expression: 'last(q, "5m")', levels: [{ severity: 'warning', threshold: 6 }], forSeconds: 600 }), T0);
    expect(engine.instances(1)[0]!.status).toMatchObject({ state: 'pending', pendingSince: T0 });
  });
});
