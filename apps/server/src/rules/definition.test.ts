import { describe, expect, it } from 'vitest';
import {
  checkDefinition,
  definitionInput,
  FLAPPING,
  runnableRule,
  thresholdExpression,
  type RuleDefinitionInput,
} from './definition.ts';

const cpu = { metric: 'os.cpu.usage{core=""}', fn: 'avg', window: '5m' };
const three = [
  { severity: 'very_critical', threshold: 98, recovery: 96 },
  { severity: 'warning', threshold: 85 },
  { severity: 'critical', threshold: 95, recovery: 92 },
] as const;
const valueRule = (over: Partial<RuleDefinitionInput> = {}): RuleDefinitionInput => ({
  name: 'disk',
  expression: 'last(os.disk.used_pct, "5m")',
  levels: [{ severity: 'warning', threshold: 80 }],
  ...over,
});
const conditionRule = (over: Partial<RuleDefinitionInput> = {}): RuleDefinitionInput => ({
  name: 'offline',
  expression: 'nodata(os.uptime.seconds, "3m")',
  levels: [{ severity: 'critical' }],
  ...over,
});

describe('checkDefinition accepts', () => {
  it.each<[string, RuleDefinitionInput, Record<string, unknown>]>([
    [
      'a value rule with three levels, sorted by severity, recovery defaulting to the threshold',
      valueRule({ levels: [...three] }),
      {
        expression: 'last(os.disk.used_pct, "5m")',
        threshold: null,
        comparator: '>',
        levels: [
          { severity: 'warning', threshold: 85, recovery: 85 },
          { severity: 'critical', threshold: 95, recovery: 92 },
          { severity: 'very_critical', threshold: 98, recovery: 96 },
        ],
        forSeconds: 0,
        noDataPolicy: 'nodata',
        evalIntervalSeconds: 30,
        scope: {},
        dependsOn: [],
        enabled: true,
      },
    ],
    [
      'a condition rule, its level without thresholds',
      conditionRule({ noDataPolicy: 'ok' }),
      { levels: [{ severity: 'critical', threshold: null, recovery: null }], noDataPolicy: 'ok' },
    ],
    [
      'the threshold form, standing for its expression',
      { name: 'cpu', threshold: cpu, levels: [{ severity: 'warning', threshold: 80, recovery: 75 }] },
      { expression: 'avg(os.cpu.usage{core=""}, "5m")', threshold: cpu },
    ],
    [
      'a percentile threshold form, p defaulting to 95',
      {
        name: 'p',
        threshold: { metric: 'os.cpu.usage', fn: 'percentile', window: '10m' },
        levels: [{ severity: 'warning', threshold: 80 }],
      },
      { expression: 'percentile(os.cpu.usage, "10m", 95)' },
    ],
    [
      'an expression in any spelling, stored canonical',
      valueRule({ expression: 'AVG( os.mem.used_pct ,"5m" )' }),
      { expression: 'avg(os.mem.used_pct, "5m")' },
    ],
    [
      'a < rule with thresholds falling and recoveries above them',
      valueRule({
        comparator: '<',
        levels: [
          { severity: 'warning', threshold: 20, recovery: 25 },
          { severity: 'critical', threshold: 10, recovery: 15 },
        ],
      }),
      { comparator: '<' },
    ],
    [
      'a stored level with nulls (what the evaluator reloads)',
      conditionRule({ levels: [{ severity: 'critical', threshold: null, recovery: null }] }),
      { levels: [{ severity: 'critical', threshold: null, recovery: null }] },
    ],
    ['duplicate dependencies once', conditionRule({ dependsOn: [3, 3, 4] }), { dependsOn: [3, 4] }],
  ])('%s', (_label, input, expected) => {
    const checked = checkDefinition(input);
    expect(checked.ok ? checked.definition : checked.problems).toMatchObject(expected);
  });
});

