// A backtest over stored history equals what live evaluation did with the same samples: the live
// side goes through HTTP ingest, the commit, the bus, the evaluator and the alert tables; the
// backtest reads the store. The live timer is driven explicitly at the instants the backtest uses
// (in production it runs on the wall clock, ESMON_EVAL_GRACE behind it).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabaseKind } from '@esmon/db/testing';
import { prng } from '@esmon/schema/testing';
import { backtest } from '../src/evaluator/backtest.ts';
import { loadRules } from '../src/evaluator/evaluator.ts';
import { checkDefinition, runnableRule, type RuleDefinitionInput } from '../src/rules/definition.ts';
import { startTestServer, type TestServer } from './harness.ts';
import { insertRule } from './rule-fixture.ts';

const STEP = 10_000;

describe(`backtest equals live evaluation (${testDatabaseKind()})`, () => {
  let s: TestServer;
  beforeAll(async () => {
    // samples run ahead of the clock here so that the live timer never runs on its own before them
    s = await startTestServer({ ESMON_INGEST_MAX_FUTURE: '3h' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('reaches the same transitions, at the same instants, for every instance', async () => {
    const input: RuleDefinitionInput = {
      name: 'backtest load',
      expression: 'avg(bt.load, "1m")',
      levels: [
        { severity: 'warning', threshold: 70, recovery: 65 },
        { severity: 'critical', threshold: 85, recovery: 80 },
      ],
      forSeconds: 60,
      keepFiringSeconds: 30,
      evalIntervalSeconds: 30,
      noDataPolicy: 'nodata',
    };
    const from = Date.now();
    const ruleId = await insertRule(s.db.sql, s.bus, input);
    await s.evaluator.settled();
    const key = await s.integrationKey('analyst');
    const random = prng(7);
    const phase = { a: 0, b: 2 };
    let ts = from;
    for (let step = 1; step <= 200; step++) {
      ts = from + step * STEP;
      const hosts = [];
      for (const h of ['a', 'b'] as const) {
        // two slow waves through every threshold, with noise that makes them cross back and forth
        const value = 68 + 24 * Math.sin(step / 15 + phase[h]) + (random() - 0.5) * 8;
        // host b goes quiet for three minutes: its window empties (no data) and fills again
        if (h === 'b' && step >= 80 && step < 98) continue;
        hosts.push({ hostname: `bt-${h}`, samples: [{ metric: 'bt.load', ts, value: Math.round(value * 10) / 10 }] });
      }
      s.evaluator.tick(ts - 1);
      const res = await s.ingest({ batchId: `bt-${process.pid}-${step}`, hosts }, key);
      expect(res.status).toBe(200);
      await s.evaluator.settled();
    }
    const to = ts + 5 * 60_000;
    s.evaluator.tick(to);
    await s.evaluator.settled();

    const live = await s.testDb.sql.query<{ at: Date; fingerprint: string; kind: string; from_state: string; to_state: string; severity: string | null }>(
      `SELECT e.at, a.fingerprint, e.kind, e.from_state::text, e.to_state::text, e.severity::text FROM alert_events e
       JOIN alerts a ON a.id = e.alert_id WHERE a.rule_id = $1 ORDER BY e.at, e.id`,
      [ruleId],
    );
    const checked = checkDefinition(input);
    if (!checked.ok) throw new Error('rule does not check');
    const result = await backtest(s.db.sql, runnableRule(ruleId, 1, checked.definition), from, to, (ids) => loadRules(s.db.prisma, ids));
    const line = (at: number, instance: string, kind: string, fromState: string, toState: string, severity: string | null | undefined) =>
      `${new Date(at).toISOString()} ${instance} ${kind} ${fromState}>${toState}${severity ? `:${severity}` : ''}`;
    const liveLines = live.map((r) => line(r.at.getTime(), r.fingerprint, r.kind, r.from_state, r.to_state, r.severity));
    const backtestLines = result.transitions.map((t) => line(t.at, t.instance, t.kind, t.from, t.to, t.toSeverity));
    expect(backtestLines).toEqual(liveLines);
    // the data must have exercised the machine, or equality would prove little
    expect(result.counts.firing).toBeGreaterThanOrEqual(2);
    expect(result.counts.pending).toBeGreaterThanOrEqual(2);
    expect(result.counts.nodata).toBeGreaterThanOrEqual(1);
    expect(result.counts.resolved + result.counts.ok).toBeGreaterThanOrEqual(2);
    expect(result.instances).toBe(2);

    // the same over GraphQL, as the rule editor asks for it; analysts only, ranges checked
    const query = `query ($d: RuleInput!, $from: DateTime!, $to: DateTime!) {
      backtestRule(draft: $d, from: $from, to: $to) { counts { pending firing resolved nodata ok severityChanges } instances
        transitions { at fingerprint kind fromState toState severity reason } } }`;
    const vars = { d: input, from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    const analyst = await s.userToken('analyst');
    const r = await s.gql<{ backtestRule: { counts: object; instances: number; transitions: { reason: string }[] } }>(query, vars, analyst);
    expect(r.errors).toBeUndefined();
    expect(r.data!.backtestRule.counts).toEqual(result.counts);
    expect(r.data!.backtestRule.transitions).toHaveLength(result.transitions.length);
    expect(r.data!.backtestRule.transitions[0]!.reason).toBe(result.transitions[0]!.reason);
    const viewer = await s.userToken('viewer');
    expect((await s.gql(query, vars, viewer)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const backwards = await s.gql(query, { ...vars, from: vars.to, to: vars.from }, analyst);
    expect(backwards.errors?.[0]).toMatchObject({ message: '"to" must be after "from"', extensions: { code: 'BAD_USER_INPUT' } });
    const bad = await s.gql(query, { ...vars, d: { ...input, expression: 'avgg(bt.load, "1m")' } }, analyst);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.message).toContain('unknown function "avgg"');
  });
});
