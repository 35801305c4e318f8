import { describe, expect, it } from 'vitest';
import { emptyDraft, emptyExtraction, fromDefinition, moveStep, newStep, nextStepId, placeAfter, toDefinition, type ProbeDefinition } from './model.ts';

describe('step ids', () => {
  it('numbers steps per plugin and keeps ids valid', () => {
    expect(nextStepId('http', [])).toBe('http_1');
    expect(nextStepId('http', ['http_1', 'http_2'])).toBe('http_3');
    expect(nextStepId('my-plugin', [])).toBe('my_plugin_1');
    expect(nextStepId('1abc', [])).toMatch(/^[a-z][a-z0-9_]*$/);
  });
});

describe('draft ⇄ definition', () => {
  const def: ProbeDefinition = {
    name: 'pools',
    description: null,
    steps: [
      { id: 'http_1', plugin: 'http', params: { url: 'http://x/y' } },
      { id: 'cmd_1', plugin: 'command', params: { argv: ['/bin/echo', '42'] } },
    ],
    extract: [
      { step: 'cmd_1', from: { kind: 'regex', pattern: '(\\d+)', group: 1 }, metric: 'e2e.value', labels: { src: 'echo', n: { group: 1 } }, transform: 'value / 2' },
      { step: 'http_1', from: { kind: 'jsonPath', path: '$.pools[*].active' }, metric: 'pool.active', labels: { pool: { key: 'name' } } },
    ],
    intervalSeconds: 120,
    timeoutSeconds: 20,
    targets: { hostIds: [3], labels: { env: 'prod' }, hostnamePattern: 'db-*' },
    enabled: true,
  };

  it('round-trips a stored definition (extractions grouped by step, flattened back in step order)', () => {
    const draft = fromDefinition(def);
    expect(draft.steps.map((s) => s.extract.length)).toEqual([1, 1]);
    const { definition, origins } = toDefinition(draft);
    expect(definition.steps).toEqual(def.steps);
    expect(definition.extract).toEqual([def.extract![1], def.extract![0]]);
    expect(origins).toEqual([
      { stepKey: draft.steps[0]!.key, index: 0 },
      { stepKey: draft.steps[1]!.key, index: 0 },
    ]);
    expect(definition.targets).toEqual(def.targets);
    expect(definition.intervalSeconds).toBe(120);
  });

  it('leaves out empty targets, empty numbers and empty transforms; keeps odd numbers for the server to refuse', () => {
    const d = emptyDraft();
    d.name = 'x';
    d.intervalSeconds = '';
    d.timeoutSeconds = 'ten';
    const s = newStep('http', []);
    s.extract.push({ ...emptyExtraction(), pattern: '(\\d+)', metric: 'm' });
    d.steps.push(s);
    const { definition } = toDefinition(d);
    expect(definition.targets).toEqual({});
    expect('intervalSeconds' in definition).toBe(false);
    expect(definition.timeoutSeconds).toBe('ten');
    expect(definition.extract![0]).toEqual({ step: 'http_1', from: { kind: 'regex', pattern: '(\\d+)', group: 1 }, metric: 'm' });
  });
});

describe('ordering', () => {
  const d = emptyDraft();
  d.steps = [newStep('a', []), newStep('b', []), newStep('c', [])];
  const ids = (x: typeof d) => x.steps.map((s) => s.plugin).join('');
  it('moves by places, clamped', () => {
    expect(ids(moveStep(d, d.steps[0]!.key, 1))).toBe('bac');
    expect(ids(moveStep(d, d.steps[0]!.key, -1))).toBe('abc');
    expect(ids(moveStep(d, d.steps[2]!.key, -5))).toBe('cab');
  });
  it('places a step after another (an edge drawn on the canvas)', () => {
    expect(ids(placeAfter(d, d.steps[0]!.key, d.steps[2]!.key))).toBe('bca');
    expect(ids(placeAfter(d, d.steps[2]!.key, d.steps[0]!.key))).toBe('acb');
    expect(ids(placeAfter(d, d.steps[1]!.key, d.steps[1]!.key))).toBe('abc');
  });
});
