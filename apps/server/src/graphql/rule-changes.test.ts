import { describe, expect, it } from 'vitest';
import type { RuleDefinition } from '../rules/definition.ts';
import { DEFINITION_FIELDS, definitionChanges } from './rule-changes.ts';

const base: RuleDefinition = {
  name: 'CPU usage',
  description: null,
  expression: 'avg(os.cpu.usage{core=""}, "5m")',
  threshold: { metric: 'os.cpu.usage{core=""}', fn: 'avg', window: '5m' },
  comparator: '>',
  levels: [{ severity: 'warning', threshold: 80, recovery: 75 }],
  forSeconds: 300,
  keepFiringSeconds: 0,
  noDataPolicy: 'nodata',
  evalIntervalSeconds: 30,
  scope: { labels: { env: 'prod', role: 'web' } },
  dependsOn: [1],
  labels: {},
  annotations: { summary: '{{host}}' },
  enabled: true,
};

describe('definitionChanges', () => {
  it.each<[string, Partial<RuleDefinition>, { field: string; before: unknown; after: unknown }[]]>([
    ['nothing', {}, []],
    ['a number', { forSeconds: 600 }, [{ field: 'forSeconds', before: 300, after: 600 }]],
    ['null to text', { description: 'why' }, [{ field: 'description', before: null, after: 'why' }]],
    [
      'an object with the same keys in another order',
      { scope: { labels: { role: 'web', env: 'prod' } } },
      [],
    ],
    [
      'a value deep inside an array',
      { levels: [{ severity: 'warning', threshold: 80, recovery: 70 }] },
      [
        {
          field: 'levels',
          before: base.levels,
          after: [{ severity: 'warning', threshold: 80, recovery: 70 }],
        },
      ],
    ],
    ['array order', { dependsOn: [1, 2] }, [{ field: 'dependsOn', before: [1], after: [1, 2] }]],
    [
      'several fields, in editor order',
      { enabled: false, name: 'CPU', threshold: null },
      [
        { field: 'name', before: 'CPU usage', after: 'CPU' },
        { field: 'threshold', before: base.threshold, after: null },
        { field: 'enabled', before: true, after: false },
      ],
    ],
  ])('%s', (_label, change, expected) => {
    expect(definitionChanges(base, { ...base, ...change })).toEqual(expected);
  });

  it('counts a field an older version lacks as null', () => {
    const { labels: _labels, ...older } = base;
    expect(definitionChanges(older, base)).toEqual([{ field: 'labels', before: null, after: {} }]);
  });

  it('compares every field of a definition', () => {
    expect([...DEFINITION_FIELDS].sort()).toEqual(Object.keys(base).sort());
  });
});
