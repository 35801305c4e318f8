// GHSA-8gw3-rxh4-v6jx: expr-eval 2.0.2 let expressions reach Object.prototype (and from there
// code execution). Every proof-of-concept string must be refused by our parser and by the
// locked-down expr-eval parser, and must leave Object.prototype untouched.
import { afterEach, describe, expect, test } from 'vitest';
import { lockedParser } from './evaluate.ts';
import { parseRule, RuleSyntaxError } from './parse.ts';
import { validateRule } from './validate.ts';

const POCS = [
  // The advisory's public PoC (huntr report, silentmatt/expr-eval#251/#252).
  'Object=constructor;a=Object.fromEntries([["a","polluted"]]);Object.assign(__proto__, a)',
  // Reconstructed variants: assignments to the prototype, constructor chains, function definitions.
  '__proto__.polluted = 1',
  '__proto__["polluted"] = 1',
  'constructor.prototype.polluted = "yes"',
  'x.constructor.prototype.polluted = true',
  'a = constructor; a.prototype.polluted = 1',
  'f(x) = x; f.constructor.prototype.polluted = 1',
  'constructor.constructor("return process")()',
  'toString.constructor("return process")().mainModule.require("child_process").execSync("id")',
  'Object=constructor; Object.defineProperty(__proto__, "polluted", {value: 1})',
  '[1][0].constructor.prototype.polluted = 1',
  'polluted(x) = constructor',
  'a = 1',
];

const prototypeKeys = () => Object.getOwnPropertyNames(Object.prototype).sort();
const before = prototypeKeys();

function assertClean(): void {
  expect(prototypeKeys()).toEqual(before);
  const o: Record<string, unknown> = {};
  expect(o.polluted).toBeUndefined();
  expect(o.a).toBeUndefined();
  expect(Object.prototype.toString.call(o)).toBe('[object Object]');
}

afterEach(assertClean);

describe('GHSA-8gw3-rxh4-v6jx proofs of concept', () => {
  test.each(POCS)('our parser refuses %s', (poc) => {
    expect(() => parseRule(poc)).toThrow(RuleSyntaxError);
    const v = validateRule(poc);
    expect(v.ast).toBeUndefined();
    expect(v.diagnostics[0]?.severity).toBe('error');
  });

  test.each(POCS)('locked-down expr-eval refuses %s at parse time', (poc) => {
    expect(() => lockedParser().parse(poc)).toThrow();
  });

  test('the locked-down parser offers no built-in functions or constants', () => {
    for (const text of ['map(x, 1)', 'join(",", 1)', 'if(1, 2, 3)', 'PI', 'true', 'random()']) {
      expect(() => lockedParser().parse(text).evaluate({ x: 1 }), text).toThrow();
    }
  });

  test('prototype names are refused as variables and functions', () => {
    for (const text of [
      '__proto__',
      'constructor',
      'prototype',
      'constructor(1)',
      'toString(1)',
      'hasOwnProperty(1)',
    ]) {
      expect(() => lockedParser().parse(text).evaluate({}), text).toThrow();
    }
  });
});
