import { describe, expect, it } from 'vitest';
import { dependencyProblems, type RuleNode } from './rule-dependencies.ts';

// 1 Host offline ← 2 CPU, 3 Memory; 4 → 5 → 6 a chain; 7 ⇄ 8 an old cycle saved before the check
const rules: RuleNode[] = [
  { id: 1, name: 'Host offline', dependsOn: [] },
  { id: 2, name: 'CPU', dependsOn: [1] },
  { id: 3, name: 'Memory', dependsOn: [1] },
  { id: 4, name: 'A', dependsOn: [5] },
  { id: 5, name: 'B', dependsOn: [6] },
  { id: 6, name: 'C', dependsOn: [] },
  { id: 7, name: 'X', dependsOn: [8] },
  { id: 8, name: 'Y', dependsOn: [7] },
];

describe('dependencyProblems', () => {
  it.each<[string, number | undefined, number[], { path: string; message: string }[]]>([
    ['a new rule on existing rules', undefined, [1, 6], []],
    ['no dependencies', 2, [], []],
    ['a rule keeping its dependency', 2, [1], []],
    ['a rule depending on a sibling', 2, [3], []],
    [
      'a new rule on a missing rule',
      undefined,
      [42],
      [{ path: 'dependsOn[0]', message: 'there is no rule 42' }],
    ],
    ['a rule on itself', 2, [1, 2], [{ path: 'dependsOn[1]', message: 'a rule cannot depend on itself' }]],
    [
      'A → B → A',
      5,
      [4],
      [{ path: 'dependsOn[0]', message: 'depending on "A" makes a cycle: "B" → "A" → "B"' }],
    ],
    [
      'C → A → B → C',
      6,
      [4],
      [{ path: 'dependsOn[0]', message: 'depending on "A" makes a cycle: "C" → "A" → "B" → "C"' }],
    ],
    [
      'Host offline → CPU → Host offline',
      1,
      [2],
      [
        {
          path: 'dependsOn[0]',
          message: 'depending on "CPU" makes a cycle: "Host offline" → "CPU" → "Host offline"',
        },
      ],
    ],
    ['a rule on an old cycle it is not part of', 6, [7], []],
  ])('%s', (_label, ruleId, dependsOn, problems) => {
    expect(dependencyProblems(ruleId, dependsOn, rules)).toEqual(problems);
  });
});
