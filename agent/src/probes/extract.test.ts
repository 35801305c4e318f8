import { describe, expect, it } from 'vitest';
import { probeDefinitionSchema, type ExtractionSource, type StepResult } from '@esmon/schema';
import { formatSample } from '@esmon/schema/testing';
import { extractSamples } from './extract.ts';

const TS = 1_763_900_000_000;

/** A one-step probe (step "s") with one extraction of metric `m`. */
function probe(
  from: ExtractionSource | Record<string, unknown>,
  more: { labels?: Record<string, unknown>; transform?: string } = {},
) {
  return probeDefinitionSchema.parse({
    name: 'p',
    steps: [{ id: 's', plugin: 'x' }],
    extract: [{ step: 's', from, metric: 'm', ...more }],
  });
}

const ok = (r: Partial<StepResult>): StepResult => ({ status: 'ok', samples: [], durationMs: 1, ...r });

function run(definition: ReturnType<typeof probe>, result: StepResult) {
  const { samples, problems } = extractSamples(definition, new Map([['s', result]]), TS);
  return { samples: samples.map(formatSample), problems };
}

const rows = [
  { name: 'a', used: 5, state: 'up' },
  { name: 'b', used: '7.5', state: 'down' },
];

describe('extractSamples', () => {
  it.each<[string, ReturnType<typeof probe>, StepResult, string[], string[]]>([
    [
      'a column, one sample per row, labels fixed and from columns',
      probe({ kind: 'column', column: 'used' }, { labels: { db: { column: 'name' }, env: 'prod' } }),
      ok({ rows }),
      ['m{db="a",env="prod"} 5', 'm{db="b",env="prod"} 7.5'],
      [],
    ],
    [
      'a column through a transform',
      probe(
        { kind: 'column', column: 'used' },
        { labels: { db: { column: 'name' } }, transform: 'value * 2' },
      ),
      ok({ rows }),
      ['m{db="a"} 10', 'm{db="b"} 15'],
      [],
    ],
    [
      'a column missing, null or text in some rows',
      probe({ kind: 'column', column: 'used' }, { labels: { db: { column: 'name' } } }),
      ok({
        rows: [{ name: 'a', used: 1 }, { name: 'b' }, { name: 'c', used: null }, { name: 'd', used: 'n/a' }],
      }),
      ['m{db="a"} 1'],
      [
        'extract[0] m from step "s": row 2: no column "used" (it has name)',
        'extract[0] m from step "s": row 3: null is not a finite number',
        'extract[0] m from step "s": row 4: "n/a" is not a finite number',
      ],
    ],
    [
      'a label column missing or not a scalar: that row is skipped',
      probe({ kind: 'column', column: 'used' }, { labels: { db: { column: 'name' } } }),
      ok({ rows: [{ used: 1 }, { name: { x: 1 }, used: 2 }, { name: 7, used: 3 }] }),
      ['m{db="7"} 3'],
      [
        'extract[0] m from step "s": row 1: label db: column "name" is missing, not a label value',
        'extract[0] m from step "s": row 2: label db: column "name" is an object, not a label value',
      ],
    ],
    [
      'a label value longer than the server takes',
      probe({ kind: 'column', column: 'used' }, { labels: { db: { column: 'name' } } }),
      ok({
        rows: [
          { name: 'x'.repeat(1025), used: 1 },
          { name: 'y', used: 2 },
        ],
      }),
      ['m{db="y"} 2'],
      ['extract[0] m from step "s": row 1: labels.db: label value longer than 1024 characters'],
    ],
    [
      'a reserved label name',
      probe({ kind: 'column', column: 'used' }, { labels: { host: 'db01' } }),
      ok({ rows: [{ used: 1 }] }),
      [],
      ['extract[0] m from step "s": row 1: labels.host: label name is reserved'],
    ],
    [
      'no rows at all',
      probe({ kind: 'column', column: 'used' }),
      ok({ output: 'x' }),
      [],
      ['extract[0] m from step "s": the step returned no rows'],
    ],
    [
      'a JSONPath to one number',
      probe({ kind: 'jsonPath', path: '$.heap.used' }, { transform: 'value / 1024' }),
      ok({ output: '{"heap":{"used":2048}}' }),
      ['m 2'],
      [],
    ],
    [
      'a JSONPath over several values: numeric strings and booleans count, others are reported',
      probe({ kind: 'jsonPath', path: '$.v[*]' }, { labels: { pool: 'main' } }),
      ok({ output: '{"v":["42", {"a":1}, null, "1e3x"]}' }),
      ['m{pool="main"} 42'],
      [
        'extract[0] m from step "s": match 2: an object is not a finite number',
        'extract[0] m from step "s": match 3: null is not a finite number',
        'extract[0] m from step "s": match 4: "1e3x" is not a finite number',
      ],
    ],
    [
      'a JSONPath landing twice on one series: the first value is kept',
      probe({ kind: 'jsonPath', path: '$.v[*]' }),
      ok({ output: '{"v":[1, 2]}' }),
      ['m 1'],
      ['extract[0] m from step "s": a second value for m{}; the first is kept'],
    ],
    [
      'a JSONPath matching nothing',
      probe({ kind: 'jsonPath', path: '$.nope' }),
      ok({ output: '{}' }),
      [],
      ['extract[0] m from step "s": $.nope matched nothing'],
    ],
    [
      'output that is not JSON',
      probe({ kind: 'jsonPath', path: '$.a' }),
      ok({ output: 'Error: 500' }),
      [],
      [expect.stringMatching(/^extract\[0\] m from step "s": the output is not JSON: /) as unknown as string],
    ],
    [
      'no output',
      probe({ kind: 'jsonPath', path: '$.a' }),
      ok({}),
      [],
      ['extract[0] m from step "s": the step gave no output'],
    ],
    [
      'a JSONPath labelled by a sibling key of each value',
      probe({ kind: 'jsonPath', path: '$.pools[*].active' }, { labels: { pool: { key: 'name' }, size: { key: 'max' } } }),
      ok({ output: '{"pools":[{"name":"WebContainer","active":12,"max":50},{"name":"ORB","active":3,"max":true},{"active":1}]}' }),
      ['m{pool="WebContainer",size="50"} 12', 'm{pool="ORB",size="true"} 3'],
      ['extract[0] m from step "s": match 3: label pool: key "name" beside the value is missing, not a label value'],
    ],
    [
      'a sibling key that is an object, and a value held by an array (no siblings)',
      probe({ kind: 'jsonPath', path: '$.a[*]' }, { labels: { k: { key: 'x' } } }),
      ok({ output: '{"a":[1]}' }),
      [],
      ['extract[0] m from step "s": match 1: label k: key "x" beside the value is missing, not a label value'],
    ],
    [
      'a regex labelled by its capture groups, by number and by name',
      probe(
        { kind: 'regex', pattern: '^(?<queue>[\\w.]+)\\s+depth=(\\d+)\\s+(\\w+)$', group: 2 },
        { labels: { queue: { group: 'queue' }, state: { group: 3 } } },
      ),
      ok({ output: 'MAXIMO.CQIN depth=4 open\nMAXIMO.SQIN depth=0 closed\n' }),
      ['m{queue="MAXIMO.CQIN",state="open"} 4', 'm{queue="MAXIMO.SQIN",state="closed"} 0'],
      [],
    ],
    [
      'a label group that took no part in a match',
      probe({ kind: 'regex', pattern: '^(\\d+)(?: (\\w+))?$' }, { labels: { unit: { group: 2 } } }),
      ok({ output: '5 ms\n7' }),
      ['m{unit="ms"} 5'],
      ['extract[0] m from step "s": match 2: label unit: group 2 is missing, not a label value'],
    ],
    [
      'a regex group, lines anchored',
      probe({ kind: 'regex', pattern: '^load: ([\\d.]+)$', group: 1 }),
      ok({ output: 'users: 3\nload: 0.25\n' }),
      ['m 0.25'],
      [],
    ],
    [
      'a regex group that is not a number, and one that took no part',
      probe({ kind: 'regex', pattern: '^v=(\\w+)|^none()?x', group: 1 }),
      ok({ output: 'v=12\nv=abc\nnonex' }),
      ['m 12'],
      [
        'extract[0] m from step "s": match 2: "abc" is not a number',
        'extract[0] m from step "s": match 3: group 1 took no part is not a number',
      ],
    ],
    [
      'a regex without the group (a definition cached before validation said so)',
      { ...probe({ kind: 'regex', pattern: '(load)', group: 1 }), extract: [{ step: 's', metric: 'm', labels: {}, from: { kind: 'regex' as const, pattern: 'load', group: 2 } }] },
      ok({ output: 'load' }),
      [],
      ['extract[0] m from step "s": the pattern has no group 2'],
    ],
    [
      'a regex matching nothing',
      probe({ kind: 'regex', pattern: 'x(\\d)' }),
      ok({ output: 'abc' }),
      [],
      ['extract[0] m from step "s": the pattern matched nothing'],
    ],
    [
      'a transform that makes a value infinite',
      probe({ kind: 'regex', pattern: '(\\d+)' }, { transform: '100 / value' }),
      ok({ output: '0' }),
      [],
      ['extract[0] m from step "s": match 1: 0 became Infinity through the transform'],
    ],
    [
      'a failed step: nothing extracted, nothing to add to its own error',
      probe({ kind: 'regex', pattern: '(\\d+)' }),
      { status: 'error', samples: [], output: '42', error: 'boom', durationMs: 1 },
      [],
      [],
    ],
  ])('%s', (_name, definition, result, samples, problems) => {
    expect(run(definition, result)).toEqual({ samples, problems });
  });

  it("passes each step's own samples through, whatever the step's status, dropping invalid ones", () => {
    const definition = probeDefinitionSchema.parse({
      name: 'p',
      steps: [
        { id: 'a', plugin: 'x' },
        { id: 'b', plugin: 'x' },
        { id: 'c', plugin: 'x' },
      ],
      extract: [{ step: 'b', from: { kind: 'regex', pattern: '(\\d+)' }, metric: 'b.value' }],
    });
    const results = new Map<string, StepResult>([
      [
        'a',
        ok({
          samples: [
            { metric: 'tcp.up', value: 1, ts: TS - 5, labels: { port: '22' } },
            { metric: 'tcp.ms', value: Number.NaN, ts: TS },
          ],
        }),
      ],
      [
        'b',
        {
          status: 'error',
          samples: [
            { metric: 'tcp.up', value: 0, ts: TS - 1 },
            { metric: 'Bad Name', value: 1, ts: TS },
          ],
          output: '7',
          durationMs: 1,
        },
      ],
    ]);
    const { samples, problems } = extractSamples(definition, results, TS);
    expect(samples).toEqual([
      { metric: 'tcp.up', value: 1, ts: TS - 5, labels: { port: '22' } },
      { metric: 'tcp.up', value: 0, ts: TS - 1 },
    ]);
    expect(problems).toEqual([
      'step "a" sample tcp.ms: NaN is not a finite number',
      'step "b" sample Bad Name: metric: metric name must be dotted lower-case words, e.g. os.cpu.usage',
    ]);
  });

  it('keeps the problem list short', () => {
    const many = Array.from({ length: 80 }, (_, i) => ({ name: `r${i}`, used: 'x' }));
    const { problems } = extractSamples(
      probe({ kind: 'column', column: 'used' }),
      new Map([['s', ok({ rows: many })]]),
      TS,
    );
    expect(problems).toHaveLength(51);
    expect(problems.at(-1)).toBe('… and 30 more problems');
  });

  it('reports a transform or JSONPath the definition should never have carried', () => {
    const definition = probe({ kind: 'jsonPath', path: '$.a' });
    const broken = {
      ...definition,
      extract: [
        {
          ...definition.extract[0]!,
          transform: 'value +',
          from: { kind: 'jsonPath' as const, path: '$..a' },
        },
      ],
    };
    const { samples, problems } = extractSamples(broken, new Map([['s', ok({ output: '{"a":1}' })]]), TS);
    expect(samples).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^extract\[0\] m from step "s": /);
  });
});
