import { parseRule } from '@esmon/schema';
import { describe, expect, test } from 'vitest';
import { draftFromRule, draftToInput, durationText, emptyDraft, exprKind, parsePairs, secondsOf, serverProblems, type SavedRule } from './rule-draft.ts';

describe('exprKind', () => {
  test.each([
    ['avg(m, "5m") > 1', 'condition'],
    ['last(m, "1m") > 1 and last(n, "1m") < 2', 'condition'],
    ['not nodata(m, "5m")', 'condition'],
    ['nodata(m, "5m")', 'condition'],
    ['avg(m, "5m")', 'value'],
    ['rate(m, "5m") * 8', 'value'],
    ['-avg(m, "5m")', 'value'],
    ['m', undefined],
  ])('%s is a %s', (text, kind) => {
    expect(exprKind(parseRule(text))).toBe(kind);
  });
});

describe('durations', () => {
  test.each([
    ['0', 0],
    ['', 0],
    ['90', 90],
    ['90s', 90],
    ['5m', 300],
    ['1h30m', 5400],
    ['soon', undefined],
  ])('%s is %s seconds', (text, s) => {
    expect(secondsOf(text)).toBe(s);
  });
  test('back to text', () => {
    expect([0, 90, 300, 5400, 90_061].map(durationText)).toEqual(['0', '1m30s', '5m', '1h30m', '1d1h1m1s']);
  });
});

test('parsePairs reads name=value lines and names a bad one', () => {
  expect(parsePairs('team = db\n\nenv=prod')).toEqual({ ok: true, value: { team: 'db', env: 'prod' } });
  expect(parsePairs('team=db\noops')).toEqual({ ok: false, message: 'line 2: write name=value' });
});

describe('draftToInput', () => {
  const base = { ...emptyDraft(), name: ' cpu ', expression: 'avg(os.cpu.usage, "5m")' };

  test('a value rule sends every level with its thresholds', () => {
    const { input, errors } = draftToInput(
      { ...base, levels: [{ severity: 'warning', threshold: '80', recovery: '70' }, { severity: 'critical', threshold: '95', recovery: '' }], forText: '5m' },
      'value',
    );
    expect(errors).toEqual({});
    expect(input).toMatchObject({
      name: 'cpu',
      levels: [{ severity: 'warning', threshold: 80, recovery: 70 }, { severity: 'critical', threshold: 95 }],
      forSeconds: 300,
      keepFiringSeconds: 0,
      scope: {},
    });
  });

  test('a condition keeps one severity and drops thresholds', () => {
    const { input } = draftToInput({ ...base, levels: [{ severity: 'critical', threshold: '1', recovery: '' }, { severity: 'warning', threshold: '', recovery: '' }] }, 'condition');
    expect(input?.levels).toEqual([{ severity: 'critical' }]);
  });

  test('names the fields that are wrong before asking the server', () => {
    const { input, errors } = draftToInput(
      { ...base, levels: [{ severity: 'warning', threshold: 'x', recovery: 'y' }], forText: 'soon', scopeMode: 'glob', hostnamePattern: ' ', labels: 'oops' },
      'value',
    );
    expect(input).toBeUndefined();
    expect(Object.keys(errors).sort()).toEqual(['forSeconds', 'labels', 'levels[0].recovery', 'levels[0].threshold', 'scope']);
  });

  test('scope, labels and the summary annotation', () => {
    const { input } = draftToInput({ ...base, levels: [{ severity: 'warning', threshold: '1', recovery: '' }], scopeMode: 'labels', scopeLabels: 'env=prod', labels: 'team=db', summary: ' {{host}} hot ' }, 'value');
    expect(input).toMatchObject({ scope: { labels: { env: 'prod' } }, labels: { team: 'db' }, annotations: { summary: '{{host}} hot' } });
  });

  test('a loaded rule survives the round trip, fields the form does not show included', () => {
    const saved: SavedRule = {
      id: '7', name: 'disk', description: null, expression: 'max(d, "10m")', comparator: '>=',
      levels: [{ severity: 'warning', threshold: 90, recovery: 85 }, { severity: 'critical', threshold: 95, recovery: 95 }],
      forSeconds: 120, keepFiringSeconds: 0, noDataPolicy: 'keep_last', evalIntervalSeconds: 60,
      scope: { hostnamePattern: 'db-*', groupBy: ['mount'] }, dependsOn: [3], labels: { team: 'db' },
      annotations: { summary: 'full', runbook: 'http://x' }, enabled: false, version: 4,
    };
    const d = draftFromRule(saved);
    expect(d).toMatchObject({ forText: '2m', scopeMode: 'glob', hostnamePattern: 'db-*', summary: 'full', labels: 'team=db' });
    expect(draftToInput(d, 'value').input).toEqual({
      name: 'disk', description: null, expression: 'max(d, "10m")', comparator: '>=',
      levels: [{ severity: 'warning', threshold: 90, recovery: 85 }, { severity: 'critical', threshold: 95 }],
      forSeconds: 120, keepFiringSeconds: 0, noDataPolicy: 'keep_last', evalIntervalSeconds: 60,
      scope: { hostnamePattern: 'db-*', groupBy: ['mount'] }, dependsOn: [3], labels: { team: 'db' },
      annotations: { summary: 'full', runbook: 'http://x' }, enabled: false,
    });
  });
});

test('serverProblems puts expression problems in the text and the rest on fields', () => {
  const { fields, text } = serverProblems([
    { path: 'input.expression', message: 'unknown function "foo"; known functions: last (at 1:3)' },
    { path: 'input.levels[0].threshold', message: 'the warning level needs a threshold' },
    { path: 'input.scope.hostnamePattern', message: 'a hostname pattern' },
    { path: 'input.name', message: 'a rule needs a name' },
    { path: 'expression', message: 'no place given' },
  ]);
  expect(text).toEqual([{ line: 1, column: 3, message: 'unknown function "foo"; known functions: last' }]);
  expect(fields).toEqual({
    'levels[0].threshold': 'the warning level needs a threshold',
    scope: 'a hostname pattern',
    name: 'a rule needs a name',
    expression: 'no place given',
  });
  expect(serverProblems(undefined)).toEqual({ fields: {}, text: [] });
});