describe('checkDefinition refuses', () => {
  it.each<[string, unknown, string, RegExp]>([
    [
      'both an expression and a threshold form',
      valueRule({ threshold: cpu }),
      'threshold',
      /either an expression or a threshold form/,
    ],
    [
      'neither',
      { name: 'x', levels: [{ severity: 'warning', threshold: 1 }] },
      'expression',
      /needs an expression or a threshold form/,
    ],
    [
      'a number expression without thresholds',
      valueRule({ levels: [{ severity: 'warning' }] }),
      'levels[0].threshold',
      /needs a threshold/,
    ],
    [
      'a condition rule with thresholds',
      conditionRule({ levels: [{ severity: 'critical', threshold: 1 }] }),
      'levels[0]',
      /no thresholds/,
    ],
    [
      'a condition rule with two levels',
      conditionRule({ levels: [{ severity: 'warning' }, { severity: 'critical' }] }),
      'levels',
      /one severity/,
    ],
    [
      'the same severity twice',
      valueRule({
        levels: [
          { severity: 'warning', threshold: 80 },
          { severity: 'warning', threshold: 90 },
        ],
      }),
      'levels[1].severity',
      /warning is listed twice/,
    ],
    [
      'thresholds out of order for >',
      valueRule({
        levels: [
          { severity: 'warning', threshold: 90 },
          { severity: 'critical', threshold: 80 },
        ],
      }),
      'levels[1].threshold',
      /critical threshold must be above the warning threshold 90/,
    ],
    [
      'thresholds out of order for <',
      valueRule({
        comparator: '<',
        levels: [
          { severity: 'warning', threshold: 10 },
          { severity: 'critical', threshold: 20 },
        ],
      }),
      'levels[1].threshold',
      /critical threshold must be below the warning threshold 10/,
    ],
    [
      'a recovery above the threshold of a > rule',
      valueRule({ levels: [{ severity: 'warning', threshold: 80, recovery: 85 }] }),
      'levels[0].recovery',
      /recovery 85 must be at or below the threshold 80/,
    ],
    [
      'a recovery below the threshold of a < rule',
      valueRule({ comparator: '<', levels: [{ severity: 'warning', threshold: 20, recovery: 15 }] }),
      'levels[0].recovery',
      /recovery 15 must be at or above the threshold 20/,
    ],
    [
      'an unknown function',
      valueRule({ expression: 'avgg(os.cpu.usage, "5m")' }),
      'expression',
      /unknown function "avgg"/,
    ],
    [
      'an unknown annotation placeholder',
      valueRule({ annotations: { summary: 'on {{hostname}}' } }),
      'annotations.summary',
      /unknown placeholder \{\{hostname\}\}/,
    ],
    [
      '{{constructor}} in an annotation',
      valueRule({ annotations: { summary: '{{constructor}}' } }),
      'annotations.summary',
      /unknown placeholder/,
    ],
    [
      'a percentile for another function',
      { name: 'x', threshold: { ...cpu, percentile: 50 }, levels: [{ severity: 'warning', threshold: 1 }] },
      'threshold.percentile',
      /fn percentile only/,
    ],
    [
      'a bad selector in the threshold form',
      {
        name: 'x',
        threshold: { ...cpu, metric: 'os.cpu.usage{core=}' },
        levels: [{ severity: 'warning', threshold: 1 }],
      },
      'threshold.metric',
      /double-quoted value/,
    ],
    [
      'a bad window',
      {
        name: 'x',
        threshold: { ...cpu, window: '5 minutes' },
        levels: [{ severity: 'warning', threshold: 1 }],
      },
      'threshold.window',
      /not a duration/,
    ],
    ['a blank name', valueRule({ name: '  ' }), 'name', /needs a name/],
    ['a label name with a dash', valueRule({ labels: { 'team-a': 'x' } }), 'labels.team-a', /a label name/],
    ['an unknown key', { ...valueRule(), colour: 'red' }, '', /colour/],
  ])('%s', (_label, input, path, message) => {
    const checked = checkDefinition(input);
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.problems).toContainEqual(
      expect.objectContaining({ path, message: expect.stringMatching(message) }),
    );
  });

  it('places expression problems in the text, and threshold-form problems in the expression it stands for', () => {
    const typed = checkDefinition(
      valueRule({ expression: 'avg(os.cpu.usage, "5m") +\n  avgg(os.mem.used_pct, "5m")' }),
    );
    expect(typed).toEqual({
      ok: false,
      problems: [expect.objectContaining({ path: 'expression', start: 28, end: 32 })],
    });
    const form = checkDefinition({
      name: 'x',
      threshold: { ...cpu, metric: '{core=""}' },
      levels: [{ severity: 'warning', threshold: 1 }],
    });
    expect(form.ok ? undefined : form.problems[0]).toEqual({
      path: 'threshold',
      message: expect.stringContaining('(in avg({core=""}, "5m"))'),
    });
  });

  it('warns, without refusing, about metrics never seen', () => {
    const checked = checkDefinition(valueRule(), new Set(['os.cpu.usage']));
    expect(checked.ok && checked.warnings).toEqual([
      { severity: 'warning', message: 'unknown metric "os.disk.used_pct"', start: 5, end: 21 },
    ]);
  });
});

