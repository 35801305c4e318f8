// fast-check properties over the rule language (fixed seed), beside fuzz.test.ts's seeded sweep:
// parse/validate/compile/evaluate throw nothing but RuleSyntaxError / RuleCompileError, finish on
// over-long input, and JavaScript's own names (`__proto__`, `constructor`…) never reach a prototype.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { prng } from '../testing.ts';
import { MAX_RULE_LENGTH } from './ast.ts';
import { compileRule, RuleCompileError } from './evaluate.ts';
import { formatRule } from './format.ts';
import { parseRule } from './parse.ts';
import { randomRuleText } from './random-rule.ts';
import { RuleSyntaxError } from './syntax-error.ts';
import { hasErrors, validateRule } from './validate.ts';

const SEED = 20261207;
const JS_NAMES = [
  '__proto__',
  'constructor',
  'toString',
  'prototype',
  'valueOf',
  'hasOwnProperty',
  '__defineGetter__',
  'Object',
  'Function',
  'eval',
  'process',
  'globalThis',
  'this',
  'require',
  'import',
];
const TOKENS = [
  '(',
  ')',
  ',',
  '{',
  '}',
  '"',
  '"5m"',
  '=',
  '=~',
  '!=',
  '>',
  '<=',
  'and',
  'or',
  'not',
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
  '.',
  '[',
  ']',
  ';',
  '\\',
  '\u0000',
  '\ud800',
  '1e999',
  '9'.repeat(400),
  ...JS_NAMES,
];
const VALUES = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.NaN, Infinity, -Infinity, -0, Number.MAX_VALUE, Number.MIN_VALUE),
  fc.constant(undefined),
);

const cases: Record<string, number> = {};
const answers: Record<string, Record<string, number>> = {};
const protoKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const functionKeys = Object.getOwnPropertyNames(Function.prototype).sort();

/** Runs the whole pipeline on one text; returns how far it got. Anything but the documented errors escapes. */
function run(cls: string, text: string, values: (number | undefined)[] = []): string {
  cases[cls] = (cases[cls] ?? 0) + 1;
  let outcome: string;
  try {
    const ast = parseRule(text);
    const once = formatRule(ast);
    expect(formatRule(parseRule(once)), text).toBe(once);
    const v = validateRule(text, { knownMetrics: new Set(['x', 'os.cpu.usage']) });
    if (!v.ast || hasErrors(v.diagnostics)) {
      outcome = 'diagnostics';
      expect(() => compileRule(ast), text).toThrow(RuleCompileError);
    } else {
      const rule = compileRule(v.ast, { expect: 'condition-or-value' });
      const padded = rule.windows.map((_, i) => values[i % Math.max(values.length, 1)] ?? 1);
      const { result } = rule.evaluate(padded);
      expect([true, false, undefined], text).toContain(result);
      outcome = 'evaluated';
    }
  } catch (err) {
    if (!(err instanceof RuleSyntaxError)) throw err;
    expect(err.start, text).toBeGreaterThanOrEqual(0);
    expect(err.end, text).toBeGreaterThanOrEqual(err.start);
    outcome = 'RuleSyntaxError';
  }
  const tally = (answers[cls] ??= {});
  tally[outcome] = (tally[outcome] ?? 0) + 1;
  return outcome;
}

const CLASSES: Record<string, { arb: fc.Arbitrary<[string, (number | undefined)[]]>; runs: number }> = {
  arbitraryStrings: {
    runs: 2000,
    arb: fc.tuple(fc.string({ unit: 'binary', maxLength: 200 }), fc.constant([])),
  },
  grammarShaped: {
    runs: 1000,
    arb: fc.tuple(
      fc.integer().map((seed) => randomRuleText(prng(seed), 4)),
      fc.array(VALUES, { maxLength: 8 }),
    ),
  },
  mangledGrammar: {
    runs: 1500,
    arb: fc
      .tuple(
        fc.integer(),
        fc.nat(),
        fc.constantFrom(...TOKENS),
        fc.boolean(),
        fc.array(VALUES, { maxLength: 4 }),
      )
      .map(([seed, at, token, replace, values]) => {
        const text = randomRuleText(prng(seed), 3);
        const i = at % (text.length + 1);
        return [text.slice(0, i) + token + text.slice(replace ? i + 1 : i), values] as [
          string,
          (number | undefined)[],
        ];
      }),
  },
  javascriptNames: {
    runs: 600,
    arb: fc
      .tuple(
        fc.constantFrom(...JS_NAMES),
        fc.constantFrom(
          'N',
          'N(x, "5m") > 1',
          'avg(N, "5m") > 1',
          'avg(x{N="a"}, "5m") > 1',
          'avg(x, "5m") > N',
          'N.N > 1',
          'avg(os.cpu.usage.N, "5m") > 1',
          'N(avg(x, "5m")) > 1',
          'not N',
          'avg(x{a=~"N"}, "5m") > 1',
        ),
        fc.array(VALUES, { maxLength: 4 }),
      )
      .map(
        ([name, shape, values]) => [shape.replaceAll('N', name), values] as [string, (number | undefined)[]],
      ),
  },
  overLong: {
    runs: 40,
    arb: fc
      .tuple(
        fc.constantFrom('(', 'not ', '-', '1+', 'avg(x,"5m")+', ' ', 'x{a="b"', '"', 'a'),
        fc.integer({ min: MAX_RULE_LENGTH - 50, max: 100_000 }),
      )
      .map(
        ([unit, length]) =>
          [unit.repeat(Math.ceil(length / unit.length)) + ' > 0', []] as [string, (number | undefined)[]],
      ),
  },
};

describe('rule language under fast-check', () => {
  afterAll(() => console.log(JSON.stringify({ fuzz: 'rule', seed: SEED, cases, answers })));

  it.each(Object.keys(CLASSES))(
    '%s: nothing but RuleSyntaxError or diagnostics, and prototypes untouched',
    (cls) => {
      const { arb, runs } = CLASSES[cls]!;
      fc.assert(
        fc.property(arb, ([text, values]) => void run(cls, text, values)),
        { seed: SEED, numRuns: runs, endOnFailure: true },
      );
      expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(protoKeys);
      expect(Object.getOwnPropertyNames(Function.prototype).sort()).toEqual(functionKeys);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      // each class must reach the stage it is there for, or it proves little
      if (cls === 'grammarShaped') expect(answers[cls]?.evaluated).toBe(runs);
      if (cls === 'overLong') expect(answers[cls]?.evaluated ?? 0).toBe(0);
      if (cls === 'mangledGrammar') expect(answers[cls]?.evaluated ?? 0).toBeGreaterThan(100);
    },
  );
});