describe('prototype keys', () => {
  it('never reach an object prototype through labels, annotations or scope', () => {
    const input = JSON.parse(
      '{"name":"x","expression":"nodata(os.uptime.seconds, \\"3m\\")","levels":[{"severity":"critical"}],' +
        '"labels":{"__proto__":{"polluted":"yes"},"constructor":"c","team":"db"},' +
        '"annotations":{"__proto__":"{{host}}","summary":"{{labels.__proto__}}"},' +
        '"scope":{"labels":{"__proto__":"x"}}}',
    );
    const checked = checkDefinition(input);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    const d = checked.definition;
    // zod leaves __proto__ out of records rather than assign it (which would set the prototype)
    expect(d.labels).toEqual({ constructor: 'c', team: 'db' });
    expect(Object.getPrototypeOf(d.labels)).toBe(Object.prototype);
    expect(Object.hasOwn(d.annotations, '__proto__')).toBe(false);
    expect(d.scope).toEqual({ labels: {} });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('definitionInput', () => {
  it.each<[string, RuleDefinitionInput]>([
    ['a value rule', valueRule({ levels: [...three], labels: { team: 'db' }, dependsOn: [2] })],
    ['a condition rule', conditionRule({ description: 'down', scope: { groupBy: ['mount'] } })],
    [
      'a threshold form',
      { name: 'cpu', threshold: cpu, levels: [{ severity: 'warning', threshold: 80, recovery: 75 }] },
    ],
  ])('checks back to the same definition: %s', (_label, input) => {
    const first = checkDefinition(input);
    if (!first.ok) throw new Error(JSON.stringify(first.problems));
    const again = checkDefinition(definitionInput(first.definition));
    expect(again.ok && again.definition).toEqual(first.definition);
  });
});

describe('thresholdExpression', () => {
  it.each([
    [
      { metric: 'os.disk.used_pct{mount="/"}', fn: 'max', window: '1h' },
      'max(os.disk.used_pct{mount="/"}, "1h")',
    ],
    [
      { metric: 'os.cpu.usage', fn: 'percentile', window: '5m', percentile: 99 },
      'percentile(os.cpu.usage, "5m", 99)',
    ],
  ])('%j → %s', (form, text) => {
    expect(thresholdExpression(form)).toBe(text);
  });
});

describe('runnableRule', () => {
  it.each<[string, RuleDefinitionInput, Record<string, unknown>]>([
    [
      'a value rule keeps its comparator and levels; seconds become milliseconds',
      valueRule({
        comparator: '>=',
        levels: [...three],
        forSeconds: 300,
        keepFiringSeconds: 60,
        noDataPolicy: 'keep_last',
      }),
      {
        comparator: '>=',
        levels: [
          { severity: 'warning', threshold: 85, recovery: 85 },
          { severity: 'critical', threshold: 95, recovery: 92 },
          { severity: 'very_critical', threshold: 98, recovery: 96 },
        ],
        forMs: 300_000,
        keepFiringForMs: 60_000,
        noData: 'keep_last',
        flapping: FLAPPING,
      },
    ],
    [
      'a condition rule becomes 1 (true) against threshold 1, recovering at 0',
      conditionRule({ noDataPolicy: 'ok' }),
      {
        comparator: '>=',
        levels: [{ severity: 'critical', threshold: 1, recovery: 0 }],
        forMs: 0,
        keepFiringForMs: 0,
        noData: 'ok',
        flapping: FLAPPING,
      },
    ],
  ])('%s', (_label, input, policy) => {
    const checked = checkDefinition(input);
    if (!checked.ok) throw new Error(JSON.stringify(checked.problems));
    const rule = runnableRule(7, 3, checked.definition);
    expect(rule).toMatchObject({ id: 7, version: 3 });
    expect(rule.policy).toEqual(policy);
    expect(rule.compiled.type).toBe(checked.definition.levels[0]!.threshold === null ? 'condition' : 'value');
  });
});
